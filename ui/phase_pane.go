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
// purpose, what it writes, what it catches and its gate.
func paneLines(st *Styles, ps steps.PhaseState, rec *state.PhaseRecord, now time.Time, width int) []paneLine {
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
	section("What it writes", p.Writes)
	section("What it catches", p.Catches)
	section("Gate to move on", p.Gate)
	return out
}

// statusLine says a phase's status in words, so it never depends on the
// glyph's colour: "Status: ✓ done · completed 3 h ago".
func statusLine(st *Styles, ps steps.PhaseState, rec *state.PhaseRecord, now time.Time) string {
	s := "Status: " + st.statusStyle(ps.Status).Render(Glyph(ps.Status)+" "+ps.Status.String())
	if when := phaseWhen(ps, rec, now); when != "" {
		s += st.Muted.Render(" · " + when)
	}
	return s
}

// phaseWhen says when a phase was completed or started ("completed 3 h
// ago"), "" when the session has no time to tell.
func phaseWhen(ps steps.PhaseState, rec *state.PhaseRecord, now time.Time) string {
	switch {
	case rec == nil:
		return ""
	case ps.Status == steps.Done && rec.CompletedAt != nil:
		return "completed " + ago(now, *rec.CompletedAt)
	case ps.Status == steps.Stale && rec.CompletedAt != nil:
		return "was completed " + ago(now, *rec.CompletedAt)
	case rec.StartedAt != nil:
		return "started " + ago(now, *rec.StartedAt)
	}
	return ""
}

// paneView scrolls lines into an inner area of innerW×innerH: when they do
// not fit, the last row becomes a hint saying there is more and how to see
// it, naming only keys that work where the focus is. A heading that would
// end the visible part goes below with the blank line above it, so the
// text never ends on a heading none of whose text shows.
func paneView(st *Styles, lines []paneLine, offset, innerH int, focused bool) ([]string, int) {
	if innerH <= 0 {
		return nil, 0
	}
	if len(lines) <= innerH {
		return paneTexts(lines), 0
	}
	rows := innerH - 1
	if rows < paneMinContent {
		return paneTexts(lines[:innerH]), 0
	}
	maxOff := len(lines) - rows
	offset = min(max(offset, 0), maxOff)
	end := offset + rows
	if end < len(lines) && end-1 > offset && lines[end-1].heading {
		end--
		if end-1 > offset && lines[end-1].text == "" {
			end--
		}
	}
	view := paneTexts(lines[offset:end])
	for len(view) < rows {
		view = append(view, "")
	}
	below := len(lines) - end
	var hint string
	more := fmt.Sprintf("↓ %d more lines", below)
	if below == 1 {
		more = "↓ 1 more line"
	}
	switch {
	case offset < maxOff && !focused:
		// enter, not tab: the help bar keeps enter longest.
		hint = more + " · enter to scroll"
	case !focused:
		// The rail's g selects phase 1; only the pane's g scrolls.
		hint = "↑ end of phase · enter to scroll"
	case offset < maxOff:
		// The help bar's names for the keys: "↑/↓ scroll", "pgdn".
		hint = more + " · ↑/↓ or pgdn"
	default:
		hint = "↑ end of phase · g to the top"
	}
	return append(view, st.Muted.Render(hint)), offset
}

// paneTexts is the text of lines.
func paneTexts(lines []paneLine) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.text
	}
	return out
}
