package main

import (
	"os"
	"testing"

	"github.com/gofrs/flock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// A quits cleanly (B is told), then a third cyclezero takes the lock,
// writes its owner record and crashes, leaving the record behind: B must
// forget the lock it found free when the new record appeared, probe
// again, and find the session free, not keep saying another cyclezero
// has opened it since.
func TestReleasedAfterAThirdCyclezeroCrashes(t *testing.T) {
	ctx, ws := sessionWorkspace(t)
	a, b := heldAndWaiting(t, ws)
	require.NoError(t, a.close())
	released, _ := b.released(ctx, "m")
	require.True(t, released, "A has quit")

	// The third cyclezero: it takes the lock and writes its record.
	path := state.LockPath(ws.StateDir, "m")
	third := flock.New(path)
	locked, err := third.TryLock()
	require.NoError(t, err)
	require.True(t, locked, "B's checks never held the lock")
	require.NoError(t, os.WriteFile(path, []byte(`{"pid":999999,"since":"2026-01-02T03:04:05Z"}`+"\n"), 0o600))
	for range 2 {
		released, watch := b.released(ctx, "m")
		assert.False(t, released, "the third holds it")
		assert.True(t, watch)
	}

	require.NoError(t, third.Unlock()) // a crash: its record stays
	for range 2 {
		released, watch := b.released(ctx, "m")
		assert.True(t, released, "the third has crashed: the session is free")
		assert.True(t, watch)
	}
	_, _, ro := b.readOnly("m")
	assert.True(t, ro, "B never takes the lock over")
}
