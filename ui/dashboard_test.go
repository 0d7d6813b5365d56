package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

func TestStatusTableFitsAndReadsWithoutColour(t *testing.T) {
	t.Parallel()
	states := steps.Evaluate(fixtureSession(), state.Fingerprint{})
	natural := ansi.Strip(naturalStatusTable(NewStyles(true), states, 0))
	for _, width := range []int{0, 60, 80, 200} {
		out := ansi.Strip(naturalStatusTable(NewStyles(true), states, width))
		lines := strings.Split(out, "\n")
		for _, l := range lines {
			if width > 0 && ansi.StringWidth(l) > width {
				t.Fatalf("width %d: line is %d wide: %q", width, ansi.StringWidth(l), l)
			}
		}
		for _, want := range []string{"Specify", "✓ done", "↻ stale"} {
			if !strings.Contains(out, want) {
				t.Errorf("width %d: table lacks %q:\n%s", width, want, out)
			}
		}
		if width == 200 && out != natural {
			t.Errorf("a terminal wider than the table must not stretch it:\n%s", out)
		}
	}
}

// TestStatusTableSqueezesJustTooWide covers widths a few cells under the
// table's natural width, which lipgloss alone would cut (losing the right
// border and the end of the Detail column) instead of squeezing.
func TestStatusTableSqueezesJustTooWide(t *testing.T) {
	t.Parallel()
	states := steps.Evaluate(&state.Session{Slug: "m"}, state.Fingerprint{}) // no reasons: a narrow table
	natural := ansi.StringWidth(strings.SplitN(ansi.Strip(naturalStatusTable(NewStyles(true), states, 0)), "\n", 2)[0])
	for width := natural - 8; width < natural; width++ {
		out := ansi.Strip(naturalStatusTable(NewStyles(true), states, width))
		for _, l := range strings.Split(out, "\n") {
			if ansi.StringWidth(l) > width {
				t.Fatalf("width %d: line is %d wide: %q", width, ansi.StringWidth(l), l)
			}
			if last := []rune(l)[len([]rune(l))-1]; !strings.ContainsRune("╮│┤╯", last) {
				t.Fatalf("width %d: the right border was cut: %q\n%s", width, l, out)
			}
		}
	}
}

// blockedView is a session whose blocked phases have long details, with
// long paths: the reading the audit found cut at 80×24.
func blockedView() StatusView {
	at := fixedNow.Add(-time.Hour)
	s := &state.Session{Slug: "diagnosis-classifier", Phases: map[string]*state.PhaseRecord{
		"specify": {StartedAt: &at, CompletedAt: &at}, "schema": {StartedAt: &at}, "dev-dataset": {StartedAt: &at},
	}}
	states := steps.Evaluate(s, state.Fingerprint{})
	return StatusView{
		Slug: "diagnosis-classifier", Repo: "/tmp/xdemo-1",
		Catalog: "local catalog at /tmp/xdemo-1/.git/cyclezero/sessions/diagnosis-classifier/catalog.sqlite",
		Saved:   "2026-03-14 15:09", States: states, Summary: steps.Summary(states), Next: steps.NextAction(states),
		FullDetails: "cyclezero status --plain",
	}
}

// phaseRows counts the table rows that start a phase ("│ 3 │").
func phaseRows(frame string) []int {
	var got []int
	for n := 1; n <= 8; n++ {
		if strings.Contains(frame, fmt.Sprintf("│ %d │", n)) {
			got = append(got, n)
		}
	}
	return got
}

func TestStatusFrameFitsTheTerminalWithOneLineDetails(t *testing.T) {
	t.Parallel()
	v := blockedView()
	full := ansi.Strip(StatusFrame(NewStyles(true), v, 80, 0))
	assert.Contains(t, full, "released yet)", "unbounded: details in full")
	assert.NotContains(t, full, "Details are cut")

	// 24 rows hold every detail in a list, though not in the table.
	out := ansi.Strip(StatusFrame(NewStyles(true), v, 80, 24))
	assert.Contains(t, out, "\n2 Schema design                ✗ blocked\n  needs an approved design doc (Specify: the design doc is not approved yet)\n")
	assert.NotContains(t, out, "Cut to fit")

	out = ansi.Strip(StatusFrame(NewStyles(true), v, 80, 22))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	assert.LessOrEqual(t, len(lines), 22, out)
	for _, l := range lines {
		assert.LessOrEqual(t, ansi.StringWidth(l), 80, l)
	}
	assert.Equal(t, []int{1, 2, 3, 4, 5, 6, 7, 8}, phaseRows(out), out)
	assert.Contains(t, out, "│ 2 │ Schema design                │ ✗ blocked     │ needs an approved design… │")
	for _, want := range []string{"cyclezero session diagnosis-classifier", "saved   2026-03-14 15:09",
		"0 of 8 phases done", "Continue Specify", "Cut to fit; full details: cyclezero status --plain",
		"catalog local catalog at\n        /tmp/xdemo-1/.git/cyclezero/sessions/diagnosis-classifier/catalog.sqlite"} {
		assert.Contains(t, out, want)
	}
}

func TestStatusTableOneLineNarrow(t *testing.T) {
	t.Parallel()
	v := blockedView()
	for _, w := range []int{40, 50, 60} {
		out, cut := fitStatusTable(NewStyles(true), v.States, "", w, true)
		out = ansi.Strip(out)
		assert.True(t, cut, "width %d", w)
		assert.Len(t, strings.Split(out, "\n"), 12, "one line per phase at %d:\n%s", w, out)
		for _, l := range strings.Split(out, "\n") {
			assert.LessOrEqual(t, ansi.StringWidth(l), w, "width %d: %q", w, l)
		}
		assert.Contains(t, out, "✗ blocked", "the status in words at %d", w)
	}
}

// naturalStatusTable is fitStatusTable with no current phase and nothing cut, as
// the tests that check the table's fitting rules want it.
func naturalStatusTable(st Styles, states []steps.PhaseState, width int) string {
	out, _ := fitStatusTable(st, states, "", width, false)
	return out
}
