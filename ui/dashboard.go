package ui

import (
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/cyclezero/cyclezero/steps"
)

// StatusView is one reading of a session for the status dashboard: which
// session, where its repo and catalog are, each phase's state, the summary
// and the next step. cmd builds it; ui only renders it.
type StatusView struct {
	Slug, Repo, Catalog string
	// RepoLabel labels Repo: "directory" outside git, where every message
	// calls it that; "" is "repo".
	RepoLabel string
	// Saved is when the session was last saved, as the plain report says
	// it ("2026-03-14 15:09"); "" when unknown.
	Saved  string
	States []steps.PhaseState
	// Current is the phase the session is on (the one resume opens): its
	// row is marked ▸ and a line under saved names it ("current phase 6,
	// Tier 2 — small-data run"). "" when the session has none yet.
	Current steps.PhaseID
	// Summary and Next are steps.Summary and steps.NextAction.
	Summary, Next string
	// Notes say what is unusual (an unknown code state, a missing worktree).
	Notes []string
	// FullDetails is the command that prints every detail in full
	// (`status --plain`), offered when a table cut details to fit.
	FullDetails string
}

// StatusFrame renders v the way `cyclezero status` prints it in a
// terminal of width×height (0: unbounded): the session, repo, catalog,
// when it was saved and the current phase, the phase table, the summary, the next step and any
// notes. When the details wrapped in full in the table would make it
// taller than height, the phases become a list with each detail under its
// phase; when that is too tall as well, every phase keeps to one line
// with its detail cut ("…"), and a note says how to read them in full.
func StatusFrame(st Styles, v StatusView, width, height int) string {
	var lines []string
	for _, lo := range statusLayouts(width, false) {
		if lines = buildStatus(st, v, lo).all(); height <= 0 || len(lines) <= height {
			break
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// statusLayouts are the ways to lay a status frame out in width, in the
// order to try them on a terminal of limited height: the table with every
// detail wrapped, the list with every detail (often shorter than a table
// whose Detail column is narrow), then one line a phase. The first one
// that fits is used, and the last when none does.
func statusLayouts(width int, midPaths bool) []statusLayout {
	los := []statusLayout{{width: width, midPaths: midPaths}}
	if width > 0 {
		los = append(los, statusLayout{width: width, list: true, midPaths: midPaths})
	}
	return append(los, statusLayout{width: width, oneLine: true, midPaths: midPaths})
}

// statusLayout is how a status frame is fitted.
type statusLayout struct {
	width int // 0: natural widths
	// oneLine keeps every phase to one line, cutting details.
	oneLine bool
	// list shows the phases as a list without borders, each detail wrapped
	// in full under its phase (with width > 0 and not oneLine).
	list bool
	// midPaths shortens a long path in its middle instead of wrapping it
	// (the live dashboard, where lines are scarce).
	midPaths bool
}

// statusSections are a status frame's parts, top to bottom.
type statusSections struct {
	title, meta, table, tail, notes []string
	// cut is set when the table shortened a detail or title.
	cut bool
}

// all is the sections in reading order.
func (s statusSections) all() []string {
	var out []string
	for _, part := range [][]string{s.title, s.meta, s.table, s.tail, s.notes} {
		out = append(out, part...)
	}
	return out
}

// buildStatus lays v out: the title and the repo, catalog and saved lines,
// the phase table, the summary and next step, and the notes (with how to
// see the details in full when the table cut some).
func buildStatus(st Styles, v StatusView, lo statusLayout) statusSections {
	var s statusSections
	w := lo.width
	s.title = []string{fitWidth(st.Brand.Render("cyclezero")+" session "+st.Title.Render(v.Slug), w)}
	repoLabel := v.RepoLabel
	if repoLabel == "" {
		repoLabel = "repo"
	}
	labelW := max(8, len(repoLabel)+1) // "catalog " and the repo's label, aligned
	// labelled adds a meta line; a long path (isPath) is shortened in its
	// middle where lines are scarce, anything else wraps.
	labelled := func(label, text string, isPath bool) {
		if text == "" {
			return
		}
		head := st.Muted.Render(label + spaces(labelW-len(label)))
		switch {
		case w <= labelW || displayWidth(text) <= w-labelW:
			s.meta = append(s.meta, fitWidth(head+text, w))
		case lo.midPaths && isPath:
			s.meta = append(s.meta, head+truncatePath(text, w-labelW))
		default:
			for i, l := range wrap(text, w-labelW) {
				if i > 0 {
					head = spaces(labelW)
				}
				s.meta = append(s.meta, head+l)
			}
		}
	}
	labelled(repoLabel, v.Repo, true)
	labelled("catalog", v.Catalog, true)
	labelled("saved", v.Saved, false)
	if p := currentPhase(v.States, v.Current); p != nil {
		labelled("current", p.Label(), false)
	}

	table, cut := "", false
	if lo.list && !lo.oneLine && w > 0 {
		table, cut = statusList(st, v.States, v.Current, w, false)
	} else {
		table, cut = fitStatusTable(st, v.States, v.Current, w, lo.oneLine)
	}
	s.table, s.cut = strings.Split(table, "\n"), cut

	para := func(dst *[]string, style func(...string) string, text string) {
		if text == "" {
			return
		}
		lines := []string{text}
		if w > 0 {
			lines = wrap(text, w) // breaks at spaces: commands stay whole where they can
		}
		for _, l := range lines {
			*dst = append(*dst, style(l))
		}
	}
	para(&s.tail, plain, v.Summary)
	para(&s.tail, st.Heading.Render, v.Next)
	for _, n := range v.Notes {
		para(&s.notes, st.Muted.Render, "note: "+n)
	}
	if s.cut && v.FullDetails != "" {
		para(&s.notes, st.Muted.Render, "Cut to fit; full details: "+v.FullDetails)
	}
	return s
}

// fitWidth truncates s to w cells; w <= 0 leaves it whole.
func fitWidth(s string, w int) string {
	if w <= 0 || lipgloss.Width(s) <= w {
		return s
	}
	return truncate(s, w)
}

// plain is the summary line's "style": none. It has a lipgloss Render's
// signature so para takes it where the other lines pass a real style.
func plain(s ...string) string { return strings.Join(s, " ") }
