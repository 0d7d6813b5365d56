package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/ui"
)

// leaver is a model that reports when it runs and counts the LeaveMsgs it
// gets; unless stubborn it leaves on one through a command, as the wizard
// does when it saves first.
type leaver struct {
	started  chan struct{}
	stubborn bool
	leaves   int
	saved    bool
}

type leaverSavedMsg struct{}

func (m leaver) Init() tea.Cmd {
	return func() tea.Msg { close(m.started); return nil }
}

func (m leaver) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg.(type) {
	case ui.LeaveMsg:
		m.leaves++
		if !m.stubborn {
			return m, func() tea.Msg { return leaverSavedMsg{} }
		}
	case leaverSavedMsg:
		m.saved = true
		return m, tea.Quit
	}
	return m, nil
}

func (m leaver) View() tea.View { return tea.NewView("leaver") }

// runLeaver runs m with runLeaving and cancels its context (as a signal
// does) once it is running.
func runLeaver(t *testing.T, m leaver, grace time.Duration) (leaver, error) {
	t.Helper()
	// Input that stays open, as a terminal's does. Not an *os.File: a
	// killed program closes that under its own reader (a race in
	// bubbletea's kill path that -race reports).
	r, w := io.Pipe()
	t.Cleanup(func() { _ = w.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-m.started
		cancel()
	}()
	final, err := runLeaving(ctx, stdio{in: r, out: &bytes.Buffer{}, err: &bytes.Buffer{}}, m, grace)
	got, ok := final.(leaver)
	require.True(t, ok, "the final model comes back: %T", final)
	return got, err
}

// A cancelled context (a signal) asks the model to leave: it finishes what
// it was doing (its save) and quits, and its final model comes back.
func TestRunLeavingAsksTheModelToLeave(t *testing.T) {
	t.Parallel()
	got, err := runLeaver(t, leaver{started: make(chan struct{})}, time.Minute)
	require.NoError(t, err)
	assert.Equal(t, 1, got.leaves)
	assert.True(t, got.saved, "the model quit after its save")
}

// A model that does not leave is stopped after the grace, and the model it
// had still comes back, so cmd can print the resume hint.
func TestRunLeavingStopsAModelThatDoesNotLeave(t *testing.T) {
	t.Parallel()
	got, err := runLeaver(t, leaver{started: make(chan struct{}), stubborn: true}, 10*time.Millisecond)
	require.True(t, errors.Is(err, tea.ErrProgramKilled), "%v", err)
	assert.Equal(t, 1, got.leaves, "the model was asked first")
	assert.False(t, got.saved)
}
