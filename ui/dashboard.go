package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"

	"github.com/cyclezero/cyclezero/steps"
)

// StatusTable renders the phases of a session as the styled table that
// `cyclezero status` prints in a terminal: glyph and status in words, so it
// reads without colour, and the reason for stale or blocked phases.
func StatusTable(st Styles, states []steps.PhaseState, width int) string {
	rows := make([][]string, 0, len(states))
	for _, ps := range states {
		rows = append(rows, []string{
			fmt.Sprint(ps.Phase.Number),
			ps.Phase.Title,
			Glyph(ps.Status) + " " + ps.Status.String(),
			ps.Reason,
		})
	}
	t := table.New().
		Border(lipgloss.RoundedBorder()).
		BorderStyle(st.Muted).
		Headers("#", "Phase", "Status", "Detail").
		Rows(rows...).
		StyleFunc(func(row, col int) lipgloss.Style {
			base := lipgloss.NewStyle().Padding(0, 1)
			switch {
			case row == table.HeaderRow:
				return base.Inherit(st.Heading)
			case col == 2 && row >= 0 && row < len(states):
				return base.Inherit(st.statusStyle(states[row].Status))
			case col == 3:
				return base.Inherit(st.Muted)
			}
			return base.Inherit(st.Body)
		})
	out := t.Render()
	if width > 0 && lipgloss.Width(out) > width {
		// Only squeeze when the natural size does not fit: a set width
		// spreads every column evenly.
		out = t.Width(width).Render()
	}
	return strings.TrimRight(out, "\n")
}
