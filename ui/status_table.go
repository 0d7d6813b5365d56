package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"

	"github.com/cyclezero/cyclezero/steps"
)

// statusHeaders are the status table's column headings.
var statusHeaders = []string{"#", "Phase", "Status", "Detail"}

// StatusTable renders the phases of a session as the styled table that
// `cyclezero status` prints in a terminal: glyph and status in words, so it
// reads without colour, and the reason for stale or blocked phases,
// wrapped to fit width (0: its natural width).
func StatusTable(st Styles, states []steps.PhaseState, width int) string {
	t := statusTable(st, states, statusRows(states), statusHeaders)
	out := t.Render()
	if natural := lipgloss.Width(out); width > 0 && natural > width {
		// Only squeeze when the natural size does not fit: a set width
		// spreads every column evenly. lipgloss v2.1.0 leaves the borders
		// out when it decides whether to shrink (resizer.maxTotal), so a
		// table up to one border per column too wide would be cut, not
		// squeezed; asking for less than its content width makes it squeeze.
		borders := len(statusHeaders) + 1
		out = t.Width(min(width, natural-borders-1)).Render()
	}
	return strings.TrimRight(out, "\n")
}

// statusRows are the table's cells: number, title, glyph and status, reason.
func statusRows(states []steps.PhaseState) [][]string {
	rows := make([][]string, 0, len(states))
	for _, ps := range states {
		rows = append(rows, []string{
			fmt.Sprint(ps.Phase.Number),
			ps.Phase.Title,
			Glyph(ps.Status) + " " + ps.Status.String(),
			ps.Reason,
		})
	}
	return rows
}

// statusTable is the bordered table of rows under headers, styled by
// column: the status in its colour, the detail muted.
func statusTable(st Styles, states []steps.PhaseState, rows [][]string, headers []string) *table.Table {
	return table.New().
		Border(lipgloss.RoundedBorder()).
		BorderStyle(st.Muted).
		Headers(headers...).
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
}

// Column limits of the one-line table: a detail narrower than
// minDetailCells is not worth showing (the column goes), and titles are
// shortened no further than minTitleCells.
const (
	minDetailCells = 8
	minTitleCells  = 12
)

// statusTableOneLine is the status table with every phase on one line, no
// wider than width: details, then titles, are cut with "…" to fit, and on
// a very narrow terminal the Detail column goes. cut reports whether any
// text was shortened or left out.
func statusTableOneLine(st Styles, states []steps.PhaseState, width int) (string, bool) {
	rows := statusRows(states)
	natural := make([]int, len(statusHeaders))
	for i, h := range statusHeaders {
		natural[i] = lipgloss.Width(h)
	}
	for _, r := range rows {
		for i, c := range r {
			natural[i] = max(natural[i], lipgloss.Width(c))
		}
	}
	const perColumn = 3 // a border and a cell of padding each side
	total := func(cols int) int { return 1 + cols*perColumn }
	if width <= 0 || sum(natural)+total(4) <= width {
		return strings.TrimRight(statusTable(st, states, rows, statusHeaders).Render(), "\n"), false
	}
	rest := width - total(4) - natural[0] - natural[2] // for the title and the detail
	titleW := min(natural[1], max(rest-minDetailCells, minTitleCells))
	detailW := rest - titleW
	headers := statusHeaders
	if detailW < minDetailCells {
		headers = statusHeaders[:3]
		titleW = max(min(natural[1], width-total(3)-natural[0]-natural[2]), lipgloss.Width(headers[1]))
		detailW = 0
	}
	cut := false
	for i, r := range rows {
		short := []string{r[0], truncate(r[1], titleW), r[2]}
		if len(headers) == 4 {
			short = append(short, truncate(r[3], detailW))
		}
		cut = cut || short[1] != r[1] || len(short) < 4 && r[3] != "" || len(short) == 4 && short[3] != r[3]
		rows[i] = short
	}
	return strings.TrimRight(statusTable(st, states, rows, headers).Render(), "\n"), cut
}

// sum adds up ns.
func sum(ns []int) int {
	t := 0
	for _, n := range ns {
		t += n
	}
	return t
}
