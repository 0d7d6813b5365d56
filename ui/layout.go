package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// Sizes. The full layout is designed for MinWidth×MinHeight and up; below
// that the rail is hidden, and below tinyWidth×tinyHeight only a one-line
// "terminal too small" message is drawn.
const (
	// MinWidth and MinHeight are the smallest terminal the full layout fits.
	MinWidth  = 80
	MinHeight = 24

	railWidth      = 28 // total, border included; titles are shortened
	railWideWidth  = 38 // on wide terminals, room for every title
	wideWidth      = 110
	railMinHeight  = 10 // eight phases + border
	tinyWidth      = 40
	tinyHeight     = 8
	formMaxWidth   = 76
	headerHeight   = 1
	paneMinContent = 1
)

// tooSmallMessage is the whole screen when the terminal cannot hold the UI:
// the longest wording that fits in w cells.
func tooSmallMessage(w int) string {
	for _, f := range []string{"terminal too small (need %d×%d)", "too small: need %d×%d", "need %d×%d"} {
		if s := fmt.Sprintf(f, MinWidth, MinHeight); displayWidth(s) <= w {
			return s
		}
	}
	return truncate("too small", w)
}

// truncate cuts s (which may hold ANSI styles) to at most w cells, marking
// the cut with an ellipsis.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Truncate(s, w, "…")
}

// wrap word-wraps plain text to w cells, breaking words longer than w, and
// returns its lines.
func wrap(s string, w int) []string {
	if w < 1 {
		w = 1
	}
	return strings.Split(ansi.Wrap(s, w, ""), "\n")
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
