package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/state/gittest"
)

// mkdirRefused is the error setting up an embedded catalog at path gives
// when making blocked, a directory of the state dir, is refused.
func mkdirRefused(path, blocked string) error {
	return fmt.Errorf("create the directory of %s: %w", path,
		&fs.PathError{Op: "mkdir", Path: blocked, Err: syscall.EACCES})
}

// failPrepare makes creating a new session's embedded catalog fail as an
// unwritable state dir does: mkdir of blocked is refused.
func failPrepare(t *testing.T, blocked string) {
	t.Helper()
	prev := prepareLocalCatalog
	prepareLocalCatalog = func(_ context.Context, path, _ string) error { return mkdirRefused(path, blocked) }
	t.Cleanup(func() { prepareLocalCatalog = prev })
}

// wantCheck is the fix a permission refusal ends with: the path to check.
func wantCheck(path string) string {
	return " — check the owner and permissions of " + path + " (ls -ld " + state.ShellQuote(path) + ")"
}

// new --local in a repository whose git dir cannot be written names the
// git dir to check, not only the mkdir that failed.
func TestNewLocalInAnUnwritableGitDirSaysWhatToCheck(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	gitDir := filepath.Join(dir, ".git")
	stateDir := stateDirOf(t, dir)
	failPrepare(t, filepath.Join(gitDir, "cyclezero"))

	_, errOut, code := cli(t, "", "-C", dir, "new", "my-model", "--local")
	assert.Equal(t, exitError, code)
	assert.Equal(t, "cyclezero: create the embedded catalog of session my-model: create the directory of "+
		state.LocalCatalogPath(stateDir, "my-model")+": mkdir "+filepath.Join(gitDir, "cyclezero")+
		": permission denied"+wantCheck(gitDir)+"\n", errOut)
}

// Outside git the sessions are in the XDG state home: when that cannot be
// written, setting XDG_STATE_HOME elsewhere is offered too.
func TestNewLocalInAnUnwritableXDGStateHomeOffersAnother(t *testing.T) {
	isolate(t)
	gittest.Require(t) // new needs git even outside a repository
	dir := t.TempDir()
	xdg := os.Getenv("XDG_STATE_HOME")
	failPrepare(t, filepath.Join(xdg, "cyclezero"))

	_, errOut, code := cli(t, "", "-C", dir, "new", "my-model", "--local")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, ": permission denied"+wantCheck(xdg)+", or set XDG_STATE_HOME to a writable directory\n")
}

// The demo meets an unwritable git dir seeding its catalog: it says the
// same.
func TestDemoInAnUnwritableGitDirSaysWhatToCheck(t *testing.T) {
	isolate(t)
	gittest.Require(t)
	dir := filepath.Join(t.TempDir(), "ws")
	gitDir := filepath.Join(dir, ".git")
	prev := seedDemoCatalog
	seedDemoCatalog = func(_ context.Context, path string) (bool, error) {
		return false, fmt.Errorf("seed the demo catalog: %w", mkdirRefused(path, filepath.Join(gitDir, "cyclezero")))
	}
	t.Cleanup(func() { seedDemoCatalog = prev })

	_, errOut, code := cli(t, "", "demo", dir)
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "cyclezero: seed the demo catalog: create the directory of ")
	assert.Contains(t, errOut, ": mkdir "+filepath.Join(gitDir, "cyclezero")+": permission denied"+wantCheck(gitDir)+"\n")
}

// skipAsRoot skips a test of real file permissions, which root ignores.
func skipAsRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() == 0 {
		t.Skip("root ignores file permissions: run as another user to test a real refusal (the injected tests cover the message)")
	}
}

// readOnlyDir makes dir read-only until the test ends.
func readOnlyDir(t *testing.T, dir string) {
	t.Helper()
	require.NoError(t, os.Chmod(dir, 0o555))
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
}

// The same, for real: a read-only git dir with no cyclezero dir yet, and a
// read-only XDG state home outside git.
func TestNewLocalWithRealPermissionRefusals(t *testing.T) {
	skipAsRoot(t)
	isolate(t)
	dir := gitRepo(t)
	gitDir := filepath.Join(dir, ".git")
	readOnlyDir(t, gitDir)
	_, errOut, code := cli(t, "", "-C", dir, "new", "my-model", "--local")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "permission denied"+wantCheck(gitDir)+"\n")

	outside := t.TempDir()
	xdg := os.Getenv("XDG_STATE_HOME")
	readOnlyDir(t, xdg)
	_, errOut, code = cli(t, "", "-C", outside, "new", "my-model", "--local")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "permission denied"+wantCheck(xdg)+", or set XDG_STATE_HOME to a writable directory\n")
}
