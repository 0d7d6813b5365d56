package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// saveRecorder is an Options.Save that records what it was asked to save.
type saveRecorder struct {
	saved     []string
	unbounded int // calls whose context had no deadline within saveTimeout
}

func (r *saveRecorder) save(ctx context.Context, s *state.Session) error {
	r.saved = append(r.saved, s.Current)
	if !bounded(ctx, saveTimeout) {
		r.unbounded++
	}
	return nil
}

func wizardModel(t *testing.T, o Options) Model {
	t.Helper()
	if o.Session == nil {
		o.Session = fixtureSession()
	}
	o.Now = nowFn
	m := New(o)
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	require.Equal(t, screenWizard, m.screen)
	return m
}

func TestResumeOpensAtAStaleEarlierPhase(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{})
	// The user was on Validate, but the dev dataset before it went stale.
	assert.Equal(t, steps.DevDataset, m.wiz.current())
	assert.Equal(t, steps.Stale, m.wiz.states[2].Status)
	assert.Contains(t, plainView(m), "the design doc changed after this phase")
}

func TestResumeOpensWhereTheUserWas(t *testing.T) {
	t.Parallel()
	s := fixtureSession()
	delete(s.Phases, "dev-dataset")
	s.Current = string(steps.Tier2)
	m := wizardModel(t, Options{Session: s})
	assert.Equal(t, steps.Tier2, m.wiz.current())
	s.Current = ""
	m = wizardModel(t, Options{Session: s})
	assert.Equal(t, steps.DevDataset, m.wiz.current(), "without a current phase: the first not done")
}

func TestRailNavigation(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{})
	steps := []struct {
		key  tea.KeyPressMsg
		want int
	}{
		{keyRune('j'), 3}, {keyDown, 4}, {keyRune('k'), 3},
		{tea.KeyPressMsg{Code: tea.KeyUp}, 2}, {keyRune('G'), 7}, {keyRune('j'), 7},
		{keyRune('g'), 0}, {keyRune('k'), 0}, {tea.KeyPressMsg{Code: tea.KeyEnd}, 7},
		{tea.KeyPressMsg{Code: tea.KeyHome}, 0},
	}
	for i, s := range steps {
		m = press(t, m, s.key)
		require.Equal(t, s.want, m.wiz.sel, "step %d (%s)", i, s.key)
	}
	assert.Contains(t, plainView(m), "Phase 1 of 8 · Specify")
}

func TestFocusMovesBetweenRailAndPane(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{})
	for _, tc := range []struct {
		key  tea.KeyPressMsg
		want focusArea
	}{
		{keyEnter, focusPane}, {keyEsc, focusRail}, {keyRune('l'), focusPane}, {keyRune('h'), focusRail},
		{tea.KeyPressMsg{Code: tea.KeyRight}, focusPane}, {tea.KeyPressMsg{Code: tea.KeyLeft}, focusRail},
		{keyTab, focusPane}, {keyTab, focusRail},
	} {
		m = press(t, m, tc.key)
		require.Equal(t, tc.want, m.wiz.focus, tc.key.String())
	}
}

func TestPaneScrollsWhenFocusedAndRailKeepsSelection(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{})
	m = press(t, m, keyRune('g')) // Specify has the longest text
	require.Contains(t, plainView(m), "more lines · enter to scroll")
	m = press(t, m, keyTab, keyRune('j'), keyRune('j'))
	assert.Equal(t, 0, m.wiz.sel, "j scrolls the pane, it does not change the phase")
	assert.Equal(t, 2, m.wiz.offset)
	m = press(t, m, keyRune('G'))
	assert.Contains(t, plainView(m), "end of phase")
	assert.Contains(t, plainView(m), "Gate to move on")
	m = press(t, m, keyRune('g'))
	assert.Equal(t, 0, m.wiz.offset)
	// Scrolling past the end and back takes one key, not many.
	m = press(t, m, keyRune('G'), keyRune('j'), keyRune('j'), keyRune('k'))
	assert.NotContains(t, plainView(m), "end of phase")
}

