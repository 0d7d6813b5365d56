package ui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// fakeReleased answers Options.Released with what it is set to, counting
// the calls and recording the slug asked about.
type fakeReleased struct {
	released, watch bool
	calls           int
	slug            string
}

func (f *fakeReleased) check(_ context.Context, slug string) (bool, bool) {
	f.calls++
	f.slug = slug
	return f.released, f.watch
}

// askNow plays the slow tick having fired: it feeds releasedDueMsg, runs
// the command that asks Released (in the test's goroutine: the fake does
// no I/O) and feeds its answer back, returning what Update asked next.
func askNow(t *testing.T, m Model) (Model, tea.Cmd) {
	t.Helper()
	m, cmd := update(t, m, releasedDueMsg{gen: m.gen})
	require.NotNil(t, cmd, "a read-only session is asked about")
	answer, ok := cmd().(releasedMsg)
	require.True(t, ok, "the command answers with releasedMsg")
	return update(t, m, answer)
}

// While another cyclezero holds the session, the notice names it; once
// Released says it has quit, the notice says so and how to make changes
// (quit, then the resume command), and the session stays read-only.
func TestReadOnlyNoticeSaysWhenTheOtherCyclezeroHasQuit(t *testing.T) {
	t.Parallel()
	f := &fakeReleased{watch: true}
	m := wizardModel(t, Options{ReadOnly: true, ReadOnlyReason: "in use by another cyclezero (pid 4242)", Released: f.check,
		Command: func(args ...string) string { return "cz -C /repo " + strings.Join(args, " ") }})
	require.NotNil(t, m.watchReleased(), "a read-only session is watched")

	m, next := askNow(t, m)
	assert.Equal(t, 1, f.calls)
	assert.Equal(t, fixtureSession().Slug, f.slug)
	assert.NotNil(t, next, "still held: asked again later")
	view := plainView(m)
	assert.Contains(t, view, "pid 4242")
	assert.NotContains(t, view, "has quit")

	f.released = true
	m, next = askNow(t, m)
	assert.NotNil(t, next, "still watched: someone may take it again")
	view = plainView(m)
	assert.Contains(t, view, "the other cyclezero has quit; quit and resume to make changes:")
	assert.Contains(t, view, "cz -C /repo resume "+fixtureSession().Slug)
	assert.NotContains(t, view, "pid 4242")
	assert.Contains(t, view, "[read-only]", "the lock is not taken over")
	assert.True(t, m.readOnly)

	// Taken again by a third: the notice says so again, without naming
	// the pid the open's reason names (that cyclezero has quit).
	f.released = false
	m, next = askNow(t, m)
	assert.NotNil(t, next, "still watched")
	view = plainView(m)
	assert.Contains(t, view, "read-only: another cyclezero has opened it since; changes here are not saved.")
	assert.NotContains(t, view, "has quit")
	assert.NotContains(t, view, "pid 4242")

	// Let go again: the notice says so again.
	f.released = true
	m, _ = askNow(t, m)
	assert.Contains(t, plainView(m), "the other cyclezero has quit")
}

// Released saying there is nothing to watch (the session is read-only
// because it cannot be written) stops the asking; answers for a session
// no longer open are dropped; a writable session is never asked about.
func TestReleasedWatchStopsWhenPointless(t *testing.T) {
	t.Parallel()
	f := &fakeReleased{released: false, watch: false} // as cmd answers for an unwritable session
	m := wizardModel(t, Options{ReadOnly: true, ReadOnlyReason: "not writable", Released: f.check})
	m, next := askNow(t, m)
	assert.Nil(t, next, "not asked again")
	assert.NotContains(t, plainView(m), "has quit")

	m, cmd := update(t, m, releasedDueMsg{gen: m.gen - 1})
	assert.Nil(t, cmd, "a tick for an earlier session asks nothing")
	m, _ = update(t, m, releasedMsg{gen: m.gen - 1, released: true, watch: true})
	assert.False(t, m.released, "an answer for an earlier session is dropped")

	w := wizardModel(t, Options{Released: f.check})
	assert.Nil(t, w.watchReleased(), "a writable session is not watched")
}

// A session opened from the picker is shown in the working tree
// SessionWorkspace names (its own git worktree), not Options.Workspace.
func TestPickerOpenShowsTheSessionsOwnWorkspace(t *testing.T) {
	t.Parallel()
	s := fixtureSession()
	open := func(context.Context, string) (*state.Session, bool, string, error) { return s, false, "", nil }
	where := func(_ context.Context, got *state.Session) string {
		assert.Equal(t, s.Slug, got.Slug)
		return "/src/repo-worktrees/feature-three"
	}
	m := New(Options{Now: nowFn, Sessions: []SessionChoice{{Slug: s.Slug}}, Open: open, SessionWorkspace: where,
		Workspace: "/src/the-main-checkout"})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 120, Height: 24})
	m = openFromPicker(t, m)
	header := headerLine(m)
	assert.Contains(t, header, "/src/repo-worktrees/feature-three")
	assert.NotContains(t, header, "the-main-checkout")
}

// A Released that ends the watch with released true (cmd's used to, once
// the other cyclezero had quit): the notice says so and the asking stops;
// the stop once cleared the answer with it and the notice went on blaming
// the cyclezero that had quit.
func TestReleasedShownWhenTheWatchEndsWithIt(t *testing.T) {
	t.Parallel()
	f := &fakeReleased{released: true, watch: false}
	m := wizardModel(t, Options{ReadOnly: true, ReadOnlyReason: "in use by another cyclezero (pid 4242)", Released: f.check,
		Command: func(args ...string) string { return "cz " + strings.Join(args, " ") }})
	m, next := askNow(t, m)
	assert.Nil(t, next, "not asked again")
	view := plainView(m)
	assert.Contains(t, view, "the other cyclezero has quit; quit and resume to make changes:")
	assert.NotContains(t, view, "pid 4242")
	assert.True(t, m.readOnly, "the lock is not taken over")
}
