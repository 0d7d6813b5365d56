package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/state/gittest"
)

// new run inside .git makes the repository's session, for its working
// tree, which then reads like any other.
func TestNewInsideTheGitDirIsTheRepositorys(t *testing.T) {
	isolate(t)
	repo := gitRepo(t)
	_, errOut, code := cli(t, "", "-C", filepath.Join(repo, ".git"), "new", "x", "--local")
	require.Equal(t, exitOK, code, errOut)

	out, errOut, code := cli(t, "", "-C", repo, "status", "--plain", "x")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "repo:    "+repo+"\n")
	assert.NotContains(t, out+errOut, "work tree")
	s, err := state.Load(stateDirOf(t, repo), "x")
	require.NoError(t, err)
	assert.Equal(t, repo, s.RepoRoot)
}

// In a bare repository new refuses, and status says the same, with nothing
// written into the repository.
func TestBareRepositoryIsRefused(t *testing.T) {
	isolate(t)
	bare := filepath.Join(gitRepo(t), "..", "b.git")
	gittest.Run(t, filepath.Dir(bare), "init", "-q", "--bare", bare)
	bare = filepath.Clean(bare)
	want := bare + " is a bare repository with no working tree: run cyclezero in a checkout of it"
	for _, args := range [][]string{{"new", "x", "--local"}, {"status"}, {"resume"}} {
		out, errOut, code := cli(t, "", append([]string{"-C", bare}, args...)...)
		assert.NotEqual(t, exitOK, code, "%v: %s", args, out)
		assert.Contains(t, errOut, want, args)
	}
	_, err := os.Lstat(filepath.Join(bare, "cyclezero"))
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing written into the bare repository")
}
