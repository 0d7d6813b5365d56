package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"
	"github.com/charmbracelet/x/ansi"

	"github.com/cyclezero/cyclezero/steps"
)

// statusHeaders are the status table's column headings.
var statusHeaders = []string{"#", "Phase", "Status", "Detail"}

// Column indexes of the status table.
const (
	colNumber = iota
	colTitle
	colStatus
	colDetail
)

// Column limits. A wrapped table whose Detail column would get under
// them gives way to a list without borders, which keeps every detail; a
// one-line table drops its Detail column first, then gives way to a
// one-line list.
const (
	// minDetailCells: a one-line detail narrower than this is not worth
	// showing; minWrapDetailCells is the same for a wrapped one, which
	// would otherwise run a word or two a line.
	minDetailCells     = 8
	minWrapDetailCells = 12
	// maxDetailWordCells caps the longest detail word a wrapped Detail
	// column must hold whole: a longer one (a path) breaks at its slashes.
	maxDetailWordCells = 24
	// minTitleCells: titles are shortened no further than this beside a
	// detail, nor than minLoneTitleCells when the Detail column is gone.
	minTitleCells     = 12
	minLoneTitleCells = 8
	// perColumn is a border and a cell of padding each side.
	perColumn = 3
)

// fitStatusTable lays the phases out in width (0: natural): the table at
// its natural size when it fits. Else, unless oneLine, nothing is cut:
// titles and details wrap at spaces in the table while its columns hold
// their longest words, and otherwise the phases become a list without
// borders with each detail wrapped under its phase, so a wider terminal
// never shows less than a narrower one. With oneLine (the caller's frame
// is too tall for that), every phase keeps to one line: details, then
// titles, are cut with "…", the Detail column goes when it would get too
// narrow, and last comes a one-line list. The Detail column is left out
// whenever no phase has a detail. No line is wider than width. cut
// reports whether any text was shortened or left out. The current phase
// (none when "") is marked ▸ before its number (see statusRows).
func fitStatusTable(st Styles, states []steps.PhaseState, current steps.PhaseID, width int, oneLine bool) (string, bool) {
	rows := statusRows(states, current)
	cols := 4
	if !anyDetail(rows) {
		cols = 3
	}
	natural := cellWidths(rows, cols)
	if width <= 0 || tableWidth(natural) <= width {
		return renderStatusTable(st, states, rows, cols), false
	}
	if !oneLine {
		if out, ok := wrappedStatusTable(st, states, rows, natural, width); ok {
			return out, false
		}
		return statusList(st, states, current, width, false)
	}
	if out, cut, ok := oneLineStatusTable(st, states, rows, natural, width); ok {
		return out, cut
	}
	return statusList(st, states, current, width, true)
}

// wrappedStatusTable wraps titles and details at spaces into columns that
// fit width, with every column it has (natural says which). ok is false
// when the title column would not hold its longest word or the Detail
// column would get under its minimum: the list shows them whole instead.
func wrappedStatusTable(st Styles, states []steps.PhaseState, rows [][]string, natural []int, width int) (string, bool) {
	minTitle := max(longestWord(rows, colTitle), lipgloss.Width(statusHeaders[colTitle]))
	if len(natural) == 4 {
		room := width - tableWidth(natural[:3]) + natural[colTitle] - perColumn // title and detail
		title := min(max(room/2, room-natural[colDetail], minTitle), natural[colTitle])
		detail := min(room-title, natural[colDetail])
		minDetail := max(minWrapDetailCells, min(longestWord(rows, colDetail), maxDetailWordCells))
		if detail < min(minDetail, natural[colDetail]) {
			return "", false
		}
		return renderStatusTable(st, states, wrapColumns(rows, title, detail), 4), true
	}
	room := width - tableWidth(natural) + natural[colTitle]
	if room < minTitle {
		return "", false
	}
	return renderStatusTable(st, states, wrapColumns(rows, min(room, natural[colTitle]), 0), 3), true
}

