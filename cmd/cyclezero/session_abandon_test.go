package main

import (
	"context"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// An open whose context ended (the user left it with esc) does not replace
// the session on screen: the one already open stays open and locked, and
// the abandoned one is released.
func TestAbandonedOpenKeepsTheOpenSession(t *testing.T) {
	isolate(t)
	repo := repoWithSessions(t, "shown", "abandoned")
	ws, err := locate(context.Background(), &globalFlags{repo: repo})
	require.NoError(t, err)
	m := newSessions(ws)
	t.Cleanup(func() { m.release(io.Discard) })
	_, ro, _, err := m.open(context.Background(), "shown")
	require.NoError(t, err)
	require.False(t, ro)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, _, err = m.open(ctx, "abandoned")
	require.ErrorIs(t, err, context.Canceled)

	_, ro, _ = m.readOnly("shown")
	assert.False(t, ro, "the shown session is still the open one")
	require.NoError(t, m.save(context.Background(), mustLoad(t, ws, "shown")), "and can still be saved")
	assert.NotEmpty(t, state.LockHolder(ws.StateDir, "shown"), "its lock is still held")
	assert.Empty(t, state.LockHolder(ws.StateDir, "abandoned"), "the abandoned session's lock is released")
}

// mustLoad reads slug's session of ws or stops the test.
func mustLoad(t *testing.T, ws workspace, slug string) *state.Session {
	t.Helper()
	s, err := ws.load(slug)
	require.NoError(t, err)
	return s
}
