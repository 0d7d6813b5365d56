package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// railLines are the rows inside the rail's box (the frame's left box): the
// text between its side borders, trimmed of the padding on the right.
func railLines(t *testing.T, view string) []string {
	t.Helper()
	var rows []string
	for _, line := range strings.Split(view, "\n") {
		r := []rune(line)
		if len(r) == 0 || r[0] != '┃' && r[0] != '│' {
			continue
		}
		end := strings.IndexRune(string(r[1:]), r[0])
		require.GreaterOrEqual(t, end, 0, "the rail's row %q has no right border", line)
		rows = append(rows, strings.TrimRight(string(r[1:])[:end], " "))
	}
	return rows
}

// Wherever the rail holds the legend, a blank line separates it from the
// last phase (it is not read as one more phase), and the full help does
// not repeat it; where it does not fit, the full help shows it. Every
// height is tried, so the height where the rail first has room for it
// (the phases, one blank line and the legend) is among them, and the one
// just below it, where the legend would have to touch the phases.
func TestRailLegendKeepsItsBlankLineAtEveryHeight(t *testing.T) {
	t.Parallel()
	count := func(v string) int { return strings.Count(v, "○ not started") }
	for _, w := range []int{80, 100, 120} {
		shown := 0 // heights whose rail holds the legend
		for h := 12; h <= 40; h++ {
			for _, keys := range [][]tea.KeyPressMsg{nil, {keyTab}, {keyRune('?')}, {keyTab, keyRune('?')}} {
				m := sized(t, w, h, keys...)
				v := plainView(m)
				at := fmt.Sprintf("%d×%d after %d keys:\n%s", w, h, len(keys), v)
				rail := railLines(t, v)
				last, legend := -1, -1 // the rows of the last phase and the legend's first line
				for i, row := range rail {
					switch {
					case strings.Contains(row, "8 ○ Iterate"):
						last = i
					case legend < 0 && strings.Contains(row, "✓ done"):
						legend = i
					}
				}
				helpOpen := len(keys) > 0 && keys[len(keys)-1] == keyRune('?')
				if last < 0 || legend < 0 { // no rail (the compact strip), or no room in it
					if helpOpen {
						assert.Equal(t, 1, count(v), "the full help explains the glyphs: %s", at)
					}
					continue
				}
				shown++
				require.Greater(t, legend, last+1, "a blank line between the last phase and the legend: %s", at)
				require.Empty(t, rail[legend-1], "the line above the legend is blank: %s", at)
				assert.Equal(t, 1, count(v), "the legend shows once: %s", at)
			}
		}
		assert.NotZero(t, shown, "some height at %d columns holds the legend in the rail", w)
	}
}

// At 100 columns the legend takes three lines under eight phases: the
// rail holds it from 16 rows (the phases, a blank line, the legend in
// 12 inner rows), and at 15 the full help explains the glyphs instead.
func TestRailLegendBoundaryAt100Columns(t *testing.T) {
	t.Parallel()
	at16 := railLines(t, plainView(sized(t, 100, 16)))
	require.Len(t, at16, 12)
	assert.Equal(t, []string{"   8 ○ Iterate", "", " ✓ done  ◐ in progress", " ↻ stale  ✗ blocked", " ○ not started"}, at16[7:])
	assert.Equal(t, 1, strings.Count(plainView(sized(t, 100, 16, keyRune('?'))), "○ not started"),
		"the full help does not repeat the rail's legend")

	at15 := plainView(sized(t, 100, 15))
	assert.NotContains(t, at15, "○ not started", "no room for the legend and its blank line: the rail shows none")
	assert.Equal(t, 1, strings.Count(plainView(sized(t, 100, 15, keyRune('?'))), "○ not started"),
		"so the full help explains the glyphs")
}
