package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// manyChoices are n sessions, model-0 to model-(n-1), then "Diagnosis-Q".
func manyChoices(n int) []SessionChoice {
	var out []SessionChoice
	for i := range n {
		out = append(out, SessionChoice{Slug: fmt.Sprintf("model-%d", i), Current: "schema"})
	}
	return append(out, SessionChoice{Slug: "diagnosis-q", Current: "specify"})
}

// typeKeys presses each rune of s as typed text.
func typeKeys(t *testing.T, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		m = press(t, m, keyRune(r))
	}
	return m
}

// TestPickerFilterNarrowsBySlugAndEnterOpensTheMatch: "/" opens a filter
// line; typed text, q and ? included, narrows the list by slug without
// regard to case; enter opens the highlighted match; Update does no I/O
// (the open is a message for the root).
func TestPickerFilterNarrowsBySlugAndEnterOpensTheMatch(t *testing.T) {
	t.Parallel()
	m := New(Options{Now: nowFn, Sessions: manyChoices(8), Open: openNothing})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = typeKeys(t, m, "/DIAG")
	v := plainView(m)
	assert.Contains(t, v, "/DIAG▏  1 of 9 sessions match")
	assert.Contains(t, v, "▸ diagnosis-q")
	assert.NotContains(t, v, "model-0")
	assert.Contains(t, v, "+ Start a new session", "a new session is always a choice")
	_, cmd := update(t, m, keyEnter)
	require.NotNil(t, cmd, "enter opens the match")
	opened, ok := cmd().(sessionOpenedMsg)
	require.True(t, ok)
	assert.Equal(t, "diagnosis-q", opened.slug)

	// q, ? and j are text while the filter line is open; ↓ moves.
	m = New(Options{Now: nowFn, Sessions: append(manyChoices(3), SessionChoice{Slug: "q-model"}, SessionChoice{Slug: "model-q"}),
		Open: openNothing})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	m = typeKeys(t, m, "/q")
	m, cmd = update(t, m, keyRune('?'))
	assert.Nil(t, cmd, "? neither quits nor opens anything")
	assert.False(t, m.help.ShowAll, "? is text here, not more keys")
	m = press(t, m, tea.KeyPressMsg{Code: tea.KeyBackspace})
	assert.Contains(t, plainView(m), "/q▏  3 of 6 sessions match")
	assert.False(t, m.quitting, "q was typed, not pressed to quit")
	m = press(t, m, keyDown)
	_, cmd = update(t, m, keyEnter)
	require.NotNil(t, cmd)
	assert.Equal(t, "q-model", cmd().(sessionOpenedMsg).slug, "the second match (after diagnosis-q)")
	m = press(t, m, keyEsc) // stop waiting for it: the filter is still open
	m = typeKeys(t, m, "zz")
	assert.Contains(t, plainView(m), "no session matches")
	assert.Contains(t, plainView(m), "▸ + Start a new session")
	m, _ = update(t, m, keyEnter)
	assert.Equal(t, screenForm, m.screen, "with no match, enter starts a new session")
}

// openNothing is an Options.Open that opens no session: the tests that use
// it look only at which slug was asked for.
func openNothing(_ context.Context, _ string) (*state.Session, bool, string, error) {
	return nil, false, "", errors.New("not opened in this test")
}

// TestPickerEscClearsTheFilterFirst: esc closes the filter line and shows
// every session again, the highlighted one kept; a second esc does what
// esc does without a filter (nothing, on the picker).
func TestPickerEscClearsTheFilterFirst(t *testing.T) {
	t.Parallel()
	m := New(Options{Now: nowFn, Sessions: manyChoices(8)})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 40})
	m = typeKeys(t, m, "/model-7")
	m = press(t, m, keyEsc)
	v := plainView(m)
	assert.NotContains(t, v, "▏")
	assert.Contains(t, v, "▸ model-7", "the match stays highlighted")
	assert.Contains(t, v, "model-0", "every session shows again")
	assert.Contains(t, v, "Choose a session · 8 of 9")
	m, cmd := update(t, m, keyEsc)
	assert.Nil(t, cmd)
	assert.Equal(t, screenPicker, m.screen)
	assert.Equal(t, v, plainView(m), "a second esc changes nothing")
	m, _ = update(t, m, keyRune('q'))
	assert.True(t, m.quitting, "q quits again once the filter is closed")
}

// TestPickerHelpOffersTheFilter: the short help names "/ filter" when
// there are more than a few sessions or they do not all fit, and says how
// to leave the filter line while it is open.
func TestPickerHelpOffersTheFilter(t *testing.T) {
	t.Parallel()
	bar := func(m Model) string {
		lines := strings.Split(plainView(m), "\n")
		return lines[len(lines)-1]
	}
	few := New(Options{Now: nowFn, Sessions: manyChoices(2)})
	few, _ = update(t, few, tea.WindowSizeMsg{Width: 100, Height: 30})
	assert.NotContains(t, bar(few), "/ filter", "three sessions that fit")
	few, _ = update(t, few, tea.WindowSizeMsg{Width: 100, Height: 10})
	assert.Contains(t, bar(few), "/ filter", "three sessions that do not fit")

	many := New(Options{Now: nowFn, Sessions: manyChoices(5)})
	many, _ = update(t, many, tea.WindowSizeMsg{Width: 100, Height: 40})
	assert.Equal(t, "enter open • / filter • ↑/↓ choose • n new session • ? more keys • q quit", bar(many))
	many, _ = update(t, many, tea.WindowSizeMsg{Width: 60, Height: 40})
	assert.Equal(t, "enter open • / filter • ↑/↓ choose • ? more keys • q quit", bar(many), "/ outlasts n")
	for w := 44; w < 57; w++ {
		many, _ = update(t, many, tea.WindowSizeMsg{Width: w, Height: 40})
		assert.Equal(t, "enter open • / filter • ? more keys • q quit", bar(many), "/ outlasts ↑/↓ at %d", w)
	}
	// Under 44 cells "/ filter" cannot sit beside enter, help and quit;
	// enter, the key that moves forward, stays.
	many, _ = update(t, many, tea.WindowSizeMsg{Width: 40, Height: 40})
	assert.Equal(t, "enter open • ? more keys • q quit", bar(many))
	many, _ = update(t, many, tea.WindowSizeMsg{Width: 100, Height: 40})
	many, _ = update(t, many, tea.WindowSizeMsg{Width: 100, Height: 40})
	many = press(t, many, keyRune('/'))
	assert.Equal(t, "↑/↓ choose • enter open • esc clear filter • ctrl+c quit", bar(many))
	many, _ = update(t, many, tea.WindowSizeMsg{Width: 40, Height: 40})
	assert.Equal(t, "enter open • esc clear • ctrl+c quit", bar(many))
	requireFrameFits(t, many, 40, 40)
}
