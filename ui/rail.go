package ui

import (
	"fmt"

	"github.com/cyclezero/cyclezero/steps"
)

// legend explains the glyphs at the foot of the rail, when there is room,
// so the rail reads without colour and without the help screen.
var legend = [][]steps.Status{
	{steps.Done, steps.InProgress},
	{steps.Stale, steps.Blocked},
	{steps.NotStarted},
}

// renderRail draws the phase list: a marker on the selected row (▸, and
// reverse video while the rail has focus), the phase number, its status
// glyph and its title.
func renderRail(st *Styles, states []steps.PhaseState, sel int, focused bool, w, h int) string {
	boxSt := st.Box
	if focused {
		boxSt = st.BoxFocused
	}
	innerW := w - boxSt.GetHorizontalFrameSize()
	innerH := h - boxSt.GetVerticalFrameSize()

	lines := []string{st.RailTitle.Render("Phases"), ""}
	if innerH < len(states)+2 {
		lines = nil // no room for the title: the phases matter more
	}
	for i, ps := range states {
		lines = append(lines, railRow(st, ps, i == sel, focused, innerW))
	}
	if need := len(lines) + 1 + len(legend); innerH >= need {
		lines = padBlock(lines, innerH-len(legend))
		for _, row := range legend {
			var s string
			for j, status := range row {
				if j > 0 {
					s += "  "
				}
				s += st.statusStyle(status).Render(Glyph(status)) + " " + st.Muted.Render(status.String())
			}
			lines = append(lines, s)
		}
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
