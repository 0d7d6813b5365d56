package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// A session file deleted by hand, with its backup beside it: status says
// to restore the backup, not to start the session over.
func TestStatusOfADeletedSessionWithABackup(t *testing.T) {
	isolate(t)
	repo := repoWithSessions(t, "m")
	stateDir := stateDirOf(t, repo)
	data, err := os.ReadFile(state.SessionPath(stateDir, "m"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(state.BackupPath(stateDir, "m"), data, 0o600))
	require.NoError(t, os.Remove(state.SessionPath(stateDir, "m")))

	_, errOut, code := cli(t, "", "-C", repo, "status", "m")
	assert.NotEqual(t, exitOK, code)
	assert.Contains(t, errOut, "restore it with: cp "+state.BackupPath(stateDir, "m")+" "+state.SessionPath(stateDir, "m"))
	assert.NotContains(t, errOut, "new m")
}
