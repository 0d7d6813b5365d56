package ui

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

func TestPickerOpensSession(t *testing.T) {
	t.Parallel()
	var asked string
	m := New(Options{
		Now: nowFn,
		Sessions: []SessionChoice{
			{Slug: "resnet-baseline", Current: "tier2", UpdatedAt: fixedNow.Add(-80 * 3600e9), Catalog: state.CatalogLocation{Kind: state.CatalogLocal, Path: "/x/catalog.sqlite"}},
			{Slug: "cifar10-2layer-cnn", Current: "validate"},
			{Slug: "broken", Problem: "session file is damaged", Broken: "damaged"},
		},
		Open: func(ctx context.Context, slug string) (*state.Session, bool, string, error) {
			asked = slug
			if !bounded(ctx, openTimeout) {
				return nil, false, "", errors.New("opened without a deadline")
			}
			return fixtureSession(), true, "locked by pid 7", nil
		},
	})
	d := newDriver(t, m)
	v := d.view()
	assert.Contains(t, v, "phase 6 · Tier 2 — small-data run · updated 3 days ago · local catalog")
	assert.Contains(t, v, "broken\n     ⚠ damaged · cannot be opened as it is\n", "no phase or time read from a damaged file")
	assert.Contains(t, v, "+ Start a new session")
	d.send(keyRune('j'), keyEnter)
	assert.Equal(t, "cifar10-2layer-cnn", asked)
	require.Equal(t, screenWizard, d.m.screen)
	assert.True(t, d.m.readOnly)
	assert.Contains(t, d.view(), "[read-only]")
	assert.Contains(t, d.view(), "read-only: locked by pid 7;")
}

func TestPickerStartsOnASessionThatOpens(t *testing.T) {
	t.Parallel()
	broken := SessionChoice{Slug: "broken", UpdatedAt: fixedNow, Problem: "session file is damaged", Broken: "damaged"}
	m := New(Options{Now: nowFn, Sessions: []SessionChoice{broken, {Slug: "good", Current: "schema"}}})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	assert.Contains(t, plainView(m), "▸ good", "the newest file is damaged: the default is the first that opens")
	assert.NotContains(t, plainView(m), "just now", "a damaged session has no phase or time to show")
	m = New(Options{Now: nowFn, Sessions: []SessionChoice{broken}})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	assert.Contains(t, plainView(m), "▸ + Start a new session", "none opens: the default is a new one")
	assert.Contains(t, plainView(m), "Choose a session · 1 session")
}

func TestPickerShowsOpenError(t *testing.T) {
	t.Parallel()
	m := New(Options{
		Now:      nowFn,
		Sessions: []SessionChoice{{Slug: "x"}},
		Open: func(context.Context, string) (*state.Session, bool, string, error) {
			return nil, false, "", errors.New("session file is damaged")
		},
	})
	d := newDriver(t, m)
	d.send(keyEnter)
	assert.Equal(t, screenPicker, d.m.screen)
	assert.Contains(t, d.view(), "could not open x: session file is damaged")
	d.send(keyRune('G'), keyEnter)
	assert.Equal(t, screenForm, d.m.screen, "the last row starts a new session")
	d.send(keyEnter) // local catalog, on to the slug
	d.typeText("half-typed")
	d.send(keyEsc)
	assert.Equal(t, screenPicker, d.m.screen, "esc goes back to the sessions")
	d.send(keyRune('n'))
	require.Equal(t, screenForm, d.m.screen)
	assert.Contains(t, d.view(), "half-typed", "the form comes back as it was left")
}

func TestPickerScrollsOnlyWhenNeeded(t *testing.T) {
	t.Parallel()
	var items []SessionChoice
	for i := range 14 {
		items = append(items, SessionChoice{Slug: fmt.Sprintf("model-%02d", i), Current: "tier1"})
	}
	m := New(Options{Now: nowFn, Sessions: items})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = press(t, m, keyRune('G'))
	v := plainView(m)
	assert.Contains(t, v, "▸ + Start a new session")
	assert.Contains(t, v, "Choose a session · 14 sessions", "the new-session row is not counted as a session")
	assert.Contains(t, v, "↑ 7 more sessions")
	assert.NotContains(t, v, "model-06")
	assert.NotRegexp(t, `↓ \d+ more`, v, "nothing below the last row")
	m = press(t, m, keyRune('k'), keyRune('k'), keyRune('k'))
	v = plainView(m)
	assert.Contains(t, v, "▸ model-11")
	assert.Contains(t, v, "Choose a session · 12 of 14")
	assert.Contains(t, v, "↑ 7 more sessions", "moving up inside the window does not scroll it")
	m = press(t, m, keyRune('g'))
	v = plainView(m)
	assert.Contains(t, v, "▸ model-00")
	assert.True(t, !regexp.MustCompile(`↑ \d+ more`).MatchString(v), "no indicator at the top")
	assert.Contains(t, v, "   model-07\n     phase 5 · Tier 1 — dry run\n ↓ 6 more sessions\n", "the sessions below are counted")
	requireFrameFits(t, m, 80, 24)
	for range 13 {
		m = press(t, m, keyRune('j'))
	}
	v = plainView(m)
	assert.Contains(t, v, "▸ model-13\n     phase 5 · Tier 1 — dry run\n ↓ + Start a new session\n", "only the new-session row is below")
	assert.Contains(t, v, "↑ 6 more sessions")
}

