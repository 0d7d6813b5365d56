package ui

import (
	"bytes"
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/cyclezero/cyclezero/state"
)

// released says the other cyclezero has quit, and to stop asking.
func released(context.Context, string) (bool, bool) { return true, false }

// waitForQuitNotice runs m in a real program until the read-only notice
// says the other cyclezero has quit: the slow tick has to be started by
// the program itself, from Init or from opening a session.
func waitForQuitNotice(t *testing.T, m Model, keys ...tea.KeyPressMsg) {
	t.Helper()
	runUntilShown(t, m, "the other cyclezero has quit", 4*releasedEvery, keys...)
}

// runUntilShown runs m in a real program (100x30, no colour), sends keys,
// and waits up to within for the output to hold text, then quits.
func runUntilShown(t *testing.T, m Model, text string, within time.Duration, keys ...tea.KeyPressMsg) {
	t.Helper()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(100, 30),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	for _, k := range keys {
		tm.Send(k)
	}
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(within), teatest.WithCheckInterval(20*time.Millisecond))
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
}

// A session opened read-only from the command line is watched from the
// start (Init).
func TestReadOnlySessionIsWatchedFromTheStart(t *testing.T) {
	t.Parallel()
	waitForQuitNotice(t, New(Options{Now: nowFn, Session: fixtureSession(), ReadOnly: true,
		ReadOnlyReason: "in use by another cyclezero (pid 4242)", Released: released}))
}

// A session the picker opens read-only is watched once it is open.
func TestReadOnlySessionOpenedFromThePickerIsWatched(t *testing.T) {
	t.Parallel()
	open := func(context.Context, string) (*state.Session, bool, string, error) {
		return fixtureSession(), true, "in use by another cyclezero (pid 4242)", nil
	}
	waitForQuitNotice(t, New(Options{Now: nowFn, Sessions: []SessionChoice{{Slug: "m"}}, Open: open, Released: released}),
		keyEnter)
}
