package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/state/gittest"
	"github.com/cyclezero/cyclezero/ui"
)

// failStamp makes recording that a session was opened fail with err, as a
// read-only or full disk does after the lock was taken (root ignores file
// modes, so a chmod cannot make it fail).
func failStamp(t *testing.T, err error) {
	t.Helper()
	prev := stampOnOpen
	stampOnOpen = func(*state.Handle) error { return err }
	t.Cleanup(func() { stampOnOpen = prev })
}

// saveErr is a save failing the way writeAtomic's does on a read-only disk.
func saveErr(dir string, errno syscall.Errno) error {
	return fmt.Errorf("save session \"m\": create temp file in %s: %w", dir,
		&fs.PathError{Op: "open", Path: filepath.Join(dir, "m.tmp"), Err: errno})
}

// A session whose files cannot be written opens read-only, says why, lets
// go of its lock, and refuses to save; other failures still fail.
func TestOpenUnwritableSessionIsReadOnly(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "m")
	sessDir := state.SessionsDir(mustStateDir(t, dir))
	ws, err := locate(context.Background(), &globalFlags{repo: dir})
	require.NoError(t, err)

	for errno, why := range map[syscall.Errno]string{syscall.EROFS: "read-only file system",
		syscall.EACCES: "permission denied", syscall.ENOSPC: "no space left on device"} {
		failStamp(t, saveErr(sessDir, errno))
		m := newSessions(ws)
		s, ro, reason, err := m.open(context.Background(), "m")
		require.NoError(t, err, "%v", errno)
		require.True(t, ro, "%v", errno)
		assert.Equal(t, "m", s.Slug)
		assert.Equal(t, "in "+sessDir+", which cannot be written ("+why+")", reason)
		got, unwritable, ro := m.readOnly("m")
		assert.Equal(t, reason, got)
		assert.True(t, unwritable && ro, "%v", errno)
		require.ErrorIs(t, m.save(context.Background(), s), state.ErrReadOnly)

		h, err := state.Open(mustStateDir(t, dir), "m")
		require.NoError(t, err)
		assert.False(t, h.ReadOnly(), "the lock it could not use was released")
		require.NoError(t, h.Close())
		require.NoError(t, m.close())
	}

	failStamp(t, errors.New("the document changed"))
	_, _, _, err = newSessions(ws).open(context.Background(), "m")
	require.ErrorContains(t, err, "open session m: record that it was opened: the document changed")
}

// The wizard shows the unwritable session as read-only, and quitting says
// nothing was saved and when to resume.
func TestUnwritableSessionWizardSaysNothingIsSaved(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "m")
	sessDir := state.SessionsDir(mustStateDir(t, dir))
	failStamp(t, saveErr(sessDir, syscall.EROFS))
	out, err := wizardIn(t, dir, &globalFlags{repo: dir, accessible: true}, "3\nq\n", func(m *sessions) ui.Options {
		s, ro, reason, err := m.open(context.Background(), "m")
		require.NoError(t, err)
		opts := m.uiOptions()
		opts.Session, opts.ReadOnly, opts.ReadOnlyReason = s, ro, reason
		opts.Width = 1000 // no wrapping inside the long temporary path
		return opts
	})
	require.NoError(t, err)
	where := "in " + sessDir + ", which cannot be written (read-only file system)"
	assert.Contains(t, out, "Read-only: this session is "+where+", so nothing you do here is saved.")
	assert.Contains(t, out, "Nothing was saved: session m is "+where+", so it was read-only here.\n"+
		"Once it can be written, resume with: cyclezero -C "+dir+" --accessible resume m\n")
}

// mountedRepo is a git repository on a tmpfs of its own (isolated as
// isolate does), and readOnly remounts that tmpfs read-only: a disk that
// refuses writes even to root, which ignores file modes. It skips where
// mounting is not allowed (not root, or a container that forbids it).
func mountedRepo(t *testing.T) (dir string, readOnly func()) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	isolate(t)
	gittest.Require(t)
	mnt := filepath.Join(t.TempDir(), "mnt")
	require.NoError(t, os.Mkdir(mnt, 0o755))
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", mnt).Run() })
	dir = filepath.Join(mnt, "repo")
	require.NoError(t, os.Mkdir(dir, 0o755))
	gittest.Run(t, dir, "init", "-q")
	gittest.Run(t, dir, "commit", "-q", "--allow-empty", "-m", "start")
	return dir, func() {
		t.Helper()
		out, err := exec.Command("mount", "-o", "remount,ro", mnt).CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
}

// On a real read-only mount (root only, where mount works) the session
// opens read-only with nothing written, whether its lock file is there
// (the lock works, the save does not) or not (the lock cannot be taken).
func TestOpenOnReadOnlyMount(t *testing.T) {
	dir, readOnly := mountedRepo(t)
	for _, slug := range []string{"locks", "no-lock"} {
		_, errOut, code := cli(t, "", "-C", dir, "new", slug, "--local")
		require.Equal(t, exitOK, code, errOut)
	}
	stateDir := mustStateDir(t, dir)
	require.NoError(t, os.Remove(state.LockPath(stateDir, "no-lock")))
	readOnly()

	ws, err := locate(context.Background(), &globalFlags{repo: dir})
	require.NoError(t, err)
	for _, slug := range []string{"locks", "no-lock"} {
		before, err := os.ReadFile(sessionFile(t, dir, slug))
		require.NoError(t, err)
		m := newSessions(ws)
		_, ro, reason, err := m.open(context.Background(), slug)
		require.NoError(t, err, slug)
		assert.True(t, ro, slug)
		assert.Equal(t, "in "+state.SessionsDir(stateDir)+", which cannot be written (read-only file system)", reason, slug)
		_, unwritable, _ := m.readOnly(slug)
		assert.True(t, unwritable, "%s: quitting says when to resume, not to wait for another cyclezero", slug)
		require.NoError(t, m.close())
		after, err := os.ReadFile(sessionFile(t, dir, slug))
		require.NoError(t, err)
		assert.Equal(t, string(before), string(after), slug)
	}
}