// A session with only its backup cannot be opened; the error ends with the
// cp command that restores it. On a short, narrow terminal the note cannot
// hold it all, so the command comes first and shows whole.
func TestPickerKeepsTheRestoreCommandOfAnOpenError(t *testing.T) {
	t.Parallel()
	dir := "/tmp/demo-repo/.git/cyclezero/sessions/r1/"
	onlyBackup := &state.OnlyBackupError{Path: dir + "session.json", Backup: dir + "session.json.bak"}
	cp := "cp " + dir + "session.json.bak " + dir + "session.json"
	open := func(context.Context, string) (*state.Session, bool, string, error) { return nil, false, "", onlyBackup }
	for _, size := range [][2]int{{40, 12}, {40, 14}, {50, 12}, {80, 24}} {
		d := newDriver(t, New(Options{Now: nowFn, Sessions: []SessionChoice{{Slug: "r1"}, {Slug: "r2"}}, Open: open}))
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]}, keyEnter)
		require.Equal(t, screenPicker, d.m.screen)
		v := d.view()
		assert.Contains(t, unwrap(v), cp, "%v: the whole command:\n%s", size, v)
		assert.Contains(t, unwrap(v), "could not open r1", "%v:\n%s", size, v)
		assert.Contains(t, v, "▸ r1", "%v: the row it is about stays", size)
		requireFrameFits(t, d.m, size[0], size[1])
	}
}

// unwrap joins wrapped lines back into text: with a space, or with none
// after a path wrapped at a "/".
func unwrap(v string) string {
	var b strings.Builder
	for _, l := range strings.Split(v, "\n") {
		l = strings.TrimSpace(l)
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "/") {
			b.WriteString(" ")
		}
		b.WriteString(l)
	}
	return b.String()
}

// TestPickerPagesWithPgupAndPgdn: pgdn and pgup move the cursor a page
// (one row less than the list shows, so the row left stays in view), as
// they scroll the wizard's pane, and clamp at the ends; they work while
// the filter line is open too, where they are never text.
func TestPickerPagesWithPgupAndPgdn(t *testing.T) {
	t.Parallel()
	var sessions []SessionChoice
	for i := range 30 {
		sessions = append(sessions, SessionChoice{Slug: fmt.Sprintf("model-%02d", i), Current: "specify"})
	}
	m := New(Options{Now: nowFn, Sessions: sessions})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	pgdn, pgup := tea.KeyPressMsg{Code: tea.KeyPgDown}, tea.KeyPressMsg{Code: tea.KeyPgUp}
	page := m.picker.page()
	require.Greater(t, page, 1, "the list shows several rows at 80x24")
	require.Less(t, page, len(sessions))

	m = press(t, m, pgdn)
	assert.Equal(t, page, m.picker.cursor, "pgdn moves a page")
	assert.Contains(t, plainView(m), fmt.Sprintf("▸ model-%02d", page), "and the row shows")
	m = press(t, m, pgdn, pgdn, pgdn, pgdn, pgdn, pgdn, pgdn)
	assert.Equal(t, len(sessions), m.picker.cursor, "it stops at Start a new session")
	assert.Contains(t, plainView(m), "▸ + Start a new session")
	m = press(t, m, pgup)
	assert.Equal(t, len(sessions)-page, m.picker.cursor, "pgup moves a page back")
	m = press(t, m, pgup, pgup, pgup, pgup, pgup, pgup, pgup)
	assert.Equal(t, 0, m.picker.cursor, "and stops at the first session")

	m = press(t, m, keyRune('/'), keyRune('m'), pgdn)
	require.True(t, m.picker.filtering)
	assert.Equal(t, "m", m.picker.filter, "pgdn is not text")
	assert.Equal(t, page, m.picker.cursor, "it pages the filtered list")
}

// k on the first session keeps it selected: enter then opens it, as the
// marker says.
func TestPickerUpOnTheFirstSessionStaysThere(t *testing.T) {
	t.Parallel()
	var asked string
	m := New(Options{
		Now:      nowFn,
		Sessions: []SessionChoice{{Slug: "first", Current: "tier1"}, {Slug: "second", Current: "schema"}},
		Open: func(_ context.Context, slug string) (*state.Session, bool, string, error) {
			asked = slug
			s := fixtureSession()
			s.Slug = slug
			return s, false, "", nil
		},
	})
	d := newDriver(t, m)
	d.send(keyRune('k'), keyRune('k'))
	assert.Equal(t, 0, d.m.picker.cursor)
	assert.Contains(t, d.view(), "▸ first")
	d.send(keyEnter)
	assert.Equal(t, "first", asked)
	assert.Equal(t, screenWizard, d.m.screen)
}

// j reaches the new-session row below the last session, and stops there.
func TestPickerDownReachesTheNewSessionRow(t *testing.T) {
	t.Parallel()
	m := New(Options{Now: nowFn, Sessions: []SessionChoice{{Slug: "first"}, {Slug: "second"}}})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = press(t, m, keyRune('j'))
	assert.Contains(t, plainView(m), "▸ second")
	m = press(t, m, keyRune('j'))
	assert.Contains(t, plainView(m), "▸ + Start a new session", "the row below the last session")
	m = press(t, m, keyRune('j'))
	assert.Contains(t, plainView(m), "▸ + Start a new session", "j stops at the last row")
	assert.Equal(t, 2, m.picker.cursor)
}
