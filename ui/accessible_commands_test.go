package ui

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// lineEndsWith reports whether some line of out ends with cmd exactly:
// a pasted line runs cmd, not cmd with a full stop or a sentence stuck to it.
func lineEndsWith(out, cmd string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasSuffix(l, cmd) {
			return true
		}
	}
	return false
}

// A damaged session's fix ends its line: "Choose another." follows on a
// line of its own, not as "… new broken-one. Choose another.", which would
// paste as a command making a session "broken-one.".
func TestAccessibleRefusalPutsNothingAfterTheFix(t *testing.T) {
	t.Parallel()
	fix := "mv /s/broken-one.json /s/broken-one.json.damaged && cz new broken-one"
	sessions := []SessionChoice{
		{Slug: "broken-one", Problem: "session file /s/broken-one.json is damaged — start over with: " + fix, Broken: "damaged"},
		{Slug: "good"},
	}
	_, out := runLines(t, Options{Sessions: sessions}, "1\nq\n")
	assert.True(t, lineEndsWith(out, fix), out)
	assert.Contains(t, out, fix+"\nChoose another.\n")
	assert.NotContains(t, out, "new broken-one.")
}

// A refused slug's refusal can end with a command: huh says it as it is,
// with "Try again." on the next line, not glued to the command.
func TestAccessibleSlugRefusalPutsTryAgainOnItsOwnLine(t *testing.T) {
	t.Parallel()
	var c creator
	o := Options{Sessions: []SessionChoice{{Slug: "srv-model"}}, StartNew: true, Create: c.create,
		Command: func(args ...string) string { return "cz " + strings.Join(args, " ") }}
	_, out := runLines(t, o, "\nsrv-model\nnew-model\nq\n")
	assert.Contains(t, out, "Not accepted: a session srv-model already exists: choose another slug, or quit and run: cz resume srv-model\nTry again.\n")
	assert.NotContains(t, out, "srv-model.")
	if assert.Len(t, c.calls, 1) {
		assert.Equal(t, "new-model", c.calls[0].Slug)
	}
}
