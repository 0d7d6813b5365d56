package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/cyclezero/cyclezero/steps"
)

// railMinHeight fits every phase and the rail's border; below it the rail
// would cut phases, so it is not shown.
var railMinHeight = len(steps.Phases) + 2

// Sizes. The full layout is designed for MinWidth×MinHeight and up; below
// that the rail is hidden, and below tinyWidth×tinyHeight, where no screen
// can show its essentials, a message says what size is needed.
const (
	// MinWidth and MinHeight are the smallest terminal the full layout fits.
	MinWidth  = 80
	MinHeight = 24

	railWidth      = 28 // the least, border included; titles are shortened
	paneMinWidth   = 50 // the rail grows to its titles while the pane keeps this
	tinyWidth      = 40
	tinyHeight     = 8
	shortHeight    = 16 // below it notices are cut to one line
	formMaxWidth   = 76
	paneMaxMeasure = 80 // the phase pane's longest line of prose
	headerHeight   = 1
	paneMinContent = 1
)

// tooSmallMessage is the whole screen when the terminal cannot hold the
// UI: what the minimum really is, what the full layout wants, and how to
// leave, wrapped to w×h with the most important sentence first.
func tooSmallMessage(w, h int) string {
	sentences := []string{
		fmt.Sprintf("Terminal too small: need at least %d×%d (now %d×%d).", tinyWidth, tinyHeight, w, h),
		fmt.Sprintf("%d×%d or more shows the full layout.", MinWidth, MinHeight),
		"Enlarge the window, or press q to quit.",
	}
	var lines []string
	for _, s := range sentences {
		lines = append(lines, wrap(s, w)...)
	}
	return strings.Join(lines, "\n")
}

// truncate cuts s (which may hold ANSI styles) to at most w cells, marking
// the cut with an ellipsis.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Truncate(s, w, "…")
}

// wrap word-wraps plain text to w cells and returns its lines. It breaks
// only at spaces (and keeps existing line breaks), never inside a word at
// a hyphen or dot, so a command, path or URL moves to the next line whole
// and can be copied; only a word wider than w is cut, after a path
// separator when it has one (see breakWord).
func wrap(s string, w int) []string {
	w = max(w, 1)
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, wrapLine(para, w, true)...)
	}
	return out
}

// wrapLine wraps one line without newlines for wrap and wrapWords; cut
// breaks a word wider than w (see breakWord), else it gets a line of its
// own, whole.
func wrapLine(s string, w int, cut bool) []string {
	var lines []string
	var cur strings.Builder
	curW := 0
	for _, word := range strings.Fields(s) {
		ww := ansi.StringWidth(word)
		if curW > 0 && curW+1+ww <= w {
			cur.WriteByte(' ')
			cur.WriteString(word)
			curW += 1 + ww
			continue
		}
		if curW > 0 {
			lines = append(lines, cur.String())
			cur.Reset()
		}
		if ww > w && cut { // a single word wider than the line: cut it
			parts := breakWord(word, w)
			lines = append(lines, parts[:len(parts)-1]...)
			word = parts[len(parts)-1]
			ww = ansi.StringWidth(word)
		}
		cur.WriteString(word)
		curW = ww
	}
	if curW > 0 || len(lines) == 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// breakWord cuts a plain word wider than w into lines of at most w cells,
// each ending after a path separator where there is one, so a long path
// breaks between its directories rather than inside a name.
func breakWord(word string, w int) []string {
	var out []string
	for ansi.StringWidth(word) > w {
		head := ansi.Truncate(word, w, "")
		if i := strings.LastIndexAny(head, `/\`); i > 0 {
			head = head[:i+1]
		}
		out = append(out, head)
		word = word[len(head):]
	}
	return append(out, word)
}

// truncateMiddle shortens plain text to at most w cells by cutting out its
// middle, marked "…": a long path keeps its start and its file name.
func truncateMiddle(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw <= w {
		return s
	}
	if w < 7 {
		return truncate(s, w)
	}
	head := (w - 1) / 3
	tail := w - 1 - head
	return ansi.Truncate(s, head, "") + "…" + ansi.TruncateLeft(s, sw-tail, "")
}

// minPathCells is the least of a path worth showing after the words
// before it: enough to show both of its ends.
const minPathCells = 20

// truncatePath is truncateMiddle for text that ends with a path ("local
// catalog at /a/b/c.sqlite"): the words before the path stay whole when
// that leaves the path room to show both of its ends.
func truncatePath(s string, w int) string {
	i := strings.LastIndexByte(s, ' ')
	if i < 0 || displayWidth(s) <= w {
		return truncateMiddle(s, w)
	}
	return keepHead(s[:i+1], s[i+1:], w, minPathCells)
}

// keepHead is head+s in at most w cells: head whole and s shortened in its
// middle when that leaves s minRest cells or more, else the whole
// shortened in its middle.
func keepHead(head, s string, w, minRest int) string {
	if rest := w - displayWidth(head); rest >= minRest {
		return head + truncateMiddle(s, rest)
	}
	return truncateMiddle(head+s, w)
}

// more is the hint every screen gives for what is scrolled out of view,
// worded alike: arrow ("↑" or "↓"), then "3 more lines", "1 more
// session". The keys that scroll are left to the help bar or footer.
func more(arrow string, n int, unit string) string {
	if n != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%s %d more %s", arrow, n, unit)
}

// fitLines makes a block exactly h lines tall and no line wider than w:
// the last line of defence that keeps any frame inside the terminal.
func fitLines(s string, w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > w {
			lines[i] = ansi.Truncate(l, w, "")
		}
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// padBlock pads or cuts lines to exactly h entries.
func padBlock(lines []string, h int) []string {
	if h <= 0 {
		return nil
	}
	if len(lines) > h {
		return lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return lines
}

// box renders lines inside style st (a bordered, padded box) exactly w
// cells wide and h lines tall. Too small a box renders as blank space.
func box(st lipgloss.Style, lines []string, w, h int) string {
	innerW := w - st.GetHorizontalFrameSize()
	innerH := h - st.GetVerticalFrameSize()
	if innerW < 1 || innerH < 1 {
		return blank(w, h)
	}
	lines = padBlock(lines, innerH)
	for i, l := range lines {
		lines[i] = truncate(l, innerW)
	}
	return st.Width(w).Render(strings.Join(lines, "\n"))
}

// blank is w×h of spaces.
func blank(w, h int) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	row := strings.Repeat(" ", w)
	rows := make([]string, h)
	for i := range rows {
		rows[i] = row
	}
	return strings.Join(rows, "\n")
}

// spaces is n blanks (none when n <= 0).
func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

// displayWidth is the width of s in terminal cells, ignoring ANSI escapes.
func displayWidth(s string) int { return ansi.StringWidth(s) }
