package state

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state/gittest"
)

// realTempDir is t.TempDir with symlinks resolved (macOS /var → /private/var).
func realTempDir(t *testing.T) string {
	t.Helper()
	d, err := filepath.EvalSymlinks(t.TempDir())
	require.NoError(t, err)
	return d
}

func TestDirInGitRepo(t *testing.T) {
	t.Parallel()
	repo := gittest.NewRepo(t, gittest.WithCommit("init"))
	require.NoError(t, os.MkdirAll(filepath.Join(repo, "src", "models"), 0o755))
	wt := filepath.Join(filepath.Dir(repo), "wt")
	gittest.Run(t, repo, "worktree", "add", "-q", wt)

	want := filepath.Join(repo, ".git", "cyclezero")
	for _, from := range []string{repo, filepath.Join(repo, "src", "models"), wt} {
		got, err := Dir(from)
		require.NoError(t, err)
		assert.Equal(t, want, got, "Dir("+from+")")
	}
	top, err := RepoRoot(filepath.Join(repo, "src", "models"))
	require.NoError(t, err)
	assert.Equal(t, repo, top, "RepoRoot from a subdirectory")
	top, err = RepoRoot(wt)
	require.NoError(t, err)
	assert.Equal(t, wt, top, "RepoRoot of a worktree")

	loc, err := Locate(context.Background(), filepath.Join(repo, "src"))
	require.NoError(t, err)
	assert.True(t, loc.InGit, "InGit")
	assert.Empty(t, loc.Note, "Note")

	// Sessions saved from the worktree are the repo's sessions, and nothing
	// lands in either working tree.
	mustCreate(t, want, sampleSession("m", "A", 0))
	list, err := List(want)
	require.NoError(t, err)
	assert.Len(t, list, 1, "sessions listed")
	assert.True(t, !exists(filepath.Join(wt, "sessions")), "state written into the worktree")
}

func TestDirOutsideGit(t *testing.T) {
	gittest.Require(t)
	xdg := realTempDir(t)
	t.Setenv("XDG_STATE_HOME", xdg)
	work := filepath.Join(realTempDir(t), "My Project")
	require.NoError(t, os.Mkdir(work, 0o755))
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(work))

	got, err := Dir(work)
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(xdg, "cyclezero"), filepath.Dir(got), "parent of the state dir")
	assert.Truef(t, strings.HasPrefix(filepath.Base(got), "my-project-"), "state dir name %q", filepath.Base(got))
	again, err := Dir(work)
	require.NoError(t, err)
	assert.Equal(t, got, again, "Dir is stable")

	other := filepath.Join(realTempDir(t), "My Project")
	require.NoError(t, os.Mkdir(other, 0o755))
	otherDir, err := Dir(other)
	require.NoError(t, err)
	assert.Truef(t, otherDir != got, "two directories with the same name share %s", got)

	top, err := RepoRoot(work)
	require.NoError(t, err)
	assert.Equal(t, work, top, "RepoRoot outside git")

	// A relative XDG_STATE_HOME is ignored, as the XDG spec says.
	t.Setenv("XDG_STATE_HOME", "relative/state")
	t.Setenv("HOME", xdg)
	got, err = Dir(work)
	require.NoError(t, err)
	assert.Truef(t, strings.HasPrefix(got, filepath.Join(xdg, ".local", "state", "cyclezero")+string(filepath.Separator)), "fallback state dir %s", got)
}

func TestDirWithoutGitBinary(t *testing.T) {
	xdg := realTempDir(t)
	t.Setenv("XDG_STATE_HOME", xdg)
	t.Setenv("PATH", t.TempDir()) // no git here
	work := realTempDir(t)

	loc, err := Locate(context.Background(), work)
	require.NoError(t, err)
	assert.False(t, loc.InGit, "InGit without git")
	assert.Contains(t, loc.Note, "git is not installed")
	assert.Truef(t, strings.HasPrefix(loc.StateDir, filepath.Join(xdg, "cyclezero")), "state dir %s", loc.StateDir)
	assert.Equal(t, work, loc.RepoRoot, "RepoRoot without git")
}

func TestDirErrors(t *testing.T) {
	t.Parallel()
	_, err := Dir(filepath.Join(t.TempDir(), "missing"))
	assert.True(t, err != nil, "Dir of a missing directory succeeded")
	f := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(f, nil, 0o600))
	_, err = Dir(f)
	assert.Truef(t, err != nil && strings.Contains(err.Error(), "not a directory"), "Dir of a file: %v", err)
}

func TestLayoutHelpers(t *testing.T) {
	t.Parallel()
	assert.Equal(t, filepath.FromSlash("/s/sessions/m.json"), SessionPath("/s", "m"), "SessionPath")
	assert.Equal(t, filepath.FromSlash("/s/sessions/m.json.bak"), BackupPath("/s", "m"), "BackupPath")
	assert.Equal(t, filepath.FromSlash("/s/sessions/m.lock"), LockPath("/s", "m"), "LockPath")
	assert.Equal(t, filepath.FromSlash("/s/sessions/m"), SessionDir("/s", "m"), "SessionDir")
	assert.Equal(t, filepath.FromSlash("/s/sessions/m/runs"), RunsDir("/s", "m"), "RunsDir")
	assert.Equal(t, filepath.FromSlash("/s/sessions/m/catalog.sqlite"), LocalCatalogPath("/s", "m"), "LocalCatalogPath")
	assert.Equal(t, filepath.FromSlash("/s/catalog.sqlite"), RepoCatalogPath("/s"), "RepoCatalogPath")
}
