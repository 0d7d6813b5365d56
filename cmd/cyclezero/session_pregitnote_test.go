package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state/gittest"
)

// preGitRepo makes a directory with a session started in it and one in
// its subdirectory src before `git init`, then makes it a repository.
func preGitRepo(t *testing.T) (top string) {
	t.Helper()
	gittest.Require(t)
	dir, err := filepath.EvalSymlinks(t.TempDir())
	require.NoError(t, err)
	t.Setenv("GIT_CEILING_DIRECTORIES", dir)
	top = filepath.Join(dir, "no-repo")
	sub := filepath.Join(top, "src")
	require.NoError(t, os.MkdirAll(sub, 0o755))
	for _, c := range []struct{ dir, slug string }{{top, "at-top"}, {sub, "in-src"}} {
		_, errOut, code := cli(t, "", "-C", c.dir, "new", c.slug, "--local")
		require.Equal(t, exitOK, code, errOut)
	}
	gittest.Run(t, top, "init", "-q")
	return top
}

// Where sessions from before `git init` were left, with the command that
// moves them, is said once on stderr by new and by the wizard, not only
// by status; status says first why the sessions are in an XDG dir.
func TestTheLeftBehindNoteIsSaidByNewAndTheWizard(t *testing.T) {
	isolate(t)
	top := preGitRepo(t)
	const note = "cyclezero: note: 1 session started before `git init` is in "

	out, errOut, code := cli(t, "", "-C", top, "status", "--plain", "at-top")
	require.Equal(t, exitOK, code, errOut)
	fallback := strings.Index(out, "note: the sessions of "+top+" from before `git init` are kept in ")
	left := strings.Index(out, "note: 1 session started before `git init` is in ")
	require.True(t, fallback >= 0 && left >= 0, out)
	assert.Less(t, fallback, left, "why the target is an XDG dir comes before the move command into it")

	out, errOut, code = cli(t, "", "-C", top, "new", "third", "--local")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Created session third.")
	assert.Equal(t, 1, strings.Count(errOut, note), "new says it once: %q", errOut)
	assert.Contains(t, errOut, "(in-src)")
	assert.Contains(t, errOut, ": move it with: mv ")

	out, errOut, code = cli(t, "q\n", "-C", top, "--accessible", "resume", "at-top")
	require.Equal(t, exitOK, code, out+errOut)
	assert.Equal(t, 1, strings.Count(errOut, note), "the wizard says it once: %q", errOut)
}
