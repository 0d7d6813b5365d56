package main

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/gofrs/flock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/ui"
)

// holdAs takes slug's session lock with an owner record naming pid, as
// another cyclezero holding the session does, and returns how it lets go:
// quit cleanly (the record cleared first, as state's unlock does) or as a
// crash does (the record left behind).
func holdAs(t *testing.T, stateDir, slug string, pid int) (quit func(clean bool)) {
	t.Helper()
	path := state.LockPath(stateDir, slug)
	fl := flock.New(path)
	ok, err := fl.TryLock()
	require.NoError(t, err)
	require.True(t, ok, "the session is free before the test holds it")
	t.Cleanup(func() { _ = fl.Unlock() })
	rec, err := json.Marshal(map[string]any{"pid": pid, "since": "2026-03-14T15:09:26Z"})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, rec, 0o600))
	return func(clean bool) {
		if clean {
			require.NoError(t, os.Truncate(path, 0))
		}
		require.NoError(t, fl.Unlock())
	}
}

// readOnlyWizard opens slug in dir while pid holds it, lets the holder go
// as let says (nil: it stays), then moves a phase and quits in accessible
// mode; it returns what quitting printed.
func readOnlyWizard(t *testing.T, dir, slug string, pid int, let func(quit func(clean bool))) string {
	t.Helper()
	quit := holdAs(t, stateDirOf(t, dir), slug, pid)
	out, err := wizardIn(t, dir, &globalFlags{repo: dir, accessible: true}, "3\nq\n", func(m *sessions) ui.Options {
		s, ro, reason, err := m.open(context.Background(), slug)
		require.NoError(t, err)
		require.True(t, ro)
		require.Equal(t, "in use by another cyclezero (pid 4242)", reason)
		if let != nil {
			let(quit) // the other cyclezero quits while this one runs
		}
		opts := m.uiOptions()
		opts.Session, opts.ReadOnly, opts.ReadOnlyReason = s, ro, reason
		opts.Width = 1000
		return opts
	})
	require.NoError(t, err)
	return out
}

// A second cyclezero that opened the session read-only does not blame the
// first for holding it when the first has quit since: it says so, and
// that nothing from this window was saved.
func TestReadOnlyExitAfterTheOtherCyclezeroQuit(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "m")
	resume := "resume with: cyclezero -C " + dir + " --accessible resume m\n"
	for name, clean := range map[string]bool{"quit": true, "crashed": false} {
		out := readOnlyWizard(t, dir, "m", 4242, func(quit func(bool)) { quit(clean) })
		assert.Contains(t, out, "Nothing from this window was saved: session m was in use by another cyclezero "+
			"(pid 4242) when it opened here, so it was read-only.\nThe other cyclezero has quit since; "+resume, name)
		assert.NotContains(t, out, "Carry on in that cyclezero", name)
		s, err := state.Load(stateDirOf(t, dir), "m")
		require.NoError(t, err)
		assert.Equal(t, "specify", s.Current, "%s: the read-only window saved nothing", name)
	}
}

// While the other cyclezero still has it, quitting says so as before.
func TestReadOnlyExitWhileTheOtherCyclezeroHoldsIt(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "m")
	out := readOnlyWizard(t, dir, "m", 4242, nil)
	assert.Contains(t, out, "Nothing was saved: session m is in use by another cyclezero (pid 4242), so it was "+
		"read-only here.\nCarry on in that cyclezero, or once it has quit, resume with: cyclezero -C "+dir+
		" --accessible resume m\n")
}
