package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// Errors on the common paths say what failed once: no "create session m:
// create session "m": …" or "open the local catalog: open local catalog …".

func TestCreateSessionErrorIsSaidOnce(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "first")
	lock := state.LockPath(stateDirOf(t, dir), "m4")
	require.NoError(t, os.Mkdir(lock, 0o755))
	_, errOut, code := cli(t, "", "-C", dir, "new", "m4", "--local")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, `cyclezero: create session "m4": `+lock+" is a directory")
	assert.Equal(t, 1, strings.Count(errOut, "create session"), errOut)
}

func TestOpenSessionErrorIsSaidOnce(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "m")
	path := state.SessionPath(stateDirOf(t, dir), "m")
	require.NoError(t, os.Rename(path, path+".away"))
	require.NoError(t, os.Mkdir(path, 0o755)) // a directory where the session's file goes
	ws, err := locate(context.Background(), &globalFlags{repo: dir})
	require.NoError(t, err)
	_, _, _, err = newSessions(ws).open(context.Background(), "m")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `open session "m": `+path+" is a directory, not the file of session m")
	assert.Equal(t, 1, strings.Count(err.Error(), "open session"), err.Error())
}

func TestOpenCatalogErrorIsSaidOnce(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "loop.sqlite")
	require.NoError(t, os.Symlink(db, db)) // a link to itself: opening it fails, and not as missing
	_, errOut, code := cli(t, "", "catalog", "ls", "--db", db)
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "cyclezero: open local catalog "+db+": ")
	assert.Equal(t, 1, strings.Count(errOut, "local catalog"), errOut)

	dir := repoWithSessions(t, "first")
	path := state.LocalCatalogPath(stateDirOf(t, dir), "m5")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	require.NoError(t, os.Symlink(path, path))
	_, errOut, code = cli(t, "", "-C", dir, "new", "m5", "--local")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "cyclezero: create the embedded catalog of session m5: open local catalog "+path+": ")
	assert.Equal(t, 1, strings.Count(errOut, "local catalog"), errOut)
	_, err := os.Lstat(path)
	assert.NoError(t, err, "what was there before new is left")
}
