package state

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// preGitDir makes an XDG state home and a directory "nog2" outside any git
// repository, as a user's model directory before `git init`.
func preGitDir(t *testing.T) (xdg, work string) {
	t.Helper()
	requireGit(t)
	xdg = realTempDir(t)
	t.Setenv("XDG_STATE_HOME", xdg)
	root := realTempDir(t)
	t.Setenv("GIT_CEILING_DIRECTORIES", root)
	work = filepath.Join(root, "nog2")
	require.NoError(t, os.MkdirAll(filepath.Join(work, "src"), 0o755))
	return xdg, work
}

func locate(t *testing.T, dir string) Location {
	t.Helper()
	loc, err := Locate(context.Background(), dir)
	require.NoError(t, err)
	return loc
}

func TestLocateKeepsSessionsFromBeforeGitInit(t *testing.T) {
	xdg, work := preGitDir(t)
	before := locate(t, work)
	require.False(t, before.InGit)
	mustCreate(t, before.StateDir, sampleSession("my-model", "A", 0))

	git(t, work, "init", "-q")
	gitDir := filepath.Join(work, ".git", "cyclezero")
	for _, from := range []string{work, filepath.Join(work, "src")} {
		loc := locate(t, from)
		assert.Equal(t, before.StateDir, loc.StateDir, "state dir from "+from)
		assert.True(t, loc.InGit, "InGit: the directory is a repository now")
		assert.Equal(t, work, loc.RepoRoot, "RepoRoot")
		assert.Contains(t, loc.Fallback, work, "Fallback names the directory")
		assert.Contains(t, loc.Fallback, before.StateDir, "Fallback names where the sessions are")
		assert.Contains(t, loc.Fallback, gitDir, "Fallback names where they are not")
		assert.Empty(t, loc.Note, "Note")
	}
	loc := locate(t, work)
	list, err := List(loc.StateDir)
	require.NoError(t, err)
	require.Len(t, list, 1, "sessions listed after git init")
	assert.Equal(t, "my-model", list[0].Slug)
	h, err := Open(loc.StateDir, "my-model")
	require.NoError(t, err)
	assert.False(t, h.ReadOnly(), "the session opens for writing")
	require.NoError(t, h.Close())
	assert.False(t, exists(gitDir), "nothing was moved or made under the git dir")

	// A linked worktree finds the same place through the main worktree.
	git(t, work, "commit", "-q", "--allow-empty", "-m", "init")
	wt := filepath.Join(filepath.Dir(work), "wt")
	git(t, work, "worktree", "add", "-q", wt)
	assert.Equal(t, before.StateDir, locate(t, wt).StateDir, "state dir from a linked worktree")

	// New sessions for the repository go to the same place; it stays
	// under the XDG home.
	mustCreate(t, loc.StateDir, sampleSession("second", "B", 0))
	list, err = List(locate(t, work).StateDir)
	require.NoError(t, err)
	assert.Len(t, list, 2, "the new session is listed with the old one")
	assert.Equal(t, filepath.Join(xdg, "cyclezero"), filepath.Dir(loc.StateDir), "parent of the state dir")
}

func TestLocateKeepsSessionsOfASubdirectoryFromBeforeGitInit(t *testing.T) {
	_, work := preGitDir(t)
	sub := filepath.Join(work, "src")
	before := locate(t, sub)
	mustCreate(t, before.StateDir, sampleSession("m", "A", 0))

	git(t, work, "init", "-q")
	loc := locate(t, sub)
	assert.Equal(t, before.StateDir, loc.StateDir, "state dir from the subdirectory the session was started in")
	assert.Contains(t, loc.Fallback, sub, "Fallback names the subdirectory")
	assert.Equal(t, work, loc.RepoRoot, "RepoRoot")

	// The top level had no sessions of its own before git init.
	top := locate(t, work)
	assert.Equal(t, filepath.Join(work, ".git", "cyclezero"), top.StateDir, "state dir from the top level")
	assert.Empty(t, top.Fallback, "Fallback from the top level")
}

func TestLocatePrefersSessionsInTheGitDir(t *testing.T) {
	_, work := preGitDir(t)
	before := locate(t, work)
	mustCreate(t, before.StateDir, sampleSession("old", "A", 0))

	git(t, work, "init", "-q")
	gitDir := filepath.Join(work, ".git", "cyclezero")
	mustCreate(t, gitDir, sampleSession("new", "B", 0))
	loc := locate(t, work)
	assert.Equal(t, gitDir, loc.StateDir, "state dir when the git dir has sessions")
	assert.Empty(t, loc.Fallback, "Fallback")
	assert.True(t, loc.InGit, "InGit")
}

// A git dir whose sessions cannot be read is not passed over for the
// sessions from before `git init`: Locate says what is wrong with it.
func TestLocateKeepsAGitDirItCannotRead(t *testing.T) {
	_, work := preGitDir(t)
	mustCreate(t, locate(t, work).StateDir, sampleSession("old", "A", 0))

	git(t, work, "init", "-q")
	gitDir := filepath.Join(work, ".git", "cyclezero")
	require.NoError(t, os.MkdirAll(gitDir, 0o700))
	require.NoError(t, os.WriteFile(SessionsDir(gitDir), nil, 0o600)) // not a directory
	_, err := Locate(context.Background(), work)
	var in *InTheWayError
	require.ErrorAs(t, err, &in)
	assert.Equal(t, SessionsDir(gitDir), in.Path, "what is in the way")
}

func TestLocateIgnoresPreGitDirsWithoutSessions(t *testing.T) {
	_, work := preGitDir(t)
	before := locate(t, work)
	// A state dir with a catalog and leftovers but no session document.
	require.NoError(t, os.MkdirAll(filepath.Join(SessionsDir(before.StateDir), "gone"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(SessionsDir(before.StateDir), "gone.lock"), nil, 0o600))

	git(t, work, "init", "-q")
	loc := locate(t, work)
	assert.Equal(t, filepath.Join(work, ".git", "cyclezero"), loc.StateDir, "state dir")
	assert.Empty(t, loc.Fallback, "Fallback")
}

func TestHasSessions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	found, err := hasSessions(dir)
	require.NoError(t, err)
	assert.False(t, found, "no sessions dir")

	require.NoError(t, os.MkdirAll(filepath.Join(SessionsDir(dir), "m.json"), 0o700)) // a dir, not a document
	require.NoError(t, os.WriteFile(filepath.Join(SessionsDir(dir), ".m.json.tmp-1"), nil, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(SessionsDir(dir), "m.json.bak"), nil, 0o600))
	found, err = hasSessions(dir)
	require.NoError(t, err)
	assert.False(t, found, "temp files, backups and directories are not sessions")

	writeRaw(t, dir, "damaged", []byte("{"))
	found, err = hasSessions(dir)
	require.NoError(t, err)
	assert.True(t, found, "a damaged document is a session")

	file := filepath.Join(t.TempDir(), "f")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	_, err = hasSessions(file) // sessions "dir" under a regular file
	assert.Error(t, err, "an unreadable sessions dir gives its error")
}
