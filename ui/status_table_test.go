package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// notStartedView is a new session: no phase has a detail.
func notStartedView() StatusView {
	states := steps.Evaluate(&state.Session{Slug: "diagnosis-classifier"}, state.Fingerprint{})
	return StatusView{
		Slug: "diagnosis-classifier", Repo: "/tmp/xdemo-1", Catalog: "local catalog at /tmp/xdemo-1/catalog.sqlite",
		Saved: "2026-03-14 15:09", States: states, Summary: steps.Summary(states), Next: steps.NextAction(states),
		FullDetails: "cyclezero status --plain",
	}
}

// splitWords returns the tokens of frame that are a piece of a table word
// (a title, status or detail word) cut without "…": the end of a line
// that broke inside the word, or the start of the next.
func splitWords(v StatusView, frame string) []string {
	whole := map[string]bool{}
	var table []string
	addWords := func(texts ...string) {
		for _, t := range texts {
			for _, w := range strings.Fields(t) {
				whole[w] = true
			}
		}
	}
	for _, ps := range v.States {
		words := strings.Fields(ps.Phase.Title + " " + ps.Status.String() + " " + ps.Reason)
		table = append(table, words...)
		addWords(ps.Phase.Title, Glyph(ps.Status)+" "+ps.Status.String(), ps.Reason, fmt.Sprint(ps.Phase.Number))
	}
	addWords(v.Slug, v.Repo, v.Catalog, v.Saved, v.Summary, v.Next, v.FullDetails, strings.Join(v.Notes, " "),
		strings.Join(statusHeaders, " "), "cyclezero session repo catalog saved current phase note: Cut to fit; full details:")
	if p := currentPhase(v.States, v.Current); p != nil {
		addWords(fmt.Sprintf("%d, %s%d", p.Number, currentMarker, p.Number))
	}
	var bad []string
	for _, line := range strings.Split(frame, "\n") {
		for _, tok := range strings.FieldsFunc(line, func(r rune) bool { return r == ' ' || strings.ContainsRune("│╭╮╰╯├┤┬┴┼─", r) }) {
			if whole[tok] || strings.HasSuffix(tok, "…") {
				continue
			}
			for _, w := range table {
				if len(tok) < len(w) && (strings.HasPrefix(w, tok) || strings.HasSuffix(w, tok)) {
					bad = append(bad, fmt.Sprintf("%q (of %q) in %q", tok, w, line))
					break
				}
			}
		}
	}
	return bad
}

// TestStatusFrameFitsEveryWidthWithoutSplittingWords: at every width from
// 20 to 120, on short and tall terminals, no line is wider than the
// terminal, no title, status or detail word is broken, and every phase
// shows its status in words.
func TestStatusFrameFitsEveryWidthWithoutSplittingWords(t *testing.T) {
	t.Parallel()
	st := NewStyles(true)
	current := blockedView()
	current.Current = steps.Validate
	for name, v := range map[string]StatusView{"blocked": blockedView(), "resumed": fixtureView(), "new": notStartedView(),
		"current": current} {
		for _, h := range []int{24, 60} {
			t.Run(fmt.Sprintf("%s/%d", name, h), func(t *testing.T) {
				t.Parallel()
				for w := 20; w <= 120; w++ {
					// The sections as StatusFrame lays them out, so the
					// table can be checked apart from the catalog line
					// above it (a path may break at its slashes).
					var s statusSections
					for _, lo := range statusLayouts(w, false) {
						if s = buildStatus(st, v, lo); len(s.all()) <= h {
							break
						}
					}
					frame := ansi.Strip(strings.Join(s.all(), "\n"))
					if w%10 == 0 {
						assert.Equal(t, frame+"\n", ansi.Strip(StatusFrame(st, v, w, h)), "StatusFrame lays it out so")
					}
					for _, l := range strings.Split(frame, "\n") {
						if lipgloss.Width(l) > w {
							t.Fatalf("%d×%d: a line is %d wide: %q\n%s", w, h, lipgloss.Width(l), l, frame)
						}
					}
					if bad := splitWords(v, ansi.Strip(strings.Join(s.table, "\n"))); len(bad) > 0 {
						t.Fatalf("%d×%d: words split: %s\n%s", w, h, strings.Join(bad, "; "), frame)
					}
					for _, ps := range v.States {
						if !strings.Contains(frame, Glyph(ps.Status)+" "+ps.Status.String()) {
							t.Fatalf("%d×%d: phase %d lacks its status in words\n%s", w, h, ps.Phase.Number, frame)
						}
					}
				}
			})
		}
	}
}

