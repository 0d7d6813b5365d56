package ui

import (
	"bytes"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// runToFirstFrame starts m in a real bubbletea program at 80×24, waits
// until a frame containing want was drawn, quits, and returns the final
// model and every byte written to the terminal.
func runToFirstFrame(t *testing.T, m Model, want string, opts ...tea.ProgramOption) (Model, []byte) {
	t.Helper()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24), teatest.WithProgramOptions(opts...))
	var out bytes.Buffer
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		out.Reset()
		out.Write(b)
		return bytes.Contains(b, []byte(want))
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final, ok := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if !ok {
		t.Fatal("final model is not a ui.Model")
	}
	return final, out.Bytes()
}

// TestGoldenNewSession is the first screen of `cyclezero new`.
func TestGoldenNewSession(t *testing.T) {
	final, _ := runToFirstFrame(t, New(Options{Now: nowFn}), "Where is the catalog?",
		tea.WithColorProfile(colorprofile.Ascii))
	golden.RequireEqual(t, ansi.Strip(final.View().Content))
}

// TestGoldenResumedSession is the first screen of `cyclezero resume` for a
// session with two phases done, one stale and one begun.
func TestGoldenResumedSession(t *testing.T) {
	final, _ := runToFirstFrame(t, New(Options{Now: nowFn, Session: fixtureSession()}), "Development dataset",
		tea.WithColorProfile(colorprofile.Ascii))
	golden.RequireEqual(t, ansi.Strip(final.View().Content))
}

// TestNoColor proves bubbletea honours NO_COLOR on its own (colorprofile
// detects the profile from the program's environment): the same program
// writes colour escapes without it and none with it, so cmd needs no
// extra program option.
func TestNoColor(t *testing.T) {
	base := []string{"TERM=xterm-256color", "TTY_FORCE=1"} // a colour terminal
	_, coloured := runToFirstFrame(t, New(Options{Now: nowFn, Session: fixtureSession()}), "Development dataset",
		tea.WithEnvironment(base))
	if !hasColour(coloured) {
		t.Fatal("without NO_COLOR the output should have colour; the test would prove nothing")
	}
	_, plain := runToFirstFrame(t, New(Options{Now: nowFn, Session: fixtureSession()}), "Development dataset",
		tea.WithEnvironment(append(base, "NO_COLOR=1")))
	if hasColour(plain) {
		t.Fatalf("NO_COLOR=1 output has colour escapes: %q", plain)
	}
	if !bytes.Contains(plain, []byte("Development dataset")) {
		t.Fatal("NO_COLOR output lost its text")
	}
}

// hasColour reports whether b has an SGR sequence that sets a foreground
// or background colour (30–38, 40–48, 90–97, 100–107).
func hasColour(b []byte) bool {
	s := string(b)
	for {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return false
		}
		s = s[i+2:]
		j := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != ';' && r != ':' })
		if j < 0 {
			return false
		}
		if s[j] == 'm' {
			for _, p := range strings.FieldsFunc(s[:j], func(r rune) bool { return r == ';' || r == ':' }) {
				switch {
				case len(p) == 2 && (p[0] == '3' || p[0] == '4' || p[0] == '9') && p[1] >= '0' && p[1] <= '8':
					return true
				case len(p) == 3 && p[:2] == "10" && p[2] >= '0' && p[2] <= '7':
					return true
				}
			}
		}
		s = s[j:]
	}
}
