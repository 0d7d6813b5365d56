package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// maxTableWidth keeps the table readable on very wide terminals.
const maxTableWidth = 120

// minScrollRows is the least the scrolling part of the dashboard gets
// before the summary and next step are cut to one line each.
const minScrollRows = 3

// View draws the last good reading, then under it the footer: when it was
// read, the refresh error if the last one failed, and the keys.
func (m Watch) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "cyclezero status"
	if m.view != nil {
		v.WindowTitle += " — " + m.view.Slug
	}
	return v
}

// watchFrame is what the dashboard shows at its size: fixed lines above
// and below, and between them, when everything does not fit, a region
// that scrolls (the phases, the notes, then the repo and catalog lines).
type watchFrame struct {
	top, region, bottom []string
	// room is the lines the region gets; scroll says there is a region.
	room   int
	scroll bool
}

// frame lays the dashboard out for its size: the whole reading when it
// fits (as a table, else as a list keeping every detail; see
// statusLayouts), else with every phase on one line, else with the phases in a
// scrolling region between the title and the summary and next step,
// which stay on screen.
func (m Watch) frame() watchFrame {
	w := min(m.w, maxTableWidth)
	if m.view == nil {
		body := []string{m.st.Brand.Render("cyclezero") + " status"}
		if m.err == nil {
			body = append(body, m.st.Muted.Render("Reading the session…"))
		}
		return watchFrame{top: body, bottom: m.footer(false)}
	}
	foot := m.footer(false)
	for _, lo := range statusLayouts(w, true) {
		lines := buildStatus(m.st, *m.view, lo).all()
		if len(lines)+len(foot) <= m.h {
			return watchFrame{top: lines, bottom: foot}
		}
	}
	s := buildStatus(m.st, *m.view, statusLayout{width: w, oneLine: true, midPaths: true})
	foot = m.footer(true)
	tail := s.tail
	if len(s.title)+len(tail)+len(foot)+minScrollRows > m.h {
		tail = []string{truncate(m.view.Summary, w), m.st.Heading.Render(truncate(m.view.Next, w))}
	}
	var region []string
	for _, part := range [][]string{s.table, s.notes, s.meta} {
		region = append(region, part...)
	}
	room := max(m.h-len(s.title)-len(tail)-len(foot), 0)
	return watchFrame{top: s.title, region: region, bottom: append(tail, foot...), room: room, scroll: true}
}

func (m Watch) render() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	f := m.fr
	if !m.laid {
		f = m.frame()
	}
	lines := append([]string(nil), f.top...)
	if f.scroll {
		lines = append(lines, scrollWindow(m.st, f.region, m.offset, f.room, m.w)...)
	}
	if lines = append(lines, f.bottom...); len(lines) > m.h {
		lines = lines[len(lines)-m.h:] // the summary, next step and keys above all
	}
	return fitLines(strings.Join(lines, "\n"), m.w, m.h)
}

// scrollWindow shows lines from offset in room rows; when they do not all
// fit, the last row says how many are above and below ("↑ 2 more lines ·
// ↓ 5 more lines"; too wide, "↑ 2 more · ↓ 5 more", then cut with "…").
// The footer names the keys: where it has no room for them, neither would
// this row.
func scrollWindow(st Styles, lines []string, offset, room, width int) []string {
	switch {
	case room <= 0:
		return nil
	case len(lines) <= room:
		return lines
	}
	rows := room - 1
	offset = min(max(offset, 0), len(lines)-rows)
	out := append([]string(nil), lines[offset:offset+rows]...)
	var hint, short []string
	if offset > 0 {
		hint, short = append(hint, more("↑", offset, "line")), append(short, fmt.Sprintf("↑ %d more", offset))
	}
	if below := len(lines) - rows - offset; below > 0 {
		hint, short = append(hint, more("↓", below, "line")), append(short, fmt.Sprintf("↓ %d more", below))
	}
	line := strings.Join(hint, " · ")
	if displayWidth(line) > width {
		line = strings.Join(short, " · ")
	}
	return append(out, st.Muted.Render(truncate(line, width)))
}

// maxOffset is the furthest the region scrolls: its last line on the row
// above the hint.
func (f watchFrame) maxOffset() int {
	if !f.scroll || len(f.region) <= f.room {
		return 0
	}
	return len(f.region) - max(f.room-1, 0)
}

// scroll moves the region for a scrolling key; clampOffset keeps it in range.
func (m *Watch) scroll(k tea.KeyPressMsg) {
	page := max(m.fr.room-2, 1)
	m.offset, _ = m.keys.scroll.scrolled(k, m.offset, page)
}

// clampOffset keeps the scroll inside the region as sizes and readings
// change, so scrolling past the end and back takes no extra keys.
func (m *Watch) clampOffset() {
	m.offset = min(max(m.offset, 0), m.fr.maxOffset())
}

// footer is the lines under the table, wrapped to the width: an error
// line when the last refresh failed, then when and how it refreshes, and
// the scroll keys when the phases scroll. Unless scrolling (where lines
// are scarce) a blank line sets it apart.
func (m Watch) footer(scrolling bool) []string {
	var out []string
	if !scrolling {
		out = append(out, "")
	}
	if m.err != nil {
		msg := fmt.Sprintf("refresh failed at %s: %v", m.errAt.Format("15:04:05"), m.err)
		if m.view != nil {
			msg += " (showing the last good reading)"
		}
		for _, l := range wrap(msg, m.w) {
			out = append(out, m.st.Error.Render(l))
		}
	}
	return append(out, m.st.Muted.Render(m.keysLine(scrolling)))
}

// keysLine says when the reading was taken and the keys, in the width:
// the interval, then words, then keys give way; on the narrowest
// terminals how to quit stays, before the time of the reading.
func (m Watch) keysLine(scrolling bool) string {
	updated, at, every, scroll := "", "", "every "+m.o.Interval.String(), ""
	if !m.updated.IsZero() {
		at = m.updated.Format("15:04:05")
		updated = "updated " + at
	}
	if scrolling {
		scroll = "↑/↓ scroll"
	}
	for _, parts := range [][]string{
		{updated, every, scroll, "r refresh now", "q quit"},
		{updated, scroll, "r refresh now", "q quit"},
		{updated, scroll, "r refresh", "q quit"},
		{scroll, "r refresh", "q quit"},
		{updated, "q quit"},
		{"q quit", at},
	} {
		parts = slices.DeleteFunc(parts, func(p string) bool { return p == "" })
		if line := strings.Join(parts, " · "); displayWidth(line) <= m.w {
			return line
		}
	}
	return truncate("q quit", m.w)
}