// oneLineStatusTable cuts details, then titles, with "…" so every phase
// keeps to one line in width; the Detail column goes when it would get
// under minDetailCells. ok is false when the titles would get under
// minLoneTitleCells.
func oneLineStatusTable(st Styles, states []steps.PhaseState, rows [][]string, natural []int, width int) (string, bool, bool) {
	if len(natural) == 4 {
		room := width - tableWidth(natural[:3]) + natural[colTitle] - perColumn // title and detail
		title := min(natural[colTitle], max(room-minDetailCells, minTitleCells))
		if detail := min(room-title, natural[colDetail]); detail >= minDetailCells {
			short, cut := cutColumns(rows, title, detail)
			return renderStatusTable(st, states, short, 4), cut, true
		}
	}
	title := min(natural[colTitle], width-tableWidth(natural[:3])+natural[colTitle])
	if title < min(minLoneTitleCells, natural[colTitle]) {
		return "", false, false
	}
	short, cut := cutColumns(rows, title, 0)
	return renderStatusTable(st, states, short, 3), cut || len(natural) == 4, true
}

// statusList is the phases without a table, for terminals too narrow for
// one: each phase's number, title, and glyph and status in words, in
// columns, or, when the title column would be too narrow, the status on a
// line of its own under the title. With oneLine, titles are cut with "…";
// otherwise they wrap at spaces and each detail is wrapped under its phase.
// The current phase is marked as in the table.
func statusList(st Styles, states []steps.PhaseState, current steps.PhaseID, width int, oneLine bool) (string, bool) {
	rows := statusRows(states, current)
	widths := cellWidths(rows, 3)
	numW, statusW := widths[colNumber], widths[colStatus]
	indent := spaces(numW + 1)
	textW := width - numW - 1
	titleW := min(textW-statusW-1, widths[colTitle]) // the status just right of the longest title
	// Unless oneLine, titles wrap in a column beside the status when their
	// longest word fits it; else the status goes under the title.
	columns := titleW >= max(minLoneTitleCells, longestWord(rows, colTitle))
	var out []string
	cut := false
	for i, r := range rows {
		status := st.statusStyle(states[i].Status).Render(truncate(r[colStatus], textW))
		num := r[colNumber] + spaces(numW-lipgloss.Width(r[colNumber])) + " "
		switch {
		case oneLine && titleW >= minLoneTitleCells:
			title := cutText(r[colTitle], titleW)
			out = append(out, num+st.Body.Render(title)+spaces(titleW-lipgloss.Width(title)+1)+status)
			cut = cut || title != r[colTitle]
		case oneLine:
			title := cutText(r[colTitle], textW)
			out = append(out, num+st.Body.Render(title), indent+status)
			cut = cut || title != r[colTitle]
		case columns:
			lines := wrap(r[colTitle], titleW)
			first := st.Body.Render(lines[0]) + spaces(titleW-lipgloss.Width(lines[0])+1) + status
			out = append(out, hang(num, indent, append([]string{first}, styled(st.Body, lines[1:])...))...)
		default:
			lines := styled(st.Body, wrap(r[colTitle], textW))
			out = append(out, hang(num, indent, append(lines, status))...)
		}
		switch {
		case r[colDetail] == "":
		case oneLine:
			cut = true
		default:
			for _, l := range wrap(r[colDetail], textW) {
				out = append(out, indent+st.Muted.Render(l))
			}
		}
	}
	return strings.Join(out, "\n"), cut
}

// hang puts head before the first of lines and indent before the rest.
func hang(head, indent string, lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if i == 0 {
			out[i] = head + l
		} else {
			out[i] = indent + l
		}
	}
	return out
}

// styled renders each of lines in style.
func styled(style lipgloss.Style, lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = style.Render(l)
	}
	return out
}

