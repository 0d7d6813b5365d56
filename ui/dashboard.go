package ui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"

	"github.com/cyclezero/cyclezero/steps"
)

// StatusView is one reading of a session for the status dashboard: which
// session, where its repo and catalog are, each phase's state, the summary
// and the next step. cmd builds it; ui only renders it.
type StatusView struct {
	Slug, Repo, Catalog string
	States              []steps.PhaseState
	Summary, Next       string
	// Notes say what is unusual (an unknown code state, a missing worktree).
	Notes []string
}

// StatusFrame renders v the way `cyclezero status` prints it in a
// terminal: the session, repo and catalog, the phase table (see
// StatusTable), the summary, the next step and any notes. width bounds the
// table (0: its natural width).
func StatusFrame(st Styles, v StatusView, width int) string {
	var b strings.Builder
	line := func(style func(...string) string, text string) {
		lines := []string{text}
		if width > 0 && lipgloss.Width(text) > width {
			lines = wrap(text, width) // breaks at spaces: paths stay whole where they can
		}
		for _, l := range lines {
			b.WriteString(style(l) + "\n")
		}
	}
	b.WriteString(st.Brand.Render("cyclezero") + " " + st.Title.Render(v.Slug) + "\n")
	line(plain, st.Muted.Render("repo    ")+v.Repo)
	line(plain, st.Muted.Render("catalog ")+v.Catalog)
	b.WriteString(StatusTable(st, v.States, width) + "\n")
	line(plain, v.Summary)
	line(st.Heading.Render, v.Next)
	for _, n := range v.Notes {
		line(st.Muted.Render, "note: "+n)
	}
	return b.String()
}

// plain renders text as it is.
func plain(s ...string) string { return strings.Join(s, " ") }

// statusHeaders are the status table's column headings.
var statusHeaders = []string{"#", "Phase", "Status", "Detail"}

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
		Headers(statusHeaders...).
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
