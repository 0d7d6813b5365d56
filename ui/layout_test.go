package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

var sweep = [][2]int{
	{0, 0}, {1, 1}, {20, 5}, {39, 7}, {40, 8}, {60, 15}, {79, 23}, {80, 23}, {79, 24},
	{80, 24}, {100, 30}, {109, 30}, {110, 30}, {120, 40}, {300, 100},
}

// screensForSweep builds every screen in the states worth measuring.
func screensForSweep(t *testing.T) map[string]Model {
	t.Helper()
	out := map[string]Model{}
	out["form"] = New(Options{Now: nowFn})
	sessions := []SessionChoice{
		{Slug: "cifar10-2layer-cnn", Current: "validate", UpdatedAt: fixedNow.Add(-3e12), Catalog: state.CatalogLocation{Kind: state.CatalogERMrest, Host: "https://deriva.example.org", CatalogID: "1"},
			InUse: "in use by another cyclezero (pid 4242)"},
		{Slug: strings.Repeat("very-long-slug-", 4) + "x", Problem: strings.Repeat("damaged ", 20)},
	}
	out["picker"] = New(Options{Now: nowFn, Sessions: sessions})
	out["picker-problem"] = press(t, New(Options{Now: nowFn, Sessions: sessions}), keyRune('j'))
	formErr := New(Options{Now: nowFn, Sessions: sessions, StartNew: true, SuggestedSlug: "a-model"})
	formErr.form.failed(errors.New(strings.Repeat("the server said no ", 12)))
	out["form-error"] = formErr
	wiz := New(Options{Now: nowFn, Session: fixtureSession(), ReadOnly: true, ReadOnlyReason: strings.Repeat("locked ", 10)})
	out["wizard"] = wiz
	full := press(t, wiz, keyRune('g'), keyTab, keyRune('?'))
	out["wizard-pane-full-help"] = full
	saveErr := New(Options{Now: nowFn, Session: fixtureSession(),
		Save: func(context.Context, *state.Session) error { return errors.New(strings.Repeat("no space left ", 10)) }})
	saveErr, cmd := update(t, saveErr, keyRune('j'))
	saveErr, _ = update(t, saveErr, cmd())
	out["wizard-save-error"] = saveErr
	return out
}

func TestEveryFrameFitsTheTerminal(t *testing.T) {
	t.Parallel()
	for name, m := range screensForSweep(t) {
		for _, sz := range sweep {
			w, h := sz[0], sz[1]
			t.Run(fmt.Sprintf("%s/%dx%d", name, w, h), func(t *testing.T) {
				m, _ := update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
				requireFrameFits(t, m, w, h)
				// Keys at any size must not panic either.
				press(t, m, keyRune('k'), keyRune('j'), keyTab, keyRune('j'), keyRune('G'), keyRune('?'))
			})
		}
	}
}

func TestLayoutDegradesStepByStep(t *testing.T) {
	t.Parallel()
	m := New(Options{Now: nowFn, Session: fixtureSession()})
	at := func(w, h int) string {
		m, _ := update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
		return plainView(m)
	}
	full := at(80, 24)
	assert.Contains(t, full, "Phases", "the rail at 80×24")
	assert.Contains(t, full, "8 ○ Iterate")
	assert.Contains(t, full, "✓ done  ◐ in progress", "and its legend")
	assert.Contains(t, at(120, 40), "Validate features and labels", "wide rails show whole titles")

	narrow := at(79, 23)
	assert.NotContains(t, narrow, "Phases", "no rail below 80 columns")
	assert.Contains(t, narrow, "1✓ 2✓ [3↻] 4✗ 5✗ 6○ 7○ 8○", "the compact strip numbers the phases and marks the selected one")
	assert.Contains(t, narrow, "Phase 3 of 8 · Development dataset")

	compact := at(tinyWidth, tinyHeight)
	assert.Contains(t, compact, "[3↻]", "the smallest size the message names still shows the wizard")
	assert.Contains(t, compact, "Phase 3 of 8")
	assert.Contains(t, compact, "q quit")

	small := strings.Join(strings.Fields(at(30, 8)), " ")
	assert.Contains(t, small, "Terminal too small: need at least 40×8 (now 30×8).",
		"below the minimum it says what the minimum really is")
	assert.Contains(t, small, "80×24 or more shows the full layout.")
	assert.Contains(t, small, "press q to quit.")
	assert.True(t, strings.HasPrefix(at(20, 5), "Terminal too small:\nneed at least 40×8\n(now 20×5)."), "as much as fits, wrapped")
	assert.Equal(t, "T", at(1, 1))
	assert.Empty(t, at(0, 0))
}

