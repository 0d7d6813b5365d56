package main

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// An open abandoned before it is done (esc during a slow open) leaves the
// session as it was: not rewritten (so not upgraded, and nothing to say
// about it), and not stamped as the one used last.
func TestAnAbandonedOpenLeavesTheSessionAsItWas(t *testing.T) {
	isolate(t)
	repo := gitRepo(t)
	stateDir := stateDirOf(t, repo)
	require.NoError(t, os.MkdirAll(state.SessionsDir(stateDir), 0o700))
	v1 := `{"schema_version": 1, "slug": "m", "repo_root": "` + repo + `", ` +
		`"catalog": {"kind": "ermrest", "host": "https://example.org", "catalog_id": "1"}, "current": "specify"}`
	require.NoError(t, os.WriteFile(state.SessionPath(stateDir, "m"), []byte(v1), 0o600))

	ws, err := locate(context.Background(), &globalFlags{repo: repo})
	require.NoError(t, err)
	m := newSessions(ws)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, _, err = m.open(ctx, "m")
	require.ErrorIs(t, err, context.Canceled, "abandoned")

	var errOut bytes.Buffer
	m.release(&errOut)
	assert.NotContains(t, errOut.String(), "was upgraded", "nothing was rewritten")
	data, err := os.ReadFile(state.SessionPath(stateDir, "m"))
	require.NoError(t, err)
	assert.Equal(t, v1, string(data), "the file is as it was")
	assert.NoFileExists(t, state.SchemaCopyPath(stateDir, "m", 1))
	assert.Empty(t, state.LockHolder(stateDir, "m"), "and its lock is let go")
}
