package state

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state/gittest"
)

// preGitDir makes an XDG state home and a directory "nog2" outside any git
// repository, as a user's model directory before `git init`.
func preGitDir(t *testing.T) (xdg, work string) {
	t.Helper()
	gittest.Require(t)
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

	gittest.Run(t, work, "init", "-q")
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
	found, err := hasSessions(gitDir)
	require.NoError(t, err)
	assert.False(t, found, "no session was moved or made under the git dir")
	assert.True(t, exists(breadcrumbPath(gitDir)), "only the breadcrumb saying where the sessions are")

	// A linked worktree finds the same place through the main worktree.
	gittest.Run(t, work, "commit", "-q", "--allow-empty", "-m", "init")
	wt := filepath.Join(filepath.Dir(work), "wt")
	gittest.Run(t, work, "worktree", "add", "-q", wt)
	assert.Equal(t, before.StateDir, locate(t, wt).StateDir, "state dir from a linked worktree")

	// New sessions for the repository go to the same place; it stays
	// under the XDG home.
	mustCreate(t, loc.StateDir, sampleSession("second", "B", 0))
	list, err = List(locate(t, work).StateDir)
	require.NoError(t, err)
	assert.Len(t, list, 2, "the new session is listed with the old one")
	assert.Equal(t, filepath.Join(xdg, "cyclezero"), filepath.Dir(loc.StateDir), "parent of the state dir")
}

// startedIn creates a sample session the way `cyclezero new` does in dir
// (in git or not): through the Location found there, recording its
// repository root.
func startedIn(t *testing.T, dir, slug string) Location {
	t.Helper()
	loc := locate(t, dir)
	s := sampleSession(slug, "A", 0)
	s.RepoRoot = loc.RepoRoot
	mustCreate(t, loc.StateDir, s)
	return loc
}

// Sessions started in a subdirectory before `git init` are found by the
// directory they record, from wherever in the repository cyclezero runs.
func TestLocateKeepsSessionsOfASubdirectoryFromBeforeGitInit(t *testing.T) {
	_, work := preGitDir(t)
	sub := filepath.Join(work, "src")
	before := startedIn(t, sub, "m")

	gittest.Run(t, work, "init", "-q")
	for _, from := range []string{sub, work} {
		loc := locate(t, from)
		assert.Equal(t, before.StateDir, loc.StateDir, "state dir from "+from)
		assert.Contains(t, loc.Fallback, sub, "Fallback names the subdirectory")
		assert.Equal(t, work, loc.RepoRoot, "RepoRoot")
		assert.Empty(t, loc.LeftBehind)
	}
}

// Once the git dir has sessions, those from before `git init` are no
// longer used but still said, with a move command that works.
func TestLocateSaysWhereSessionsFromBeforeGitInitWereLeft(t *testing.T) {
	_, work := preGitDir(t)
	before := startedIn(t, work, "old")
	startedIn(t, work, "both")
	sub := startedIn(t, filepath.Join(work, "src"), "in-src")
	h, err := Open(before.StateDir, "old")
	require.NoError(t, err)
	require.NoError(t, h.Save(h.Session())) // a backup to move too
	require.NoError(t, h.Close())
	require.NoError(t, os.WriteFile(SchemaCopyPath(before.StateDir, "old", 1), []byte("{}"), 0o600)) // and a kept old file

	gittest.Run(t, work, "init", "-q")
	gitDir := filepath.Join(work, ".git", "cyclezero")
	mustCreate(t, gitDir, sampleSession("new", "B", 0))
	mustCreate(t, gitDir, sampleSession("both", "B", 0))
	for _, from := range []string{work, filepath.Join(work, "src")} {
		loc := locate(t, from)
		assert.Equal(t, gitDir, loc.StateDir, "state dir when the git dir has sessions")
		assert.Empty(t, loc.Fallback, "Fallback")
		require.Len(t, loc.LeftBehind, 2, from)
		assert.Equal(t, before.StateDir, loc.LeftBehind[0].Dir, "the top level's own first")
		assert.Equal(t, []string{"both", "old"}, loc.LeftBehind[0].Slugs)
		assert.Equal(t, []string{"both"}, loc.LeftBehind[0].Taken)
		assert.Equal(t, sub.StateDir, loc.LeftBehind[1].Dir)
		assert.Contains(t, loc.Note, "2 sessions started before `git init` are in "+before.StateDir)
		assert.Contains(t, loc.Note, "1 session started before `git init` is in "+sub.StateDir)
		// Of the two, only old is moved (both is taken): "it", not "them".
		assert.Contains(t, loc.Note, "(both, old), not where this repository's sessions are ("+gitDir+
			"): move it with: "+loc.LeftBehind[0].Move+" (both left out: ")
		assert.Contains(t, loc.Note, "move it with: "+loc.LeftBehind[1].Move)
		assert.NotContains(t, loc.Note, "move them with")
	}

	// The commands work: the sessions then load from the git dir, their
	// own catalogs with them; the taken slug stays where it was.
	loc := locate(t, work)
	for _, lb := range loc.LeftBehind {
		out, err := exec.Command("sh", "-c", lb.Move).CombinedOutput()
		require.NoError(t, err, "%s: %s", lb.Move, out)
	}
	for _, slug := range []string{"old", "in-src", "new", "both"} {
		_, err := Load(gitDir, slug)
		assert.NoError(t, err, slug)
	}
	assert.True(t, exists(BackupPath(gitDir, "old")), "the backup moved too")
	assert.True(t, exists(SchemaCopyPath(gitDir, "old", 1)), "the file kept on upgrade too")
	assert.True(t, exists(SessionPath(before.StateDir, "both")), "the taken slug was left")
	after := locate(t, work)
	require.Len(t, after.LeftBehind, 1)
	assert.Equal(t, []string{"both"}, after.LeftBehind[0].Slugs)
	assert.Empty(t, after.LeftBehind[0].Move, "nothing it could move")
}

// A pre-git directory inside a nested repository is that repository's.
func TestLocateLeavesANestedRepositorysSessions(t *testing.T) {
	_, work := preGitDir(t)
	nested := filepath.Join(work, "src")
	startedIn(t, nested, "m")
	gittest.Run(t, work, "init", "-q")
	gittest.Run(t, nested, "init", "-q")
	loc := locate(t, work)
	assert.Equal(t, filepath.Join(work, ".git", "cyclezero"), loc.StateDir)
	assert.Empty(t, loc.Fallback)
	assert.Empty(t, loc.LeftBehind)
}

func TestLocateKeepsAGitDirItCannotRead(t *testing.T) {
	_, work := preGitDir(t)
	mustCreate(t, locate(t, work).StateDir, sampleSession("old", "A", 0))

	gittest.Run(t, work, "init", "-q")
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

	gittest.Run(t, work, "init", "-q")
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
