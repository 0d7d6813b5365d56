package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// stateDirOf is where dir's sessions are kept.
func stateDirOf(t *testing.T, dir string) string {
	t.Helper()
	loc, err := state.Locate(context.Background(), dir)
	require.NoError(t, err)
	return loc.StateDir
}

// new --local makes the session's catalog before the session; when the
// session then cannot be made, the catalog it made is taken away again,
// and so is the session's directory, unless it holds something else.
func TestNewThatFailsTakesItsCatalogAway(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "first")
	stateDir := stateDirOf(t, dir)
	lock := state.LockPath(stateDir, "m4")
	require.NoError(t, os.Mkdir(lock, 0o755)) // in the way of the session's lock file

	_, errOut, code := cli(t, "", "-C", dir, "new", "m4", "--local")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, lock+" is a directory, not the lock file of session m4")
	_, err := os.Lstat(state.SessionDir(stateDir, "m4"))
	assert.ErrorIs(t, err, os.ErrNotExist, "no catalog and no directory are left for a session that does not exist")

	// A directory that held something before keeps it.
	notes := filepath.Join(state.SessionDir(stateDir, "m4"), "notes.txt")
	require.NoError(t, os.MkdirAll(filepath.Dir(notes), 0o700))
	require.NoError(t, os.WriteFile(notes, []byte("mine"), 0o600))
	_, errOut, code = cli(t, "", "-C", dir, "new", "m4", "--local")
	assert.Equal(t, exitError, code, errOut)
	entries, err := os.ReadDir(filepath.Dir(notes))
	require.NoError(t, err)
	require.Len(t, entries, 1, "only what was there before is left")
	assert.Equal(t, "notes.txt", entries[0].Name())

	require.NoError(t, os.Remove(lock))
	_, errOut, code = cli(t, "", "-C", dir, "new", "m4", "--local")
	require.Equal(t, exitOK, code, errOut)
	out, errOut, code := cli(t, "", "-C", dir, "catalog", "ls", "--session", "m4")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "deriva-ml  Dataset ")
}

// A taken slug is refused before its session's catalog is touched: the
// catalog is that session's, not new's to make or remove.
func TestNewWithATakenSlugLeavesItsCatalogAlone(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "m3")
	path := sessionCatalog(t, dir, "m3")
	require.NoError(t, os.Rename(path, path+".away"))

	_, errOut, code := cli(t, "", "-C", dir, "new", "m3", "--local")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "a session m3 already exists in this repository; open it with: cyclezero -C "+dir+" resume m3")
	_, err := os.Lstat(path)
	assert.ErrorIs(t, err, os.ErrNotExist, "new made no catalog for a session it did not create")
	_, err = os.Lstat(path + ".away")
	assert.NoError(t, err)
}
