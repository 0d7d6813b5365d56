package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

func TestStatusTableFitsAndReadsWithoutColour(t *testing.T) {
	t.Parallel()
	states := steps.Evaluate(fixtureSession(), state.Fingerprint{})
	natural := ansi.Strip(StatusTable(NewStyles(true), states, 0))
	for _, width := range []int{0, 60, 80, 200} {
		out := ansi.Strip(StatusTable(NewStyles(true), states, width))
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
	natural := ansi.StringWidth(strings.SplitN(ansi.Strip(StatusTable(NewStyles(true), states, 0)), "\n", 2)[0])
	for width := natural - 8; width < natural; width++ {
		out := ansi.Strip(StatusTable(NewStyles(true), states, width))
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
