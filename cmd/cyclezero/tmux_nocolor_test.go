package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestTmuxNoColor checks NO_COLOR on what the real binary draws in a real
// terminal, where buffer tests cannot look: lipgloss and bubbletea strip
// colour for a non-terminal whatever the code does, so only a pane shows
// whether the wizard and `status` pick their colour profile from the
// environment. The pane says it can do true colour (TERM=xterm-256color,
// COLORTERM=truecolor), so only NO_COLOR keeps colour out; the same
// commands without it must colour the screen, or the check proves nothing.
func TestTmuxNoColor(t *testing.T) {
	tmp, bin := terminalTestBinary(t)
	ws := filepath.Join(tmp, "demo")
	term := newTmux(t, tmp, 130, 40)
	const colourful = "COLORTERM=truecolor "
	const noColor = colourful + "NO_COLOR=1 "
	wizard := func(s string) bool { return strings.Contains(s, "Phase 1 of 8") && strings.Contains(s, "Iterate") }

	term.run(fmt.Sprintf("%s%s demo %q", noColor, bin, ws))
	term.waitFor("the wizard under NO_COLOR", wizard)
	requireNoColour(t, "the wizard with NO_COLOR=1", term.screenEscapes())
	term.keys("q")
	term.waitFor("the wizard's exit", func(s string) bool { return strings.Contains(s, "EXIT=0") })

	term.clear()
	term.run(fmt.Sprintf("%s%s -C %q status", noColor, bin, ws))
	term.waitFor("status under NO_COLOR", statusShown)
	requireNoColour(t, "status with NO_COLOR=1", term.screenEscapes())

	// The controls: the same terminal without NO_COLOR gets colour.
	term.clear()
	term.run(fmt.Sprintf("%s%s -C %q status", colourful, bin, ws))
	term.waitFor("status in colour", statusShown)
	requireColour(t, "status without NO_COLOR", term.screenEscapes())

	term.clear()
	term.run(fmt.Sprintf("%s%s -C %q resume", colourful, bin, ws))
	term.waitFor("the wizard in colour", wizard)
	requireColour(t, "the wizard without NO_COLOR", term.screenEscapes())
	term.keys("q")
	term.waitFor("the wizard's exit", func(s string) bool { return strings.Contains(s, "EXIT=0") })
}

// statusShown holds once `status` has printed its report and exited.
func statusShown(s string) bool {
	return strings.Contains(s, "EXIT=0") && strings.Contains(s, "diagnosis-classifier") && strings.Contains(s, "Iterate")
}

// screenEscapes is the pane with its attributes as SGR escapes (-e).
func (tt *tmuxTerm) screenEscapes() string {
	return tt.tmux("capture-pane", "-p", "-e", "-J", "-t", "e2e")
}

func requireNoColour(t *testing.T, what, screen string) {
	t.Helper()
	if codes := colourCodes(screen); len(codes) > 0 {
		t.Fatalf("%s: the screen has colour codes %q; it should only have attributes like bold:\n%q", what, codes, screen)
	}
	if !strings.Contains(screen, "diagnosis-classifier") {
		t.Fatalf("%s: the screen lost its text:\n%s", what, screen)
	}
}

func requireColour(t *testing.T, what, screen string) {
	t.Helper()
	if len(colourCodes(screen)) == 0 {
		t.Fatalf("%s: no colour codes on screen, so the NO_COLOR check would prove nothing:\n%q", what, screen)
	}
}

var sgr = regexp.MustCompile(`\x1b\[([0-9;:]*)m`)

// colourCodes lists the SGR parameters in s that set a colour: 30–37,
// 90–97 and 38;… (foreground), 40–47, 100–107 and 48;… (background), 58;…
// (underline colour). Attributes (bold, dim, underline, reverse) and
// resets (0, 39, 49) are not colour and are left out.
func colourCodes(s string) []string {
	var codes []string
	for _, m := range sgr.FindAllStringSubmatch(s, -1) {
		params := strings.Split(m[1], ";")
		for i := 0; i < len(params); i++ {
			p := params[i]
			if head, _, sub := strings.Cut(p, ":"); sub { // 38:2::r:g:b
				p = head
			}
			n, err := strconv.Atoi(p)
			if err != nil {
				continue // "" is 0, a reset
			}
			switch {
			case n == 38 || n == 48 || n == 58:
				codes = append(codes, strings.Join(params[i:], ";"))
				i = len(params) // the rest is the colour's own arguments
			case n >= 30 && n <= 37, n >= 40 && n <= 47, n >= 90 && n <= 97, n >= 100 && n <= 107:
				codes = append(codes, p)
			}
		}
	}
	return codes
}

// TestColourCodes pins what the NO_COLOR check counts as colour: every
// way a terminal is told a colour, and none of the attributes NO_COLOR
// leaves alone.
func TestColourCodes(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][]string{
		"\x1b[1mbold\x1b[0m \x1b[2;4;7mdim\x1b[m \x1b[39;49m\x1b[22m": nil,
		"\x1b[31mred":                      {"31"},
		"\x1b[1;97mbright":                 {"97"},
		"\x1b[44mblue bg":                  {"44"},
		"\x1b[103mbright bg":               {"103"},
		"\x1b[38;5;204mindexed":            {"38;5;204"},
		"\x1b[1;48;2;1;2;3mrgb bg":         {"48;2;1;2;3"},
		"\x1b[38:2::1:2:3mcolon rgb":       {"38:2::1:2:3"},
		"\x1b[58;5;1munderline colour":     {"58;5;1"},
		"plain text with 38;5;1 in it [31": nil,
	} {
		if got := colourCodes(in); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("colourCodes(%q) = %q, want %q", in, got, want)
		}
	}
}
