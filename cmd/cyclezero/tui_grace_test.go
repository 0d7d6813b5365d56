package main

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/ui"
)

// A wizard still saving leaveGrace after the signal is stopped, but what
// the user needs to come back is kept: the outcome still names the
// session (so runWizard prints the resume hint), as interrupted (exit
// 130/143, not an error), and stderr warns that the last move may not have
// been saved. Slow by design: it waits out the real grace (5s).
func TestWizardStoppedStillSavingKeepsTheResumeHint(t *testing.T) {
	if testing.Short() {
		t.Skip("waits out the wizard's leave grace")
	}
	t.Parallel()
	const slug = "stuck-save"
	saving, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	var once sync.Once
	opts := ui.Options{
		Session: &state.Session{Slug: slug, Current: "specify"},
		Width:   100, Height: 30,
		SaveDelay: time.Millisecond,
		Save: func(ctx context.Context, _ *state.Session) error {
			once.Do(func() { close(saving) })
			select { // a hung disk: the save never returns on its own
			case <-release:
			case <-ctx.Done():
			}
			return ctx.Err()
		},
	}
	pr, pw := io.Pipe()
	defer pw.Close()
	var out, errb lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type result struct {
		out ui.Outcome
		err error
	}
	done := make(chan result, 1)
	go func() {
		o, err := runTUI(ctx, stdio{in: pr, out: &out, err: &errb}, opts)
		done <- result{o, err}
	}()
	go func() { _, _ = io.WriteString(pw, "j") }() // a move, saved once it settles

	guard := time.After(time.Minute) // a hang guard, not a timing assertion
	select {
	case <-saving:
	case <-guard:
		t.Fatalf("the move was never saved; stderr:\n%s", errb.String())
	}
	cancel() // SIGTERM while the save hangs
	var r result
	select {
	case r = <-done:
	case <-guard:
		t.Fatal("the wizard was not stopped after the signal")
	}
	require.NoError(t, r.err, "a wizard stopped while saving is an interrupt, not a failure")
	assert.Equal(t, slug, r.out.Slug, "the outcome names the session to resume")
	assert.True(t, r.out.Quit && r.out.Interrupted, "%+v", r.out)
	warn := errb.String()
	assert.Contains(t, warn, "cyclezero: the wizard was stopped "+leaveGrace.String()+" after the signal, still saving; "+
		"the phase last selected may not have been saved\n")
	assert.Equal(t, 1, strings.Count(warn, "cyclezero:"), "one note, no error:\n%s", warn)
}