func TestStatusTableDropsAnEmptyOrTooNarrowDetailColumn(t *testing.T) {
	t.Parallel()
	empty := notStartedView()
	for _, w := range []int{0, 40, 200} {
		out := ansi.Strip(naturalStatusTable(NewStyles(true), empty.States, w))
		assert.NotContains(t, out, "Detail", "no phase has a detail: no column for them at %d", w)
		assert.NotContains(t, out, "…", "nothing is cut at %d", w)
		assert.Contains(t, out, "│ ○ not started │", "the status stays on one line at %d", w)
	}
	// 40×60: the details do not fit beside the titles, so the phases
	// become a list with each detail in full under its phase.
	frame := ansi.Strip(StatusFrame(NewStyles(true), blockedView(), 40, 60))
	assert.NotContains(t, frame, "│")
	assert.Contains(t, frame, "\n4 Validate features and    ✗ blocked\n  labels\n  needs a released development dataset\n")
	assert.NotContains(t, frame, "Cut to fit")
	// Wide enough, they wrap in their column in full.
	frame = ansi.Strip(StatusFrame(NewStyles(true), blockedView(), 80, 60))
	assert.Contains(t, frame, "│ Detail ")
	assert.NotContains(t, frame, "Cut to fit")
}

// A one-line table that drops the Detail column for want of room says it
// cut something, even when every title fits whole: the frame then points
// at the full details.
func TestOneLineStatusTableSaysItDroppedTheDetails(t *testing.T) {
	t.Parallel()
	states := []steps.PhaseState{{Phase: steps.Phase{Number: 1, Title: "Specify"}, Status: steps.Blocked,
		Reason: "needs a released development dataset"}}
	out, cut := fitStatusTable(NewStyles(true), states, "", 30, true)
	plain := ansi.Strip(out)
	assert.Contains(t, plain, "│ Specify │", "the title is whole")
	assert.NotContains(t, plain, "Detail", "too narrow for the details")
	assert.True(t, cut, "the details were cut")
}

// A one-line table keeps a Detail column of its minimum width by cutting
// the titles with "…", rather than giving every cell to the titles.
func TestOneLineStatusTableCutsTitlesToKeepTheDetails(t *testing.T) {
	t.Parallel()
	for _, w := range []int{50, 56} {
		out, cut := fitStatusTable(NewStyles(true), blockedView().States, "", w, true)
		plain := ansi.Strip(out)
		assert.Contains(t, plain, "│ Detail", "the details keep a column at %d", w)
		assert.Contains(t, plain, "Validate feat", "at %d", w)
		assert.NotContains(t, plain, "Validate features and labels", "the long title is cut at %d", w)
		assert.Contains(t, plain, "… │", "at %d", w)
		assert.True(t, cut)
	}
}

func TestStatusTableGivesWayToAList(t *testing.T) {
	t.Parallel()
	v := notStartedView()
	// Too narrow for "Development" whole in the table: a list, whose
	// titles stay whole, not the one-line table ("Developme…").
	frame := ansi.Strip(StatusFrame(NewStyles(true), v, 34, 60))
	assert.NotContains(t, frame, "│")
	assert.NotContains(t, frame, "Developme…")
	assert.Contains(t, frame, "\n3 Development        ○ not started\n  dataset\n")
	// A short terminal gets the one-line table, titles cut with "…".
	frame = ansi.Strip(StatusFrame(NewStyles(true), v, 34, 20))
	assert.Contains(t, frame, "│ 3 │ Developme… │ ○ not started │")
	assert.Contains(t, frame, "│ 5 │ Tier 1…    │", "no dash left dangling before the …")
	// Too narrow for a table: a list without borders, titles wrapped at
	// spaces beside the status, or above it when "Development" does not
	// fit beside it; on a short terminal, one line a phase.
	frame = ansi.Strip(StatusFrame(NewStyles(true), v, 30, 60))
	assert.NotContains(t, frame, "│")
	assert.Contains(t, frame, "\n3 Development    ○ not started\n  dataset\n")
	frame = ansi.Strip(StatusFrame(NewStyles(true), v, 20, 60))
	assert.Contains(t, frame, "\n3 Development\n  dataset\n  ○ not started\n")
	frame = ansi.Strip(StatusFrame(NewStyles(true), v, 26, 24))
	assert.Contains(t, frame, "\n3 Developme… ○ not started\n4 Validate…  ○ not started\n")
	// The list keeps the details under their phase when lines are plenty.
	frame = ansi.Strip(StatusFrame(NewStyles(true), blockedView(), 26, 200))
	assert.Contains(t, frame, "\n2 Schema design\n  ✗ blocked\n  needs an approved design\n")
}

