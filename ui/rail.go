package ui

import (
	"fmt"
	"strings"

	"github.com/cyclezero/cyclezero/steps"
)

// legend explains the status glyphs, so the rail reads without colour and
// without the help screen: at the rail's foot when there is room, else in
// the full help (see wizard.helpLegend). Its rows group the statuses that
// are read together; legendLines lays them out.
var legend = [][]steps.Status{
	{steps.Done, steps.InProgress},
	{steps.Stale, steps.Blocked},
	{steps.NotStarted},
}

// legendLines is the legend in at most width cells: all on one line when
// it fits ("✓ done  ◐ in progress  ↻ stale  …"), else one line for each of
// its rows. The rail's foot and the full help both draw it from here.
func legendLines(st *Styles, width int) []string {
	rows := make([]string, len(legend))
	for i, row := range legend {
		items := make([]string, len(row))
		for j, status := range row {
			items[j] = st.statusStyle(status).Render(Glyph(status)) + " " + st.Muted.Render(status.String())
		}
		rows[i] = strings.Join(items, "  ")
	}
	if one := strings.Join(rows, "  "); displayWidth(one) <= width {
		return []string{one}
	}
	return rows
}

// railLegendFits reports whether a rail with an inner area innerW×innerH
// holds the legend under n phases, a blank line between them (the
// "Phases" title gives way to it: see renderRail).
func railLegendFits(st *Styles, n, innerW, innerH int) bool {
	return innerH >= n+1+len(legendLines(st, innerW))
}

// renderRail draws the phase list: a marker on the selected row (▸, and
// reverse video while the rail has focus), the phase number, its status
// glyph and its title. Under the phases, the legend; on a short rail the
// "Phases" title gives way to the legend, then the legend to the title,
// and last the title goes too: the phases matter most.
func renderRail(st *Styles, states []steps.PhaseState, sel int, focused bool, w, h int) string {
	boxSt := st.Box
	if focused {
		boxSt = st.BoxFocused
	}
	innerW := w - boxSt.GetHorizontalFrameSize()
	innerH := h - boxSt.GetVerticalFrameSize()

	title := []string{st.RailTitle.Render("Phases"), ""}
	rows := make([]string, len(states))
	for i, ps := range states {
		rows[i] = railRow(st, ps, i == sel, focused, innerW)
	}
	leg := legendLines(st, innerW)
	var lines []string
	switch {
	case railLegendFits(st, len(title)+len(rows), innerW, innerH):
		lines = append(padBlock(append(title, rows...), innerH-len(leg)), leg...)
	case railLegendFits(st, len(rows), innerW, innerH):
		lines = append(padBlock(rows, innerH-len(leg)), leg...)
	case innerH >= len(title)+len(rows):
		lines = append(title, rows...)
	default:
		lines = rows
	}
	return box(boxSt, lines, w, h)
}

// railRowWidth is the cells railRow needs to show ps's title whole.
func railRowWidth(ps steps.PhaseState) int {
	return len([]rune(fmt.Sprintf("▸ %d ", ps.Phase.Number))) + 2 + displayWidth(ps.Phase.Title)
}

// railRow is one phase in the rail, exactly innerW cells wide.
func railRow(st *Styles, ps steps.PhaseState, selected, focused bool, innerW int) string {
	marker := "  "
	if selected {
		marker = "▸ "
	}
	glyph := st.statusStyle(ps.Status).Render(Glyph(ps.Status))
	prefix := fmt.Sprintf("%s%d ", marker, ps.Phase.Number)
	titleW := innerW - len([]rune(prefix)) - 2 // glyph and its space
	title := truncate(ps.Phase.Title, titleW)
	title += spaces(titleW - displayWidth(title))
	switch {
	case selected && focused:
		// One unbroken reverse-video bar; the glyph's shape still says the status.
		return st.RailSelectedFocused.Render(prefix + Glyph(ps.Status) + " " + title)
	case selected:
		return st.RailSelected.Render(prefix) + glyph + st.RailSelected.Render(" "+title)
	}
	return st.RailItem.Render(prefix) + glyph + st.RailItem.Render(" "+title)
}
