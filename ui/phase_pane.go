package ui

import (
	"fmt"
	"time"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// paneLine is one line of the phase pane. A heading never ends the
// visible part of a scrolled pane, away from the text it heads.
type paneLine struct {
	text    string
	heading bool
}

// paneLines renders the selected phase as lines wrapped to width: number
// and title, status in words (with the reason when stale or blocked), then
// purpose, what it writes (for the session slug), what it catches and its
// gate.
func paneLines(st *Styles, ps steps.PhaseState, rec *state.PhaseRecord, slug string, now time.Time, width int) []paneLine {
	p := ps.Phase
	var out []paneLine
	add := func(lines ...string) {
		for _, l := range lines {
			out = append(out, paneLine{text: l})
		}
	}
	para := func(style func(...string) string, text string) {
		for _, l := range wrap(text, width) {
			add(style(l))
		}
	}

	para(st.Title.Render, fmt.Sprintf("Phase %d of %d · %s", p.Number, len(steps.Phases), p.Title))
	para(st.Body.Render, statusLine(st, ps, rec, now))
	if ps.Reason != "" {
		for _, l := range wrap(ps.Reason, max(width-2, 1)) {
			add("  " + st.statusStyle(ps.Status).Render(l))
		}
	}
	section := func(heading, text string) {
		add("")
		out = append(out, paneLine{text: st.Heading.Render(heading), heading: true})
		para(st.Body.Render, text)
	}
	section("Purpose", p.Purpose)
	section("What it writes", p.WritesFor(slug))
	section("What it catches", p.Catches)
	section("Gate to move on", p.Gate)
	return out
}

// statusLine says a phase's status in words, so it never depends on the
// glyph's colour: "Status: ✓ done · completed 3 h ago".
func statusLine(st *Styles, ps steps.PhaseState, rec *state.PhaseRecord, now time.Time) string {
	s := "Status: " + st.statusStyle(ps.Status).Render(Glyph(ps.Status)+" "+ps.Status.String())
	if when := phaseWhen(ps, rec, now, ago); when != "" {
		s += st.Muted.Render(" · " + when)
	}
	return s
}

// phaseWhen says when a phase was completed or started ("completed 3 h
// ago"), "" when the session has no time to tell; since says the time
// (ago, or agoInWords for accessible text).
func phaseWhen(ps steps.PhaseState, rec *state.PhaseRecord, now time.Time, since func(now, t time.Time) string) string {
	switch {
	case rec == nil:
		return ""
	case ps.Status == steps.Done && rec.CompletedAt != nil:
		return "completed " + since(now, *rec.CompletedAt)
	case ps.Status == steps.Stale && rec.CompletedAt != nil:
		return "was completed " + since(now, *rec.CompletedAt)
	case rec.StartedAt != nil:
		return "started " + since(now, *rec.StartedAt)
	}
	return ""
}

// paneView scrolls lines into an inner area of innerW×innerH: when they do
// not fit, the last row becomes a hint saying there is more ("↓ 3 more
// lines", worded as the dashboard's and the picker's hints) and, where the
// help bar does not already say it, how to see it, naming only keys that
// work where the focus is. A heading that would
// end the visible part goes below with the blank line above it, so the
// text never ends on a heading none of whose text shows.
func paneView(st *Styles, lines []paneLine, offset, innerH int, focused bool) ([]string, int) {
	if innerH <= 0 {
		return nil, 0
	}
	if !paneScrolls(len(lines), innerH) {
		return paneTexts(lines[:min(len(lines), innerH)]), 0
	}
	rows := innerH - 1
	maxOff := len(lines) - rows
	offset = min(max(offset, 0), maxOff)
	end := paneEnd(lines, offset, rows)
	view := paneTexts(lines[offset:end])
	for len(view) < rows {
		view = append(view, "")
	}
	below := len(lines) - end
	var hint string
	count := more("↓", below, "line")
	switch {
	case offset < maxOff && !focused:
		// enter, not tab: the help bar keeps enter longest.
		hint = count + " · enter to scroll"
	case !focused:
		// The rail's g selects phase 1; only the pane's g scrolls.
		hint = "↑ end of phase · enter to scroll"
	case offset < maxOff:
		// The help bar says "↑/↓ scroll" while the pane has the keys.
		hint = count
	default:
		hint = "↑ end of phase · g to the top"
	}
	return append(view, st.Muted.Render(hint)), offset
}

// paneScrolls reports whether n lines scroll in an inner area innerH rows
// high: they do not all fit, and beside the hint row at least
// paneMinContent of them show.
func paneScrolls(n, innerH int) bool {
	return n > innerH && innerH-1 >= paneMinContent
}

// paneEnd is the end of the lines shown from offset in rows rows:
// offset+rows, less a heading that would be the last of them and the blank
// line above it, which wait below for their text.
func paneEnd(lines []paneLine, offset, rows int) int {
	end := min(offset+rows, len(lines))
	if end < len(lines) && end-1 > offset && lines[end-1].heading {
		end--
		if end-1 > offset && lines[end-1].text == "" {
			end--
		}
	}
	return end
}

// paneScrolled is where a scroll key that moves the pane from offset from
// to offset to lands, for lines in an inner area innerH rows high: to,
// clamped, or beyond it in the same direction past any offset that holds
// a heading back (paneEnd), since that offset shows fewer lines below than
// the one before it: the count of lines below would grow on the way down,
// and the key would show no new line. Skipping down never takes the top
// past the first line from did not show, so no line passes unseen; the
// end itself never holds a heading back, so G lands where it aims.
func paneScrolled(lines []paneLine, from, to, innerH int) int {
	if !paneScrolls(len(lines), innerH) {
		return 0
	}
	rows := innerH - 1
	maxOff := len(lines) - rows
	clamp := func(o int) int { return min(max(o, 0), maxOff) }
	from, to = clamp(from), clamp(to)
	held := func(o int) bool { return o > 0 && o < maxOff && paneEnd(lines, o, rows) < o+rows }
	switch {
	case to > from:
		limit := paneEnd(lines, from, rows)
		n := to
		for held(n) && n < limit {
			n++
		}
		if !held(n) {
			return n
		}
		for held(to) && to-1 > from { // no room further down: stop short of it
			to--
		}
	case to < from:
		for held(to) {
			to--
		}
	}
	return to
}

// paneTexts is the text of lines.
func paneTexts(lines []paneLine) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.text
	}
	return out
}
