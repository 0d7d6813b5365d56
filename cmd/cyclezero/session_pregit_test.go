package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state/gittest"
)

// Sessions started before `git init` in two directories of what becomes
// one repository: the top level's are used, from anywhere in it, and
// status says where the others were left, with a move command that works
// (their embedded catalogs move with them).
func TestStatusSaysWhereSessionsFromBeforeGitInitWereLeft(t *testing.T) {
	isolate(t)
	gittest.Require(t)
	dir, err := filepath.EvalSymlinks(t.TempDir())
	require.NoError(t, err)
	t.Setenv("GIT_CEILING_DIRECTORIES", dir)
	top := filepath.Join(dir, "no-repo")
	sub := filepath.Join(top, "src")
	require.NoError(t, os.MkdirAll(sub, 0o755))
	for _, c := range []struct{ dir, slug string }{{top, "at-top"}, {sub, "in-src"}} {
		_, errOut, code := cli(t, "", "-C", c.dir, "new", c.slug, "--local")
		require.Equal(t, exitOK, code, errOut)
	}
	gittest.Run(t, top, "init", "-q")

	for _, from := range []string{top, sub} {
		out, errOut, code := cli(t, "", "-C", from, "status", "--plain", "at-top")
		require.Equal(t, exitOK, code, errOut)
		assert.Contains(t, out, "1 session started before `git init` is in ", from)
		assert.Contains(t, out, "(in-src)", from)
	}
	out, _, _ := cli(t, "", "-C", top, "status", "--plain", "at-top")
	move := regexp.MustCompile("move (?:it|them) with: (mv [^\n]*/)").FindStringSubmatch(out)
	require.Len(t, move, 2, "a move command in: %s", out)
	sh, err := exec.Command("sh", "-c", move[1]).CombinedOutput()
	require.NoError(t, err, "%s: %s", move[1], sh)

	out, errOut, code := cli(t, "", "-C", top, "status", "--plain", "in-src")
	require.Equal(t, exitOK, code, errOut)
	assert.NotContains(t, out, "before `git init` is in", "nothing is left behind")
	out, errOut, code = cli(t, "", "-C", top, "catalog", "ls", "--session", "in-src")
	assert.Equal(t, exitOK, code, "its catalog moved with it: %s%s", out, errOut)
}