// statusRows are the table's cells: number, title, glyph and status,
// reason. When current is one of the phases, its number reads "▸6" (the
// marker the wizard's rail uses) and the others' get a space before them,
// so the numbers stay in line; the frame says which phase it is in words
// too (see currentPhase).
func statusRows(states []steps.PhaseState, current steps.PhaseID) [][]string {
	marked := currentPhase(states, current) != nil
	rows := make([][]string, 0, len(states))
	for _, ps := range states {
		num := fmt.Sprint(ps.Phase.Number)
		switch {
		case marked && ps.Phase.ID == current:
			num = currentMarker + num
		case marked:
			num = " " + num
		}
		rows = append(rows, []string{
			num,
			ps.Phase.Title,
			Glyph(ps.Status) + " " + ps.Status.String(),
			ps.Reason,
		})
	}
	return rows
}

// currentMarker marks the current phase's number.
const currentMarker = "▸"

// currentPhase is the phase whose id is current; nil when there is none.
func currentPhase(states []steps.PhaseState, current steps.PhaseID) *steps.Phase {
	if current == "" {
		return nil
	}
	for i := range states {
		if states[i].Phase.ID == current {
			return &states[i].Phase
		}
	}
	return nil
}

// anyDetail reports whether some phase has a detail to show.
func anyDetail(rows [][]string) bool {
	for _, r := range rows {
		if r[colDetail] != "" {
			return true
		}
	}
	return false
}

// cellWidths is the natural width of the first cols columns: their widest
// cell or heading.
func cellWidths(rows [][]string, cols int) []int {
	w := make([]int, cols)
	for i := range w {
		w[i] = lipgloss.Width(statusHeaders[i])
		for _, r := range rows {
			w[i] = max(w[i], lipgloss.Width(r[i]))
		}
	}
	return w
}

// tableWidth is the width of a bordered table whose cells are widths wide.
func tableWidth(widths []int) int { return 1 + len(widths)*perColumn + sum(widths) }

// longestWord is the widest word in column col.
func longestWord(rows [][]string, col int) int {
	w := 0
	for _, r := range rows {
		for _, word := range strings.Fields(r[col]) {
			w = max(w, lipgloss.Width(word))
		}
	}
	return w
}

// wrapColumns wraps titles to titleW and details to detailW (0: the
// Detail column goes), at spaces.
func wrapColumns(rows [][]string, titleW, detailW int) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{r[colNumber], strings.Join(wrap(r[colTitle], titleW), "\n"), r[colStatus]}
		if detailW > 0 {
			out[i] = append(out[i], strings.Join(wrap(r[colDetail], detailW), "\n"))
		}
	}
	return out
}

// cutColumns cuts titles to titleW and details to detailW (0: the Detail
// column goes) with "…"; cut reports whether any text was shortened.
func cutColumns(rows [][]string, titleW, detailW int) ([][]string, bool) {
	out := make([][]string, len(rows))
	cut := false
	for i, r := range rows {
		out[i] = []string{r[colNumber], cutText(r[colTitle], titleW), r[colStatus]}
		cut = cut || out[i][colTitle] != r[colTitle]
		if detailW > 0 {
			out[i] = append(out[i], cutText(r[colDetail], detailW))
			cut = cut || out[i][colDetail] != r[colDetail]
		}
	}
	return out, cut
}

// cutText is s cut to w cells with "…", like truncate, but without a
// space or dash left dangling before the "…" ("Tier 1…", not "Tier 1 —…").
func cutText(s string, w int) string {
	if lipgloss.Width(s) <= w {
		return s
	}
	if w <= 1 {
		return truncate(s, w)
	}
	return strings.TrimRight(ansi.Truncate(s, w-1, ""), " —-") + "…"
}

// renderStatusTable draws rows, already fitted, under the first cols
// headings, at their natural width.
func renderStatusTable(st Styles, states []steps.PhaseState, rows [][]string, cols int) string {
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = r[:cols]
	}
	return strings.TrimRight(statusTable(st, states, cells, statusHeaders[:cols]).Render(), "\n")
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
			case col == colStatus && row >= 0 && row < len(states):
				return base.Inherit(st.statusStyle(states[row].Status))
			case col == colDetail:
				return base.Inherit(st.Muted)
			}
			return base.Inherit(st.Body)
		})
}

// sum adds up ns.
func sum(ns []int) int {
	t := 0
	for _, n := range ns {
		t += n
	}
	return t
}