func TestLeavingThePaneShowsItFromTheTop(t *testing.T) {
	t.Parallel()
	for _, leave := range []tea.KeyPressMsg{keyEsc, keyRune('h'), {Code: tea.KeyLeft}, keyTab, keyShiftTab} {
		m := wizardModel(t, Options{}) // opens on phase 3, which overflows at 80×24
		m = press(t, m, keyEnter, keyRune('G'))
		require.Positive(t, m.wiz.offset, "the pane must scroll for the test to mean anything")
		require.Contains(t, plainView(m), "g to the top")
		m = press(t, m, leave)
		require.Equal(t, focusRail, m.wiz.focus, leave.String())
		assert.Equal(t, 0, m.wiz.offset, leave.String())
		v := plainView(m)
		assert.Contains(t, v, "Phase 3 of 8 · Development dataset", leave.String())
		assert.NotContains(t, v, "g to the top", "%s: the rail's g selects phase 1, it does not scroll", leave)
		assert.Contains(t, v, "enter to scroll", leave.String())
	}
}

// shift+tab switches between the rail and the pane as tab does: with two
// panes, the previous one is the other one.
func TestShiftTabSwitchesPanesLikeTab(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{})
	require.Equal(t, focusRail, m.wiz.focus)
	m = press(t, m, keyShiftTab)
	assert.Equal(t, focusPane, m.wiz.focus, "shift+tab enters the pane")
	m = press(t, m, keyShiftTab)
	assert.Equal(t, focusRail, m.wiz.focus, "and leaves it")
	m = press(t, m, keyTab, keyShiftTab)
	assert.Equal(t, focusRail, m.wiz.focus, "tab there, shift+tab back")
}

func TestPaneHintNamesOnlyKeysOfTheFocus(t *testing.T) {
	t.Parallel()
	st := NewStyles(true)
	lines := make([]paneLine, 12)
	for i := range lines {
		lines[i] = paneLine{text: "line"}
	}
	// At the end of the text: the pane's g goes to the top, the rail's does not.
	view, _ := paneView(&st, lines, scrollEnd, 10, true)
	assert.Contains(t, ansi.Strip(view[len(view)-1]), "g to the top")
	view, _ = paneView(&st, lines, scrollEnd, 10, false)
	assert.NotContains(t, ansi.Strip(view[len(view)-1]), "g to the top")
	assert.Contains(t, ansi.Strip(view[len(view)-1]), "enter to scroll")
}

func TestHelpToggle(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{})
	short := plainView(m)
	assert.Contains(t, short, "? more keys")
	assert.NotContains(t, short, "G/end")
	m = press(t, m, keyRune('?'))
	assert.True(t, m.help.ShowAll)
	full := plainView(m)
	assert.Contains(t, full, "G/end")
	assert.Contains(t, full, "fewer keys")
	requireFrameFits(t, m, 80, 24)
	m = press(t, m, keyRune('?'))
	assert.True(t, !m.help.ShowAll)
}

func TestQuitKeys(t *testing.T) {
	t.Parallel()
	for _, k := range []tea.KeyPressMsg{keyRune('q'), keyCtrlC} {
		m := wizardModel(t, Options{})
		m, cmd := update(t, m, k)
		quits(t, cmd, k.String())
		interrupted := k.String() == "ctrl+c"
		assert.Equal(t, Outcome{Slug: "cifar10-2layer-cnn", Quit: true, Interrupted: interrupted}, m.Outcome())
	}
}

func TestSelectionIsSavedCoalesced(t *testing.T) {
	t.Parallel()
	rec := &saveRecorder{}
	m := wizardModel(t, Options{Save: rec.save, SaveDelay: -1}) // each move saves at once
	m, cmd := update(t, m, keyRune('j'))
	require.True(t, cmd != nil, "moving the selection saves")
	// Two more moves while the first save is in flight start no new save.
	m, cmd2 := update(t, m, keyRune('j'))
	assert.True(t, cmd2 == nil)
	m, _ = update(t, m, keyRune('j'))

	m, next := update(t, m, cmd())
	require.Equal(t, []string{"validate"}, rec.saved)
	require.True(t, next != nil, "the newer selection is saved once the first save is back")
	m, last := update(t, m, next())
	assert.True(t, last == nil)
	assert.Equal(t, []string{"validate", "tier2"}, rec.saved)
	assert.Zero(t, rec.unbounded, "Save gets a deadline")
	assert.Equal(t, "tier2", m.sess.Current)
	assert.True(t, !m.dirty())
}

