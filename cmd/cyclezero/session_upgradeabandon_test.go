package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// An open that rewrites an older-schema session and is then abandoned
// (esc during a slow open) still says the session was upgraded: the file
// was rewritten whether or not the session was shown.
func TestAnAbandonedOpenStillSaysItUpgraded(t *testing.T) {
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
	assert.Equal(t, 1, strings.Count(errOut.String(), "cyclezero: session m was upgraded from schema 1 to "), errOut.String())
	data, err := os.ReadFile(state.SchemaCopyPath(stateDir, "m", 1))
	require.NoError(t, err)
	assert.Equal(t, v1, string(data), "and the old file is where it says")
}
