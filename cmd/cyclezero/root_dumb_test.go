package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDumbTerminalTurnsAccessibleModeOn(t *testing.T) {
	t.Setenv("ACCESSIBLE", "")
	for term, want := range map[string]bool{"dumb": true, "xterm-256color": false, "": false, "dumb-ish": false} {
		t.Setenv("TERM", term)
		assert.Equal(t, want, (&globalFlags{}).isAccessible(), "TERM=%q", term)
	}
}

// TestDumbTerminalGetsTheLineInterface: under TERM=dumb every screen with
// an accessible mode uses it, as --accessible would, without the flag:
// the form and the session view as line prompts, the picker as a numbered
// list, status --watch as announcements; no escape sequence is written.
// The hints carry no --accessible, since TERM stays set for the next
// command as ACCESSIBLE does.
func TestDumbTerminalGetsTheLineInterface(t *testing.T) {
	isolate(t)
	t.Setenv("TERM", "dumb")
	dir := gitRepo(t)
	c := "cyclezero -C " + dir + " "
	var written []string
	run := func(input string, args ...string) string {
		t.Helper()
		out, errOut, code := cli(t, input, append([]string{"-C", dir}, args...)...)
		require.Equal(t, exitOK, code, errOut)
		written = append(written, out, errOut)
		return out
	}

	out := run("1\nmy-model\nq\n", "new")
	assert.Contains(t, out, "Created session my-model. Catalog: local catalog.", "the form's line prompts")
	assert.Contains(t, out, "Session my-model, local catalog.", "the session view")
	assert.Contains(t, out, "Resume with: "+c+"resume my-model\n")

	out = run("1\n2\nq\n")
	assert.Contains(t, out, "Phase 2 of 8, Schema design", "the picker's numbered list, then the session")

	out = run("q\n", "status", "--watch", "--interval", "1s")
	assert.Contains(t, out, "only changes are announced", "status --watch announces")

	for _, o := range written {
		assert.NotContains(t, o, "\x1b[")
		assert.NotContains(t, o, "--accessible")
	}
}