// Moves made in quick succession (a held j) are saved once, when the
// selection has settled: each move's timer is superseded by the next one's.
// Quitting before it has settled saves at once.
func TestSelectionIsSavedOnceSettled(t *testing.T) {
	t.Parallel()
	rec := &saveRecorder{}
	m := wizardModel(t, Options{Save: rec.save})
	for range 3 {
		var timer tea.Cmd
		m, timer = update(t, m, keyRune('j'))
		require.True(t, timer != nil, "a move starts its timer")
	}
	assert.Empty(t, rec.saved, "nothing is saved while the selection moves")
	for seq := 1; seq < m.moveSeq; seq++ {
		var save tea.Cmd
		m, save = update(t, m, saveDueMsg{gen: m.gen, seq: seq})
		assert.True(t, save == nil, "an earlier move's timer does not save")
	}
	m, save := update(t, m, saveDueMsg{gen: m.gen, seq: m.moveSeq})
	require.True(t, save != nil, "the last move's timer saves")
	m, _ = update(t, m, save())
	assert.Equal(t, []string{"tier2"}, rec.saved, "three moves, one save of where the selection settled")

	m, _ = update(t, m, keyRune('k'))
	m, quit := update(t, m, keyRune('q'))
	require.True(t, quit != nil, "quit saves the unsettled move at once")
	_, last := update(t, m, quit())
	quits(t, last, "q after the save")
	assert.Equal(t, []string{"tier2", "tier1"}, rec.saved)
}

func TestQuitSavesAnUnsavedSelectionFirst(t *testing.T) {
	t.Parallel()
	rec := &saveRecorder{}
	m := wizardModel(t, Options{Save: rec.save, SaveDelay: -1})
	m, save := update(t, m, keyRune('k'))
	m, quit := update(t, m, keyRune('q'))
	assert.True(t, quit == nil, "quit waits for the save in flight")
	m, cmd := update(t, m, save())
	quits(t, cmd)
	assert.Equal(t, []string{"schema"}, rec.saved)
	assert.True(t, m.Outcome().Err == nil, "outcome error")
}

func TestSaveErrorIsShownAndReported(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{SaveDelay: -1, Save: func(context.Context, *state.Session) error { return errors.New("disk full") }})
	m, cmd := update(t, m, keyRune('j'))
	m, _ = update(t, m, cmd())
	assert.Contains(t, plainView(m), "could not save the session: disk full")
	requireFrameFits(t, m, 80, 24)
	m, cmd = update(t, m, keyRune('q'))
	require.True(t, cmd != nil, "quit retries the save")
	m, cmd = update(t, m, cmd())
	quits(t, cmd)
	require.True(t, m.Outcome().Err != nil, "outcome error")
	assert.Contains(t, m.Outcome().Err.Error(), "disk full")
}

func TestReadOnlyNeverSaves(t *testing.T) {
	t.Parallel()
	rec := &saveRecorder{}
	m := wizardModel(t, Options{Save: rec.save, ReadOnly: true, ReadOnlyReason: "locked by pid 4242"})
	v := plainView(m)
	assert.Contains(t, strings.Split(v, "\n")[0], "[read-only]", "a short badge in the header")
	assert.Contains(t, v, "read-only: locked by pid 4242; changes here are not saved.", "the reason on its own line")
	for _, k := range []tea.KeyPressMsg{keyRune('j'), keyRune('G'), keyRune('g'), keyRune('j')} {
		var cmd tea.Cmd
		m, cmd = update(t, m, k)
		assert.True(t, cmd == nil, k.String())
	}
	m, cmd := update(t, m, keyRune('q'))
	quits(t, cmd)
	assert.Empty(t, rec.saved, "saves")
}

