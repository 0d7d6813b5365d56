package ui

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// moreBelow is the count a pane's hint gives ("↓ 3 more lines"), 0 at the
// end of the phase; ok is false when the frame has no pane hint.
func moreBelow(frame string) (n int, ok bool) {
	if strings.Contains(frame, "↑ end of phase") {
		return 0, true
	}
	m := regexp.MustCompile(`↓ (\d+) more line`).FindStringSubmatch(frame)
	if m == nil {
		return 0, false
	}
	n, _ = strconv.Atoi(m[1])
	return n, true
}

// TestPaneScrollRevealsALineEachKey: a heading held back from the bottom
// of the pane (so it never ends the view without its text) used to make
// the next j show nothing new and the count of lines below grow: at
// 80×24 on phase 3, "↓ 3 more lines", "↓ 4 more lines", "↓ 1 more line".
// Scrolling down now skips the offset that would hold it back: the count
// only falls and each key shows a line not shown before; scrolling up
// the count only grows and each key shows a line above.
func TestPaneScrollRevealsALineEachKey(t *testing.T) {
	t.Parallel()
	st := NewStyles(true)
	// As phase 3 is at 80×24: text, a blank, a heading, two lines of
	// text, where the heading falls on the last row at one offset.
	var lines []paneLine
	for i := range 20 {
		lines = append(lines, paneLine{text: fmt.Sprintf("line %d", i)})
	}
	lines = append(lines, paneLine{}, paneLine{text: "Gate to move on", heading: true},
		paneLine{text: "gate 0"}, paneLine{text: "gate 1"})
	const innerH = 20
	rows := innerH - 1

	count := func(off int) int {
		view, _ := paneView(&st, lines, off, innerH, true)
		n, ok := moreBelow(ansi.Strip(view[len(view)-1]))
		require.True(t, ok, "offset %d has a hint", off)
		return n
	}
	var counts []int
	off := 0
	for range 10 {
		counts = append(counts, count(off))
		next := paneScrolled(lines, off, off+1, innerH)
		if next == off {
			break
		}
		assert.Greater(t, paneEnd(lines, next, rows), paneEnd(lines, off, rows), "j from %d shows a new line", off)
		assert.LessOrEqual(t, next, paneEnd(lines, off, rows), "no line goes by unseen")
		off = next
	}
	assert.Equal(t, []int{5, 4, 3, 1, 0}, counts, "the count only falls")
	for {
		next := paneScrolled(lines, off, off-1, innerH)
		if next == off {
			break
		}
		assert.Less(t, next, off, "k shows a new line above")
		assert.Greater(t, count(next), count(off), "the count only grows going up")
		assert.GreaterOrEqual(t, paneEnd(lines, next, rows), off, "no line goes by unseen")
		off = next
	}
	assert.Equal(t, 0, off, "k reaches the top")
	assert.Equal(t, len(lines)-rows, paneScrolled(lines, 0, scrollEnd, innerH), "G lands at the end")
}

// TestWizardPaneCountOnlyFallsWhileScrollingDown: in every phase, at the
// full layout and narrower ones, each j in the focused pane shows a new
// frame whose count of lines below is smaller, until the end; each k back
// one whose count is larger.
func TestWizardPaneCountOnlyFallsWhileScrollingDown(t *testing.T) {
	t.Parallel()
	for _, size := range [][2]int{{80, 24}, {60, 20}, {50, 15}} {
		m := wizardModel(t, Options{})
		m, _ = update(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for phase := range m.wiz.states {
			m = press(t, m, keyEsc, keyRune('g'))
			for range phase {
				m = press(t, m, keyRune('j'))
			}
			m = press(t, m, keyEnter)
			prev, scrolls := moreBelow(plainView(m))
			if !scrolls {
				continue // the whole phase fits
			}
			for prev > 0 {
				m = press(t, m, keyRune('j'))
				n, ok := moreBelow(plainView(m))
				require.True(t, ok)
				require.Less(t, n, prev, "%dx%d phase %d: j lowers the count", size[0], size[1], phase+1)
				prev = n
			}
			for m.wiz.offset > 0 {
				m = press(t, m, keyRune('k'))
				n, _ := moreBelow(plainView(m))
				require.Greater(t, n, prev, "%dx%d phase %d: k raises the count", size[0], size[1], phase+1)
				prev = n
			}
		}
	}
}

// Phase 8's pane says in words that it is the last phase and where it
// leads, under its gate heading, where it showed a bare "—".
func TestLastPhasePaneSaysItHasNoGateToMoveOn(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{})
	m = press(t, m, keyRune('G'), keyEnter, keyRune('G')) // phase 8, its pane scrolled to the end
	require.Equal(t, 7, m.wiz.sel)
	v := plainView(m)
	assert.Regexp(t, `Gate to move on +┃\n[^\n]*┃ none, this is the last phase: it is done once `, v)
	assert.NotRegexp(t, `┃ — +┃`, v)
}

// Phase 1's pane names the session's own design doc, not "<slug>".
func TestSpecifyPaneNamesTheSessionsDesignDoc(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 120, Height: 50})
	m = press(t, m, keyEsc, keyRune('g'))
	v := plainView(m)
	assert.Contains(t, v, "docs/design/model/"+m.wiz.sess.Slug+".md")
	assert.NotContains(t, v, "<slug>")
}