// q quits from the "Terminal too small" screen, as it says, even on the
// form, where q is otherwise text.
func TestQuitWhileTooSmall(t *testing.T) {
	t.Parallel()
	for name, m := range map[string]Model{
		"wizard": wizardModel(t, Options{}),
		"form":   New(Options{Now: nowFn}),
	} {
		m, _ = update(t, m, tea.WindowSizeMsg{Width: 30, Height: 8})
		require.Contains(t, plainView(m), "Terminal too small", name)
		m, cmd := update(t, m, keyRune('q'))
		quits(t, cmd, name)
		assert.True(t, m.Outcome().Quit, name)
		assert.False(t, m.Outcome().Interrupted, "%s: q is no interrupt", name)
	}
}

// Keys typed while only the "too small" message shows are dropped: no
// phase moves and no letter lands in a field nobody can see.
func TestKeysWhileTooSmallAreDropped(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{})
	before := m.wiz.current()
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 30, Height: 8})
	m = press(t, m, keyRune('j'), keyRune('j'))
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	assert.Equal(t, before, m.wiz.current(), "j moved the selection while too small")

	d := formDriver(t, &createRecorder{})
	d.send(keyEnter) // local catalog, on to the slug field
	d.send(tea.WindowSizeMsg{Width: 30, Height: 8})
	d.typeText("xyzzy")
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	assert.NotContains(t, d.view(), "xyzzy", "letters typed while too small reached the form")
	d.typeText("abc")
	assert.Contains(t, d.view(), "abc", "the slug field takes text at full size")
}

func TestJoinEndsKeepsTheBadge(t *testing.T) {
	t.Parallel()
	got := joinEnds("cyclezero · a-very-long-slug · https://deriva.example.org · catalog 1", "[read-only]", 40)
	assert.Equal(t, 40, displayWidth(got))
	assert.True(t, strings.HasSuffix(got, "[read-only]"), got)
}

func TestPaneHintCountsLinesInEnglish(t *testing.T) {
	t.Parallel()
	st := NewStyles(true)
	lines := make([]paneLine, 12)
	for i := range lines {
		lines[i] = paneLine{text: fmt.Sprintf("line %d", i)}
	}
	// 10 rows: 9 lines show with the hint, so 3 more below; one scroll
	// step from the end leaves exactly one.
	view, _ := paneView(&st, lines, 0, 10, true)
	assert.Contains(t, ansi.Strip(view[len(view)-1]), "↓ 3 more lines")
	view, _ = paneView(&st, lines, 2, 10, true)
	assert.Equal(t, "↓ 1 more line", ansi.Strip(view[len(view)-1]), "the help bar names the keys")
}

func TestPaneNeverEndsOnAHeading(t *testing.T) {
	t.Parallel()
	st := NewStyles(true)
	// Ten text lines, a blank, a heading and its three lines: at 10 rows
	// (9 shown above the hint) the heading would be the last line shown.
	var lines []paneLine
	for i := range 10 {
		lines = append(lines, paneLine{text: fmt.Sprintf("line %d", i)})
	}
	lines = append(lines, paneLine{}, paneLine{text: "Heading", heading: true})
	for i := range 3 {
		lines = append(lines, paneLine{text: fmt.Sprintf("text %d", i)})
	}
	view, _ := paneView(&st, lines, 3, 10, true)
	require.Len(t, view, 10, "the hint stays on the last row")
	shown := strings.Join(view[:9], "\n")
	assert.NotContains(t, shown, "Heading", "a heading with none of its text goes below")
	assert.Equal(t, []string{"line 9", "", ""}, view[6:9], "and the blank line above it")
	assert.Contains(t, ansi.Strip(view[9]), "↓ 5 more lines", "the count includes them")
	// One line further the heading shows with its first line.
	view, _ = paneView(&st, lines, 4, 10, true)
	assert.Equal(t, []string{"Heading", "text 0"}, view[7:9])
	assert.Contains(t, ansi.Strip(view[9]), "↓ 2 more lines")
}

// At 80×24 no phase's pane, unscrolled, ends on a section heading.
func TestNoPhasePaneEndsOnAHeadingAt80x24(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{})
	headings := []string{"Purpose", "What it writes", "What it catches", "Gate to move on"}
	for i := range m.wiz.states {
		m = press(t, m, keyRune('g'))
		for range i {
			m = press(t, m, keyRune('j'))
		}
		rows := strings.Split(plainView(m), "\n")
		for j, row := range rows {
			if !strings.Contains(row, "more line") || j == 0 {
				continue
			}
			above := paneColumn(rows[j-1])
			for _, h := range headings {
				assert.NotEqual(t, h, above, "phase %d ends on its heading", i+1)
			}
		}
	}
}

// paneColumn is the phase pane's text in a frame row (right of the rail).
func paneColumn(row string) string {
	parts := strings.Split(row, "│")
	if len(parts) < 3 {
		return ""
	}
	return strings.TrimSpace(parts[len(parts)-2])
}
