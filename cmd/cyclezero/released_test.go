package main

import (
	"context"
	"os"
	"testing"

	"github.com/gofrs/flock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/ui"
)

// openSession opens slug in a sessions of its own (another cyclezero, as
// far as the lock goes), closed when the test ends.
func openSession(t *testing.T, ws workspace, slug string) (*sessions, bool) {
	t.Helper()
	m := newSessions(ws)
	_, ro, _, err := m.open(context.Background(), slug)
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.close() })
	return m, ro
}

// sessionWorkspace isolates the test and locates a repository holding
// session "m".
func sessionWorkspace(t *testing.T) (context.Context, workspace) {
	t.Helper()
	isolate(t)
	dir := repoWithSessions(t, "m")
	ws, err := locate(context.Background(), &globalFlags{repo: dir})
	require.NoError(t, err)
	return context.Background(), ws
}

// heldAndWaiting opens session "m" in A, then in B, which gets it
// read-only.
func heldAndWaiting(t *testing.T, ws workspace) (a, b *sessions) {
	t.Helper()
	a, ro := openSession(t, ws, "m")
	require.False(t, ro)
	b, ro = openSession(t, ws, "m")
	require.True(t, ro)
	return a, b
}

// The audit's steps: A opens, B opens read-only, A quits (B is told), C
// opens and takes the lock: B is told it is held again, and once C quits,
// free again.
func TestReleasedFollowsAThirdCyclezero(t *testing.T) {
	ctx, ws := sessionWorkspace(t)
	a, b := heldAndWaiting(t, ws)
	released, watch := b.released(ctx, "m")
	require.False(t, released, "A holds it")
	require.True(t, watch)

	require.NoError(t, a.close())
	for range 2 { // and stays so, without a probe
		released, watch = b.released(ctx, "m")
		assert.True(t, released, "A has quit")
		assert.True(t, watch, "a third may take it")
	}

	c, ro := openSession(t, ws, "m")
	require.False(t, ro, "C takes the lock: B's checks never held it")
	for range 2 {
		released, watch = b.released(ctx, "m")
		assert.False(t, released, "C holds it now")
		assert.True(t, watch)
	}

	require.NoError(t, c.close())
	released, watch = b.released(ctx, "m")
	assert.True(t, released, "C has quit")
	assert.True(t, watch)
	_, _, ro = b.readOnly("m")
	assert.True(t, ro, "B never takes the lock over")
}

// A holder that crashed leaves its owner record in the lock file: the lock
// is probed once and found free, then not probed again while the record
// stays as it was (a lock taken behind that record's back is not seen,
// which a cyclezero never does: it writes its own record); a new record
// is a new holder.
func TestReleasedProbesACrashedHolderOnce(t *testing.T) {
	ctx, ws := sessionWorkspace(t)

	path := state.LockPath(ws.StateDir, "m")
	crashed := []byte(`{"pid":999999,"since":"2026-01-02T03:04:05Z"}` + "\n")
	other := flock.New(path)
	locked, err := other.TryLock()
	require.NoError(t, err)
	require.True(t, locked)
	require.NoError(t, os.WriteFile(path, crashed, 0o600))
	b, ro := openSession(t, ws, "m")
	require.True(t, ro)
	released, _ := b.released(ctx, "m")
	require.False(t, released, "held")

	require.NoError(t, other.Unlock()) // a crash: the record stays
	released, watch := b.released(ctx, "m")
	assert.True(t, released, "the probe finds it free")
	assert.True(t, watch)

	// Held again, the record unchanged: only a probe could tell, and
	// there is none.
	locked, err = other.TryLock()
	require.NoError(t, err)
	require.True(t, locked)
	released, _ = b.released(ctx, "m")
	assert.True(t, released, "not probed again")

	require.NoError(t, os.WriteFile(path, []byte(`{"pid":4242,"since":"2026-01-02T03:05:00Z"}`+"\n"), 0o600))
	released, watch = b.released(ctx, "m")
	assert.False(t, released, "a new record is a new holder")
	assert.True(t, watch)
	released, _ = b.released(ctx, "m")
	assert.False(t, released, "and probed while it holds it")
	require.NoError(t, other.Unlock())
}

// The UI is given the check: wizardOptions (resume, demo) and uiOptions
// (the picker) both carry sessions.released, so the notice can follow the
// lock.
func TestUIOptionsCarryTheReleasedCheck(t *testing.T) {
	ctx, ws := sessionWorkspace(t)
	a, b := heldAndWaiting(t, ws)
	s, err := state.Load(ws.StateDir, "m")
	require.NoError(t, err)
	for _, opts := range []ui.Options{b.uiOptions(), b.wizardOptions(ctx, s, true, "held")} {
		require.NotNil(t, opts.Released)
		released, _ := opts.Released(ctx, "m")
		assert.False(t, released, "A holds it")
	}
	assert.NotEmpty(t, b.uiOptions().Holder(ctx, "m"), "the picker's mark")
	require.NoError(t, a.close())
	for _, opts := range []ui.Options{b.uiOptions(), b.wizardOptions(ctx, s, true, "held")} {
		released, _ := opts.Released(ctx, "m")
		assert.True(t, released, "A has quit")
	}
	assert.Empty(t, b.uiOptions().Holder(ctx, "m"), "the picker's mark goes")
}
