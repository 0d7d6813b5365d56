package ui

import (
	"context"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// A LeaveMsg (cmd's answer to SIGTERM) right after a move saves the move
// its timer has not saved yet, and quits only once the save is back.
func TestLeaveSavesThePendingSelectionThenQuits(t *testing.T) {
	t.Parallel()
	rec := &saveRecorder{}
	m := wizardModel(t, Options{Save: rec.save}) // the default settle delay: the move waits
	m, timer := update(t, m, keyRune('j'))
	require.True(t, timer != nil, "the move starts its timer")

	m, save := update(t, m, LeaveMsg{Interrupted: true})
	require.True(t, save != nil, "leaving saves the unsettled move")
	assert.Empty(t, rec.saved, "not before the save runs")
	saved := save()
	_, isQuit := saved.(tea.QuitMsg)
	require.False(t, isQuit, "the command saves; it does not quit before the save is back")
	m, cmd := update(t, m, saved)
	quits(t, cmd, "after the save")
	assert.Equal(t, []string{"validate"}, rec.saved)
	assert.Zero(t, rec.unbounded, "Save gets a deadline")
	assert.Equal(t, Outcome{Slug: "cifar10-2layer-cnn", Quit: true, Interrupted: true}, m.Outcome())

	// The move's timer firing late saves nothing more.
	m, late := update(t, m, saveDueMsg{gen: m.gen, seq: m.moveSeq})
	assert.True(t, late == nil)
	assert.Equal(t, []string{"validate"}, rec.saved)
}

// A LeaveMsg while a save is in flight waits for it; a second one does
// not skip it (unlike a second ctrl+c, a repeated signal is no user
// insisting).
func TestLeaveWaitsForTheSaveInFlight(t *testing.T) {
	t.Parallel()
	rec := &saveRecorder{}
	m := wizardModel(t, Options{Save: rec.save, SaveDelay: -1})
	m, save := update(t, m, keyRune('k'))
	m, cmd := update(t, m, LeaveMsg{})
	assert.True(t, cmd == nil, "leaving waits for the save in flight")
	m, cmd = update(t, m, LeaveMsg{})
	assert.True(t, cmd == nil, "so does a second LeaveMsg")
	m, cmd = update(t, m, save())
	quits(t, cmd)
	assert.Equal(t, []string{"schema"}, rec.saved)
	assert.Equal(t, Outcome{Slug: "cifar10-2layer-cnn", Quit: true}, m.Outcome(), "Interrupted only when the message says so")
}

// A second ctrl+c does not wait for a save in flight, however long it
// takes: the user insists on leaving.
func TestSecondCtrlCQuitsWhileTheSaveIsPending(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{SaveDelay: -1, Save: func(ctx context.Context, _ *state.Session) error {
		<-ctx.Done() // never returns on its own; the test never runs it
		return ctx.Err()
	}})
	m, save := update(t, m, keyRune('j'))
	require.True(t, save != nil, "the move starts a save")
	m, cmd := update(t, m, keyCtrlC)
	assert.True(t, cmd == nil, "the first ctrl+c waits for the save in flight")
	m, cmd = update(t, m, keyCtrlC)
	quits(t, cmd, "the second ctrl+c")
	assert.Equal(t, Outcome{Slug: "cifar10-2layer-cnn", Quit: true, Interrupted: true}, m.Outcome())
}

// Leaving from the picker or the form, where nothing is open, quits at
// once with no session in the Outcome.
func TestLeaveWithoutASessionQuitsAtOnce(t *testing.T) {
	t.Parallel()
	for name, o := range map[string]Options{
		"picker": {Sessions: []SessionChoice{{Slug: "a"}}},
		"form":   {},
	} {
		m := New(o)
		m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
		m, cmd := update(t, m, LeaveMsg{Interrupted: true})
		quits(t, cmd, name)
		assert.Equal(t, Outcome{Quit: true, Interrupted: true}, m.Outcome(), name)
	}
}

// The status dashboard has nothing to save: a LeaveMsg quits it, marked
// interrupted when it says so.
func TestWatchLeaves(t *testing.T) {
	t.Parallel()
	for _, interrupted := range []bool{true, false} {
		m, cmd := update(t, NewWatch(WatchOptions{}), LeaveMsg{Interrupted: interrupted})
		quits(t, cmd, "interrupted=%v", interrupted)
		assert.Equal(t, interrupted, m.Interrupted())
	}
}
