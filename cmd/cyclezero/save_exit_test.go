package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/ui"
)

// saveFailsWizard opens session m in dir, lets spoil break it under the
// open wizard, then moves a phase and quits in accessible mode; it returns
// what was printed and the error the wizard ended with.
func saveFailsWizard(t *testing.T, dir string, spoil func(m *sessions)) (string, error) {
	t.Helper()
	return wizardIn(t, dir, &globalFlags{repo: dir, accessible: true}, "3\nq\n", func(m *sessions) ui.Options {
		s, ro, reason, err := m.open(context.Background(), "m")
		require.NoError(t, err)
		spoil(m)
		opts := m.uiOptions()
		opts.Session, opts.ReadOnly, opts.ReadOnlyReason = s, ro, reason
		opts.Width = 1000
		return opts
	})
}

// A session file damaged under the running wizard: quitting gives the fix
// first and only then how to resume, and says "could not save" once.
func TestSaveOnExitIntoADamagedFileGivesTheFixBeforeResuming(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "m")
	path := sessionFile(t, dir, "m")
	backup := state.BackupPath(stateDirOf(t, dir), "m")
	out, err := saveFailsWizard(t, dir, func(*sessions) {
		require.NoError(t, os.WriteFile(path, []byte("garbage\n"), 0o600))
	})
	require.Error(t, err)
	assert.ErrorAs(t, err, new(*state.DamagedError))
	assert.Equal(t, exitError, exitCode(err))
	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, "the session could not be saved on exit: session file "+path+" is damaged: "), msg)
	assert.Contains(t, msg, "; the last good copy is "+backup+" — restore it with: cp "+backup+" "+path+
		"\n  then resume with: cyclezero -C "+dir+" --accessible resume m")
	assert.NotContains(t, msg, "could not save the session")
	assert.NotContains(t, out, "Resume with:", "resuming fails until the file is restored")
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "garbage\n", string(got), "the damaged file is not written over")

	// Following the fix, then the hint, works.
	require.NoError(t, os.WriteFile(path, mustRead(t, backup), 0o600))
	_, errOut, code := cli(t, "", "-C", dir, "status", "--plain", "m")
	assert.Equal(t, exitOK, code, errOut)
}

// With no good copy to restore, the fix starts the session over: no
// resume is offered after it.
func TestSaveOnExitIntoADamagedFileWithoutABackup(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "m")
	path := sessionFile(t, dir, "m")
	_, err := saveFailsWizard(t, dir, func(*sessions) {
		require.NoError(t, os.WriteFile(path, []byte("garbage\n"), 0o600))
		require.NoError(t, os.Remove(state.BackupPath(stateDirOf(t, dir), "m")))
	})
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, "there is no good backup copy — move the damaged file aside and start over with: mv "+path+" "+path+
		".damaged && cyclezero -C "+dir+" --accessible new m")
	assert.NotContains(t, msg, "resume with")
	assert.NotContains(t, msg, "could not save the session")
}

// Any other failed save keeps the resume hint (resuming works) and says
// "could not save" once.
func TestSaveOnExitFailingOtherwiseSaysItOnce(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "m")
	out, err := saveFailsWizard(t, dir, func(m *sessions) {
		require.NoError(t, m.handle.Close()) // the save is refused: the handle is closed
	})
	require.ErrorIs(t, err, state.ErrClosed)
	assert.Equal(t, `the session could not be saved on exit: save session "m": session handle is closed`, err.Error())
	assert.Contains(t, out, "Resume with: cyclezero -C "+dir+" --accessible resume m\n")
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}
