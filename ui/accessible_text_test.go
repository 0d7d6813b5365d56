package ui

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Each command a message gives as a fix gets a line of its own, whole
// and with nothing after it; the sentence it was in goes on after it.
func TestPlainLinesPutCommandsOnLinesOfTheirOwn(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		text string
		want []string
	}{
		{"a session x exists — resume it with: cyclezero resume x, or choose another slug",
			[]string{"a session x exists — resume it with:", "cyclezero resume x", "or choose another slug"}},
		{"dir is a file: move it aside with: mv dir dir.old, then try again",
			[]string{"dir is a file: move it aside with:", "mv dir dir.old", "then try again"}},
		{"ask its owner (check who you are with: cz catalog whoami --host h)",
			[]string{"ask its owner; check who you are with:", "cz catalog whoami --host h"}},
		{"log in with: deriva-globus-auth-utils login --host h (or `uv run x --host h` there); it reads /p",
			[]string{"log in with:", "deriva-globus-auth-utils login --host h", "(or `uv run x --host h` there); it reads /p"}},
		{"no sessions; start one with: cz new\n  or try the demo: cz demo",
			[]string{"no sessions; start one with:", "cz new", "or try the demo:", "cz demo"}},
		{"restore it with: cp '/a b/m, n.bak' '/a b/m, n' — then resume",
			[]string{"restore it with:", "cp '/a b/m, n.bak' '/a b/m, n'", "then resume"}},
		{"choose another slug, or quit and run: cz resume x", []string{"choose another slug, or quit and run:", "cz resume x"}},
		{"restore it with: cp a.bak a, or quit and run: cz resume x",
			[]string{"restore it with:", "cp a.bak a", "or quit and run:", "cz resume x"}},
		{"for a view that works anywhere, run: cz status --plain", []string{"for a view that works anywhere, run:", "cz status --plain"}},
		{"5. Tier 1 — dry run: blocked, needs every record labelled",
			[]string{"5. Tier 1 — dry run: blocked, needs every record labelled"}},
		{"Sessions in this directory: 2. Phase 3: czar", []string{"Sessions in this directory: 2. Phase 3: czar"}},
	} {
		assert.Equal(t, c.want, plainLines(c.text, 200, "cz"), c.text)
	}
}

// Sentence ends prose with a full stop, but never a command.
func TestSentenceLeavesACommandWithoutAFullStop(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "a reason.", Sentence("a reason"))
	assert.Equal(t, "done!", Sentence("done!"))
	assert.Equal(t, "", Sentence(""))
	for _, text := range []string{
		"damaged — restore it with: cp a.bak a",
		"refused (check who you are with: cz catalog whoami)",
		"no sessions\n  start one with: cz new",
	} {
		assert.Equal(t, text, Sentence(text))
	}
	assert.Equal(t, "fix it with: mv a b, then try again.", Sentence("fix it with: mv a b, then try again"))
}

// Prose wraps at spaces only: a path wider than the line keeps a line of
// its own, whole, rather than being cut after a slash.
func TestPlainLinesNeverBreakAWord(t *testing.T) {
	t.Parallel()
	path := "/tmp/x/state/cyclezero/d1-abc/sessions/broken-one.json"
	got := plainLines("session file "+path+" is damaged: bad", 20, "cz")
	assert.Equal(t, []string{"session file", path, "is damaged: bad"}, got)
	// The full-screen wrap still cuts it, to stay inside its pane.
	assert.NotContains(t, wrap(path, 20), path)
}

// Picking a damaged session at 50 columns: its path stays whole and the
// mv command that fixes it is one line, the last before "Choose another.".
func TestAccessibleDamagedSessionFixIsOneLine(t *testing.T) {
	t.Parallel()
	path := "/tmp/tmp.Xk2/state/cyclezero/d1-myf-c-356e51195dbb/sessions/broken-one.json"
	fix := "mv " + path + " " + path + ".damaged && cz --accessible -C d1 new broken-one"
	sessions := []SessionChoice{
		{Slug: "broken-one", Broken: "damaged", Problem: "session file " + path + " is damaged: invalid character 'g' " +
			"looking for beginning of object key string; there is no good backup copy — move the damaged file " +
			"aside and start over with: " + fix},
		{Slug: "good"},
	}
	_, out := runLines(t, Options{Sessions: sessions, Width: 50,
		Command: func(args ...string) string {
			return strings.Join(append([]string{"cz --accessible -C d1"}, args...), " ")
		}},
		"1\nq\n")
	lines := strings.Split(out, "\n")
	assert.Contains(t, lines, path, "the path is whole, on a line of its own:\n"+out)
	assert.Contains(t, out, "start over with:\n"+fix+"\nChoose another.\n")
	for _, l := range lines {
		// A pipe echoes no answer: the prompt and what follows share a line.
		if len(l) > 50 && l != fix && l != path && !strings.HasPrefix(l, "Type a number") {
			t.Errorf("prose line wider than 50 columns: %q", l)
		}
	}
}
