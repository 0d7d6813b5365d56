package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// The only session's file deleted by hand, its backup beside it: no
// command calls the repository empty or offers to start that slug over.
// status and resume without a slug, bare cyclezero and the picker say to
// restore the backup; new with that slug is refused, so the backup is
// never replaced.
func TestABackupOnlySessionIsNeitherForgottenNorOverwritten(t *testing.T) {
	isolate(t)
	repo, stateDir := repoWithOnlyABackup(t, "m")
	data, err := os.ReadFile(state.BackupPath(stateDir, "m"))
	require.NoError(t, err)
	fix := "restore it with: cp " + state.BackupPath(stateDir, "m") + " " + state.SessionPath(stateDir, "m")

	for _, args := range [][]string{{"status"}, {"resume"}, {}} {
		_, errOut, code := cli(t, "", append([]string{"-C", repo}, args...)...)
		assert.NotEqual(t, exitOK, code, "%v", args)
		assert.Contains(t, errOut, fix, "%v", args)
		assert.NotContains(t, errOut, "no cyclezero sessions", "%v", args)
		assert.NotContains(t, errOut, "new m ", "%v: starting m over is not offered", args)
	}

	_, errOut, code := cli(t, "", "-C", repo, "new", "m", "--local")
	assert.NotEqual(t, exitOK, code, "new m is refused")
	assert.Contains(t, errOut, "a session m already exists in this repository but cannot be opened: ")
	assert.Contains(t, errOut, fix)
	_, err = os.Lstat(state.SessionPath(stateDir, "m"))
	assert.ErrorIs(t, err, os.ErrNotExist, "new wrote no session file")
	got, err := os.ReadFile(state.BackupPath(stateDir, "m"))
	require.NoError(t, err)
	assert.Equal(t, data, got, "the backup is untouched")

	// The picker lists it as it lists a damaged session: a word, and the fix.
	ws := workspace{Location: state.Location{StateDir: stateDir, RepoRoot: repo, InGit: true}}
	choices, err := newSessions(ws).choices()
	require.NoError(t, err)
	require.Len(t, choices, 1)
	assert.Equal(t, "m", choices[0].Slug)
	assert.Equal(t, "file deleted, backup kept", choices[0].Broken)
	assert.Contains(t, choices[0].Problem, fix)

	// Restored as it says, the session opens again.
	require.NoError(t, os.WriteFile(state.SessionPath(stateDir, "m"), data, 0o600))
	out, errOut, code := cli(t, "", "-C", repo, "status", "--plain")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "cyclezero session m\n")
}
