package state

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/gofrs/flock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests are the permission tests that chmod cannot drive as root (CI
// runs as root): the file system calls are made to refuse one path with
// EACCES, as the kernel would, and the refusal must reach the caller with
// its fix. They swap package variables, so none of them runs in parallel.

// refuse makes mkdir, the document read and the lock's open fail with
// "permission denied" for path, and leaves every other path alone.
func refuse(t *testing.T, path string) {
	t.Helper()
	denied := func(op string) error { return &fs.PathError{Op: op, Path: path, Err: syscall.EACCES} }
	origMkdir, origRead, origLock := mkdirFn, readFileFn, flockTryLock
	t.Cleanup(func() { mkdirFn, readFileFn, flockTryLock = origMkdir, origRead, origLock })
	mkdirFn = func(p string, mode os.FileMode) error {
		if p == path {
			return denied("mkdir")
		}
		return origMkdir(p, mode)
	}
	readFileFn = func(p string) ([]byte, error) {
		if p == path {
			return nil, denied("open")
		}
		return origRead(p)
	}
	flockTryLock = func(fl *flock.Flock) (bool, error) {
		if fl.Path() == path {
			return false, denied("open")
		}
		return origLock(fl)
	}
}

// A lock file that cannot be opened (a read-only sessions dir): Open still
// opens the session, read-only and saying why, and Create is refused with
// the directory to check. See TestReadOnlyStateDir for the chmod version.
func TestRefusedLockOpensReadOnly(t *testing.T) {
	dir := t.TempDir()
	mustCreate(t, dir, sampleSession("m", "A", 0))
	doc := readFile(t, SessionPath(dir, "m"))
	refuse(t, LockPath(dir, "m"))

	h, err := Open(dir, "m")
	require.NoError(t, err)
	t.Cleanup(func() { _ = h.Close() })
	assert.True(t, h.ReadOnly(), "ReadOnly when the lock is refused")
	assert.Contains(t, h.ReadOnlyReason(), "cannot take the session lock "+LockPath(dir, "m"))
	assert.Contains(t, h.ReadOnlyReason(), "permission denied")
	require.ErrorIs(t, h.Save(h.Session()), ErrReadOnly)
	assert.Equal(t, string(doc), string(readFile(t, SessionPath(dir, "m"))), "a read-only handle writes nothing")

	refuse(t, LockPath(dir, "x"))
	_, err = Create(dir, sampleSession("x", "A", 0))
	assertPermissionFix(t, err, SessionsDir(dir), false)
	assert.NotErrorIs(t, err, ErrExists)
	assert.NoFileExists(t, SessionPath(dir, "x"), "a refused Create writes no document")
}

// An unreadable document: Load and Open say which file to check. See
// TestUnreadableSessionSaysWhatToCheck for the chmod version.
func TestRefusedReadSaysWhatToCheck(t *testing.T) {
	dir := t.TempDir()
	mustCreate(t, dir, sampleSession("x", "A", 0))
	doc := SessionPath(dir, "x")
	refuse(t, doc)

	_, err := Load(dir, "x")
	assertPermissionFix(t, err, doc, false)
	assert.Contains(t, err.Error(), `open session "x": open `+doc)
	_, err = Open(dir, "x")
	assertPermissionFix(t, err, doc, false)
	assert.Empty(t, LockHolder(dir, "x"), "a failed Open lets the lock go")
}

// A .git or XDG_STATE_HOME where cyclezero's directory cannot be made:
// Create names the directory to check, and outside git says
// XDG_STATE_HOME can point elsewhere. See
// TestCreateInAReadOnlyGitDirSaysWhatToCheck and
// TestCreateInAReadOnlyXDGStateHomeSaysWhatToDo for the chmod versions.
func TestRefusedMkdirSaysWhatToCheck(t *testing.T) {
	gitDir := filepath.Join(t.TempDir(), ".git")
	require.NoError(t, os.Mkdir(gitDir, 0o755))
	refuse(t, filepath.Join(gitDir, stateSubdir))
	_, err := Create(filepath.Join(gitDir, stateSubdir), sampleSession("x", "A", 0))
	assertPermissionFix(t, err, gitDir, false)
	assert.Contains(t, err.Error(), "mkdir "+filepath.Join(gitDir, stateSubdir))
	assert.NoDirExists(t, filepath.Join(gitDir, stateSubdir))

	xdg, work := preGitDir(t)
	loc := locate(t, work)
	require.False(t, loc.InGit)
	refuse(t, filepath.Join(xdg, stateSubdir))
	_, err = Create(loc.StateDir, sampleSession("x", "A", 0))
	assertPermissionFix(t, err, xdg, true)
}
