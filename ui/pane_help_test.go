package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// legendWords are what the legend says of each status glyph.
var legendWords = []string{"✓ done", "◐ in progress", "↻ stale", "✗ blocked", "○ not started"}

// sized is a fresh wizard at w×h after keys.
func sized(t *testing.T, w, h int, keys ...tea.KeyPressMsg) Model {
	t.Helper()
	m, _ := update(t, New(Options{Now: nowFn, Session: fixtureSession()}), tea.WindowSizeMsg{Width: w, Height: h})
	return press(t, m, keys...)
}

// Below 80 columns the rail and its legend fold away: the full help
// explains the glyphs of the compact strip instead, on the frame's last
// line, so the layout made room for it rather than cutting it.
func TestCompactFullHelpExplainsTheGlyphs(t *testing.T) {
	t.Parallel()
	for _, keys := range [][]tea.KeyPressMsg{{keyRune('?')}, {keyTab, keyRune('?')}} {
		m := sized(t, 70, 24, keys...)
		v := plainView(m)
		require.Contains(t, v, "[3↻]", "the compact strip")
		lines := strings.Split(v, "\n")
		assert.Equal(t, strings.Join(legendWords, "  "), strings.TrimSpace(lines[len(lines)-1]))
		assert.Contains(t, v, "fewer keys", "beside the keys")
		requireFrameFits(t, m, 70, 24)
		assert.NotContains(t, plainView(press(t, m, keyRune('?'))), "✓ done", "the short help stays one line")
	}
	// 40 columns: the legend would cost keys, so the keys keep the room.
	assert.NotContains(t, plainView(sized(t, 40, 20, keyTab, keyRune('?'))), "✓ done")
}

// The legend shows once: at the rail's foot where it fits (the "Phases"
// title gives way to it on a short rail), else in the full help.
func TestLegendShowsOnceWhereItFits(t *testing.T) {
	t.Parallel()
	count := func(m Model) int { return strings.Count(plainView(m), "○ not started") }
	assert.Equal(t, 1, count(sized(t, 80, 24)))
	assert.Equal(t, 1, count(sized(t, 80, 24, keyRune('?'))), "the rail still holds it: the help does not repeat it")
	short := sized(t, 100, 16)
	assert.Equal(t, 1, count(short), "a short rail keeps the legend")
	assert.NotContains(t, plainView(short), "Phases", "and drops its title for it")
	for _, m := range []Model{sized(t, 100, 16, keyRune('?')), sized(t, 100, 16, keyTab, keyRune('?'))} {
		assert.Equal(t, 1, count(m), "the help, too tall for the rail's legend, shows it:\n%s", plainView(m))
		lines := strings.Split(plainView(m), "\n")
		assert.Contains(t, lines[len(lines)-1], "○ not started")
		requireFrameFits(t, m, 100, 16)
	}
	assert.Contains(t, plainView(sized(t, 120, 40)), "Phases", "a tall rail keeps both")
}

// On a wide terminal the pane's prose keeps to paneMaxMeasure columns;
// at 120×40 the pane is narrower than that, so it wraps as before.
func TestPaneProseKeepsToItsMeasure(t *testing.T) {
	t.Parallel()
	widest := func(m Model) int {
		n := 0
		for _, row := range strings.Split(plainView(m), "\n")[1:] {
			parts := strings.Split(row, "│")
			if len(parts) >= 3 {
				n = max(n, displayWidth(strings.TrimRight(parts[len(parts)-2], " ")))
			}
		}
		return n
	}
	wide := widest(sized(t, 200, 60))
	assert.LessOrEqual(t, wide, paneMaxMeasure+1, "the pane's padding and its prose")
	assert.Greater(t, wide, paneMaxMeasure-10, "the measure is used")
	m := sized(t, 120, 40)
	inner := m.wiz.paneWidth() - m.st.Box.GetHorizontalFrameSize()
	assert.LessOrEqual(t, inner, paneMaxMeasure, "120×40 keeps its wrapping")
}

// The pane's scroll keys are offered only when the phase is taller than
// the pane: in the help bar, the full help and the compact strip.
func TestPaneScrollKeysOnlyWhenThePhaseScrolls(t *testing.T) {
	t.Parallel()
	bar := func(m Model) string {
		lines := strings.Split(plainView(m), "\n")
		return lines[len(lines)-1]
	}
	whole := sized(t, 200, 60, keyTab)
	require.False(t, whole.wiz.scrollable())
	assert.Equal(t, "esc phases • ? more keys • q quit", bar(whole))
	full := plainView(press(t, whole, keyRune('?')))
	for _, k := range []string{"scroll", "pgup", "pgdn", "g/home", "G/end"} {
		assert.NotContains(t, full, k)
	}
	assert.Contains(t, full, "esc/h/← back to phases")

	scrolls := sized(t, 80, 24, keyTab)
	require.True(t, scrolls.wiz.scrollable())
	assert.Equal(t, "↑/↓ scroll • esc phases • ? more keys • q quit", bar(scrolls))
	full = plainView(press(t, scrolls, keyRune('?')))
	for _, k := range []string{"scroll down", "pgup", "pgdn", "g/home", "G/end"} {
		assert.Contains(t, full, k)
	}

	compact := plainView(sized(t, 70, 60, keyTab))
	assert.Contains(t, compact, "[3↻] 4✗ 5✗ 6○ 7○ 8○  esc phases")
	assert.NotContains(t, compact, "scroll")
}
