package state

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state/gittest"
)

// Run inside a repository's .git (or a linked worktree's git dir), the
// sessions are the main worktree's, and its root is the working tree.
func TestLocateInsideTheGitDir(t *testing.T) {
	t.Parallel()
	repo := gittest.NewRepo(t, gittest.WithCommit("init"))
	gittest.Run(t, repo, "worktree", "add", "-q", filepath.Join(filepath.Dir(repo), "wt"))

	for _, from := range []string{
		filepath.Join(repo, ".git"),
		filepath.Join(repo, ".git", "objects"),
		filepath.Join(repo, ".git", "worktrees", "wt"),
	} {
		loc, err := Locate(context.Background(), from)
		require.NoError(t, err, from)
		assert.Equal(t, filepath.Join(repo, ".git", "cyclezero"), loc.StateDir, from)
		assert.Equal(t, repo, loc.RepoRoot, from)
		assert.True(t, loc.InGit, from)
	}
}

// A bare repository has no working tree: Locate refuses it, saying so.
func TestLocateInABareRepository(t *testing.T) {
	t.Parallel()
	bare := filepath.Join(realTempDir(t), "b.git")
	gittest.Run(t, filepath.Dir(bare), "init", "-q", "--bare", bare)
	for _, from := range []string{bare, filepath.Join(bare, "refs")} {
		_, err := Locate(context.Background(), from)
		require.ErrorIs(t, err, ErrNoWorkTree, from)
		var be *BareRepoError
		require.ErrorAs(t, err, &be)
		assert.Equal(t, from+" is a bare repository with no working tree: run cyclezero in a checkout of it", err.Error())
		_, err = Dir(from)
		assert.ErrorIs(t, err, ErrNoWorkTree, "Dir too")
	}
}