func TestFingerprintResultForOlderSessionIsDropped(t *testing.T) {
	t.Parallel()
	fp := func(context.Context) (state.Fingerprint, error) { return state.Fingerprint{GitHead: "b"}, nil }
	m := wizardModel(t, Options{Fingerprint: fp})
	cmd := m.fingerprintCmd()
	require.True(t, cmd != nil)
	msg := cmd().(fingerprintMsg)
	assert.Equal(t, m.gen, msg.gen)

	// A session opened since then makes that answer stale.
	m.openSession(fixtureSession(), false, "")
	before := m.wiz.states
	m, _ = update(t, m, fingerprintMsg{gen: msg.gen, err: errors.New("old")})
	assert.True(t, m.fpErr == nil, "a stale result is dropped")
	assert.Equal(t, before, m.wiz.states)

	m, _ = update(t, m, fingerprintMsg{gen: m.gen, err: errors.New("git not found")})
	assert.Contains(t, plainView(m), "could not check for changes (git not found)")
	requireFrameFits(t, m, 80, 24)
}

func TestFingerprintReevaluatesAndFollowsResumeUntilUserMoves(t *testing.T) {
	t.Parallel()
	sess := fixtureSession()
	sess.Phases["dev-dataset"].StaleReason = ""
	sess.Phases["dev-dataset"].Fingerprint = state.Fingerprint{SchemaHash: "s1"}
	m := wizardModel(t, Options{Session: sess})
	require.Equal(t, steps.Validate, m.wiz.current(), "dev dataset is done before the fingerprint")

	// The catalog schema changed since the dev dataset was built.
	m, _ = update(t, m, fingerprintMsg{gen: m.gen, fp: state.Fingerprint{SchemaHash: "s2"}})
	require.Equal(t, steps.Stale, m.wiz.states[2].Status, "dev dataset after a schema change")
	assert.Equal(t, steps.DevDataset, m.wiz.current(), "selection follows the new resume phase")
	assert.True(t, !m.dirty(), "following the resume phase is not a change to save")

	// Once the user has chosen a phase, a later result does not move them.
	m = press(t, m, keyRune('G'))
	m, _ = update(t, m, fingerprintMsg{gen: m.gen, fp: state.Fingerprint{SchemaHash: "s1"}})
	assert.Equal(t, steps.Iterate, m.wiz.current())
}

func TestStaleOpenResultIsDropped(t *testing.T) {
	t.Parallel()
	m := New(Options{
		Now:      nowFn,
		Sessions: []SessionChoice{{Slug: "cifar10-2layer-cnn", Current: "validate"}},
		Open: func(context.Context, string) (*state.Session, bool, string, error) {
			return fixtureSession(), false, "", nil
		},
	})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m, open := update(t, m, keyEnter) // the Open cmd, within the key's own update
	require.True(t, open != nil)
	assert.Contains(t, plainView(m), "Opening cifar10-2layer-cnn…")
	assert.Contains(t, plainView(m), "esc stop waiting")
	m = press(t, m, keyRune('n'))
	assert.Equal(t, screenPicker, m.screen, "other keys wait while a session opens")
	m = press(t, m, keyRune('q'))
	assert.False(t, m.quitting, "q waits too: esc stops waiting, ctrl+c quits, as the help says")
	result := open() // Open answers late…

	// …after the user stopped waiting and went on to a new session.
	m, _ = update(t, m, keyEsc)
	m, _ = update(t, m, keyRune('n'))
	require.Equal(t, screenForm, m.screen)
	m, _ = update(t, m, result)
	assert.Equal(t, screenForm, m.screen, "the late Open result is dropped")
	assert.True(t, m.sess == nil, "no session was opened")
}