// longDetailsView is blockedView with a long detail on every phase.
func longDetailsView() StatusView {
	v := blockedView()
	v.States = append([]steps.PhaseState(nil), v.States...)
	for i := range v.States {
		if v.States[i].Reason == "" {
			v.States[i].Reason = "waits for the phases before it, then runs the training tier on the released dataset and records the results in the catalog"
		}
	}
	return v
}

// detailsShown reports whether frame holds every phase's detail whole:
// every word of it, and no note that details were cut.
func detailsShown(v StatusView, frame string) bool {
	if strings.Contains(frame, "Cut to fit") {
		return false
	}
	words := strings.Fields(frame)
	for _, ps := range v.States {
		for _, w := range strings.Fields(ps.Reason) {
			if !slices.Contains(words, w) {
				return false
			}
		}
	}
	return true
}

// TestStatusFrameWiderNeverShowsLess: from 20 to 200 columns at 60 rows,
// once the details are shown in full they stay shown at every wider
// width, and no line outgrows the terminal.
func TestStatusFrameWiderNeverShowsLess(t *testing.T) {
	t.Parallel()
	st := NewStyles(true)
	for name, v := range map[string]StatusView{"long": longDetailsView(), "blocked": blockedView()} {
		shownAt := 0
		for w := 20; w <= 200; w++ {
			frame := ansi.Strip(StatusFrame(st, v, w, 60))
			for _, l := range strings.Split(strings.TrimSuffix(frame, "\n"), "\n") {
				if lipgloss.Width(l) > w {
					t.Fatalf("%s at %d×60: a line is %d wide: %q", name, w, lipgloss.Width(l), l)
				}
			}
			shown := detailsShown(v, frame)
			if shownAt > 0 && !shown {
				t.Fatalf("%s: details shown at %d columns but not at %d:\n%s", name, shownAt, w, frame)
			}
			if shown && shownAt == 0 {
				shownAt = w
			}
		}
		if shownAt == 0 || shownAt > 40 {
			t.Errorf("%s: details first shown at %d columns, want by 40", name, shownAt)
		}
	}
}

// TestStatusFrameMarksTheCurrentPhase: the phase the session is on is
// marked ▸ in the table and in the list, with its number kept in line, and
// named in words under saved, whole at 40 columns; a session with no
// current phase (or one the phases do not know) has neither.
func TestStatusFrameMarksTheCurrentPhase(t *testing.T) {
	t.Parallel()
	st := NewStyles(true)
	v := fixtureView()
	v.Current = steps.Tier2
	wide := ansi.Strip(StatusFrame(st, v, 120, 0))
	assert.Contains(t, wide, "\nsaved   2026-03-14 12:09\ncurrent phase 6, Tier 2 — small-data run\n╭", wide)
	assert.Contains(t, wide, "│ #  │ Phase")
	assert.Contains(t, wide, "│  5 │ Tier 1 — dry run ")
	assert.Contains(t, wide, "│ ▸6 │ Tier 2 — small-data run ")
	assert.Equal(t, 1, strings.Count(wide, "▸"), wide)

	narrow := ansi.Strip(StatusFrame(st, v, 40, 60))
	assert.Contains(t, narrow, "\ncurrent phase 6, Tier 2 — small-data run\n", narrow)
	assert.Contains(t, narrow, "\n▸6 Tier 2 — small-data run", narrow)
	assert.Contains(t, narrow, "\n 5 Tier 1 — dry run", narrow)

	for _, cur := range []steps.PhaseID{"", "no-such-phase"} {
		v.Current = cur
		out := ansi.Strip(StatusFrame(st, v, 120, 0))
		assert.NotContains(t, out, "▸", "current %q", cur)
		assert.NotContains(t, out, "current", "current %q", cur)
		assert.Contains(t, out, "│ 6 │ Tier 2 — small-data run ", "current %q", cur)
	}
}
