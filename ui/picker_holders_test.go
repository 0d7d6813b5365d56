package ui

import (
	"context"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// holderSessions are two sessions, the first held by another cyclezero.
func holderSessions() []SessionChoice {
	return []SessionChoice{{Slug: "held", InUse: "in use by another cyclezero (pid 7)"}, {Slug: "free"}}
}

// The picker's "in use" mark follows the lock: asked again, a session
// whose holder has quit loses its mark and "Opens read-only", and nothing
// is asked about any more; one still held stays marked and is asked about
// again later.
func TestPickerInUseMarkFollowsTheLock(t *testing.T) {
	t.Parallel()
	holder := "in use by another cyclezero (pid 7)"
	var asked []string
	m := New(Options{Now: nowFn, Sessions: holderSessions(), Holder: func(_ context.Context, slug string) string {
		asked = append(asked, slug)
		return holder
	}})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	require.Contains(t, plainView(m), "held  [in use · read-only]")
	require.NotNil(t, m.watchHolders(), "a session is marked in use")

	m, next := update(t, m, holdersDueMsg{})
	require.NotNil(t, next)
	m, next = update(t, m, next())
	assert.Equal(t, []string{"held"}, asked, "only the marked session is asked about")
	assert.NotNil(t, next, "still held: asked again later")
	assert.Contains(t, plainView(m), "[in use · read-only]")

	holder = ""
	m, next = update(t, m, holdersDueMsg{})
	m, next = update(t, m, next())
	assert.Nil(t, next, "nothing is in use any more")
	assert.NotContains(t, plainView(m), "in use")
	assert.NotContains(t, plainView(m), "Opens read-only")
}

// Nothing is asked without a session marked in use, nor once a session
// is open.
func TestPickerAsksAboutHoldersOnlyWhenItMarksOne(t *testing.T) {
	t.Parallel()
	holder := func(context.Context, string) string { return "" }
	m := New(Options{Now: nowFn, Sessions: []SessionChoice{{Slug: "free"}}, Holder: holder})
	assert.Nil(t, m.watchHolders())
	m = New(Options{Now: nowFn, Sessions: holderSessions(), Holder: holder})
	m.screen = screenWizard
	assert.Nil(t, m.holdersDue())
}

// In a real program the first ask comes from Init: the mark changes to
// what the lock now says.
func TestPickerWatchesHoldersFromTheStart(t *testing.T) {
	t.Parallel()
	m := New(Options{Now: nowFn, Sessions: holderSessions(), Holder: func(context.Context, string) string {
		return "in use by another cyclezero (pid 4321)"
	}})
	// The held session is highlighted, so its detail line names the holder
	// (the renderer writes only the cells that change: a new pid's digits).
	runUntilShown(t, m, "4321)", 4*holdersEvery)
}
