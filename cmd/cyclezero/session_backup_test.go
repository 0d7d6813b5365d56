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
	repo, stateDir := repoWithOnlyABackup(t, "m")

	_, errOut, code := cli(t, "", "-C", repo, "status", "m")
	assert.NotEqual(t, exitOK, code)
	assert.Contains(t, errOut, "restore it with: cp "+state.BackupPath(stateDir, "m")+" "+state.SessionPath(stateDir, "m"))
	assert.NotContains(t, errOut, "new m")
}

// repoWithOnlyABackup is a repository whose session slug has had its file
// deleted by hand, with its last good copy (the .bak) beside it.
func repoWithOnlyABackup(t *testing.T, slug string) (repo, stateDir string) {
	t.Helper()
	repo = repoWithSessions(t, slug)
	stateDir = stateDirOf(t, repo)
	data, err := os.ReadFile(state.SessionPath(stateDir, slug))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(state.BackupPath(stateDir, slug), data, 0o600))
	require.NoError(t, os.Remove(state.SessionPath(stateDir, slug)))
	return repo, stateDir
}