func TestWindowTitleAndAltScreen(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{})
	v := m.View()
	assert.True(t, v.AltScreen)
	assert.Equal(t, "cyclezero — cifar10-2layer-cnn", v.WindowTitle)
	f := New(Options{})
	assert.Equal(t, "cyclezero — new session", f.View().WindowTitle)
}

func TestBackgroundColorRebuildsStyles(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{})
	require.True(t, m.st.IsDark, "dark by default when the terminal never answers")
	m, _ = update(t, m, tea.BackgroundColorMsg{Color: lightGrey{}})
	assert.True(t, !m.st.IsDark)
	assert.True(t, !New(Options{Env: []string{"COLORFGBG=0;15"}}).st.IsDark, "a light hint starts light")
}

// lightGrey is a light background colour for BackgroundColorMsg.
type lightGrey struct{}

func (lightGrey) RGBA() (r, g, b, a uint32) { return 0xeeee, 0xeeee, 0xeeee, 0xffff }

func TestGlyphsAreDistinctAndRailReadsWithoutColour(t *testing.T) {
	t.Parallel()
	seen := map[string]steps.Status{}
	for _, s := range []steps.Status{steps.NotStarted, steps.InProgress, steps.Done, steps.Stale, steps.Blocked} {
		g := Glyph(s)
		_, dup := seen[g]
		require.Falsef(t, dup, "glyph %s used twice", g)
		seen[g] = s
	}
	m := wizardModel(t, Options{})
	v := plainView(m)
	assert.Contains(t, v, "▸ 3 ↻ Development", "selected row has a marker, not just colour")
	assert.Contains(t, v, "  2 ✓ Schema design")
	assert.Contains(t, v, "Status: ↻ stale")
	assert.Contains(t, v, "↻ stale", "the legend explains the glyphs")
	// Focus is visible without colour: the focused box has the thick border.
	assert.True(t, strings.HasPrefix(strings.Split(v, "\n")[1], "┏"), "rail focused")
	m = press(t, m, keyTab)
	assert.True(t, strings.HasPrefix(strings.Split(plainView(m), "\n")[1], "╭"), "rail unfocused")
}

// TestLeavingASlowOpenCancelsIt: an open the user stops waiting for (esc,
// a new session, quitting, or a newer open) has its context cancelled, so
// Options.Open gives up instead of adopting a session nobody will see.
func TestLeavingASlowOpenCancelsIt(t *testing.T) {
	t.Parallel()
	for name, leave := range map[string]func(t *testing.T, m Model) Model{
		"esc": func(t *testing.T, m Model) Model {
			m, _ = update(t, m, keyEsc) // stops waiting within the key's own update
			return m
		},
		"new session": func(t *testing.T, m Model) Model {
			m, _ = update(t, m, newSessionMsg{})
			return m
		},
		"quit": func(t *testing.T, m Model) Model { return press(t, m, keyCtrlC) }, // q waits while it opens
		"a newer open": func(t *testing.T, m Model) Model {
			m, _ = update(t, m, openSessionMsg{slug: "other"})
			return m
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			started := make(chan context.Context, 1)
			m := New(Options{
				Now:      nowFn,
				Sessions: []SessionChoice{{Slug: "cifar10-2layer-cnn"}, {Slug: "other"}},
				Open: func(ctx context.Context, slug string) (*state.Session, bool, string, error) {
					started <- ctx
					<-ctx.Done() // a lock or disk that never answers
					return nil, false, "", ctx.Err()
				},
			})
			m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
			m, open := update(t, m, keyEnter) // the picker hands the open to the root at once
			require.True(t, open != nil)
			result := make(chan tea.Msg, 1)
			go func() { result <- open() }()
			ctx := <-started
			require.NoError(t, ctx.Err(), "the open is still waiting")

			m = leave(t, m)
			require.ErrorIs(t, ctx.Err(), context.Canceled, "leaving cancels the open in flight")
			msg := (<-result).(sessionOpenedMsg)
			require.ErrorIs(t, msg.err, context.Canceled)
			m, _ = update(t, m, msg)
			assert.True(t, m.sess == nil, "the cancelled open opens nothing")
		})
	}
}
