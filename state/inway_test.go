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

// mustInTheWay stops the test unless err is an *InTheWayError for path, and
// checks its message says what is there and how to move it aside.
func mustInTheWay(t *testing.T, err error, path, is, what string) *InTheWayError {
	t.Helper()
	var in *InTheWayError
	require.ErrorAs(t, err, &in)
	assert.Equal(t, path, in.Path, "what is in the way")
	assert.Contains(t, err.Error(), path+" is "+is+", not "+what+": move it aside, then try again, with: mv "+path+" "+path+".bak")
	assert.True(t, in.Unwrap() != nil, "the failure it caused is kept")
	return in
}

// A file where .git/cyclezero or its sessions directory goes stops every
// command at Locate, with the fix, rather than half way through one; once
// it is moved aside as told, sessions work.
func TestLocateFileInTheWay(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"state dir", "sessions dir"} {
		repo := gittest.NewRepo(t)
		stateDir := filepath.Join(repo, ".git", "cyclezero")
		blocker, what := stateDir, "cyclezero's state directory"
		if name == "sessions dir" {
			require.NoError(t, os.Mkdir(stateDir, dirMode))
			blocker, what = SessionsDir(stateDir), "cyclezero's sessions directory"
		}
		require.NoError(t, os.WriteFile(blocker, []byte("mine"), fileMode))

		_, err := Locate(context.Background(), repo)
		mustInTheWay(t, err, blocker, "a file", what)

		require.NoError(t, os.Rename(blocker, blocker+".bak"), name) // as the message says
		loc, err := Locate(context.Background(), repo)
		require.NoError(t, err, name)
		mustCreate(t, loc.StateDir, sampleSession("m", "A", 0))
		assert.Equal(t, "mine", string(readFile(t, blocker+".bak")), "%s: the moved file is kept", name)
	}
}

// Outside git, cyclezero's directory in the XDG state home is its own too.
func TestLocateFileInTheWayOfXDG(t *testing.T) {
	xdg, work := preGitDir(t)
	top := filepath.Join(xdg, stateSubdir)
	require.NoError(t, os.WriteFile(top, nil, fileMode))
	_, err := Locate(context.Background(), work)
	mustInTheWay(t, err, top, "a file", "cyclezero's directory in the XDG state home")

	// A file above cyclezero's own directories is not named as its.
	require.NoError(t, os.Remove(top))
	require.NoError(t, os.MkdirAll(top, dirMode))
	stateDir, err := Dir(work)
	require.NoError(t, err)
	assert.Equal(t, top, ownTop(stateDir))
	assert.Nil(t, fileInTheWay(stateDir, filepath.Join(xdg, "x", "y"), nil), "a path outside cyclezero's")
}

// Creating, opening and listing sessions say what is in the way too, for a
// state dir passed in directly (as tests and tools do).
func TestSessionsFileInTheWay(t *testing.T) {
	t.Parallel()
	t.Run("sessions dir", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(SessionsDir(dir), nil, fileMode))
		_, err := List(dir)
		mustInTheWay(t, err, SessionsDir(dir), "a file", "cyclezero's sessions directory")
		assert.Contains(t, err.Error(), "list sessions in "+SessionsDir(dir)+": ")
		_, err = Load(dir, "m")
		mustInTheWay(t, err, SessionsDir(dir), "a file", "cyclezero's sessions directory")
		_, err = Open(dir, "m")
		mustInTheWay(t, err, SessionsDir(dir), "a file", "cyclezero's sessions directory")
	})
	t.Run("session dir", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		require.NoError(t, os.MkdirAll(SessionsDir(dir), dirMode))
		require.NoError(t, os.WriteFile(SessionDir(dir, "m"), nil, fileMode))
		_, err := Create(dir, sampleSession("m", "A", 0))
		mustInTheWay(t, err, SessionDir(dir, "m"), "a file", "the directory of session m")
		assert.Contains(t, err.Error(), `create session "m": `)
	})
	t.Run("lock", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		mustCreate(t, dir, sampleSession("m", "A", 0))
		lock := LockPath(dir, "m")
		require.NoError(t, os.Remove(lock))
		require.NoError(t, os.Mkdir(lock, dirMode))
		_, err := Open(dir, "m")
		mustInTheWay(t, err, lock, "a directory", "the lock file of session m")
		_, err = Create(dir, sampleSession("n", "A", 0))
		require.NoError(t, err, "another session is not in its way")
		require.NoError(t, os.Mkdir(LockPath(dir, "o"), dirMode))
		_, err = Create(dir, &Session{Slug: "o", Catalog: CatalogLocation{Kind: CatalogLocal, Path: "/c"}})
		mustInTheWay(t, err, LockPath(dir, "o"), "a directory", "the lock file of session o")
	})
	t.Run("document", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		require.NoError(t, os.MkdirAll(SessionPath(dir, "m"), dirMode))
		_, err := Load(dir, "m")
		mustInTheWay(t, err, SessionPath(dir, "m"), "a directory", "the file of session m")
		_, err = Open(dir, "m")
		mustInTheWay(t, err, SessionPath(dir, "m"), "a directory", "the file of session m")
	})
}

// The aside name is one that is free, and paths with spaces are quoted.
func TestInTheWayMessage(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "a b")
	require.NoError(t, os.MkdirAll(dir, dirMode))
	p := filepath.Join(dir, "cyclezero")
	require.NoError(t, os.WriteFile(p+".bak", nil, fileMode))
	msg := (&InTheWayError{Path: p, What: "cyclezero's state directory"}).Error()
	assert.True(t, strings.HasSuffix(msg, "with: mv '"+p+"' '"+p+".bak2'"), msg)

	// Any other failure is left as it was.
	other := os.ErrPermission
	assert.Equal(t, other, inTheWay(t.TempDir(), filepath.Join(dir, "x"), true, other))
	assert.NoError(t, inTheWay(dir, dir, true, nil))
}
