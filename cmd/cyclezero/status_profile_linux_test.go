package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/steps"
)

func init() { ptyHelpers["styled-status"] = styledStatus }

// styledStatus, in the child: the styled status report of a session with a
// phase in every status, written to stdout, the terminal.
func styledStatus(t *testing.T) {
	all := []steps.Status{steps.NotStarted, steps.InProgress, steps.Done, steps.Stale, steps.Blocked}
	var states []steps.PhaseState
	for i, p := range steps.Phases {
		st := steps.NotStarted
		if i < len(all) {
			st = all[i]
		}
		states = append(states, steps.PhaseState{Phase: p, Status: st, Reason: st.String()})
	}
	rep := statusReport{Slug: "demo", Repo: "/work/demo", Summary: "Some phases are stale.", Next: "Resume."}
	require.NoError(t, writeStyledStatus(os.Stdout, rep, states, "cyclezero status --plain"))
}

// styledStatusOnXterm is what the styled status report draws on a
// 16-colour terminal (TERM=xterm, no COLORTERM) whose background is bg
// (an X11 rgb: spec), the terminal played by the test.
func styledStatusOnXterm(t *testing.T, bg string) string {
	t.Helper()
	master, slave, tty := openPTYFile(t)

	var stderr bytes.Buffer
	cmd := ptyChild(t, tty, "styled-status", "PATH="+os.Getenv("PATH"), "TERM=xterm")
	cmd.Stdout, cmd.Stderr = tty, &stderr
	asked := playTerminal(master, "\x1b]11;"+bg+"\x1b\\\x1b[?62c", nil)
	require.NoError(t, cmd.Start())
	query := <-asked
	const marker = "END-OF-TEST"
	drawn := readUntil(master, marker)
	require.NoError(t, cmd.Wait(), "the child:\n%s", &stderr)
	require.Equal(t, termbgQuery, string(query), "the background asked for first")
	require.NoError(t, writeFull(slave, marker))
	return strings.TrimSuffix(string(<-drawn), marker)
}

// sgrBefore is the SGR parameters set just before glyph in screen, "" when
// there are none.
func sgrBefore(screen, glyph string) string {
	m := regexp.MustCompile(`\x1b\[([0-9;]*)m` + regexp.QuoteMeta(glyph)).FindStringSubmatch(screen)
	if m == nil {
		return ""
	}
	return m[1]
}

// On a 16-colour terminal the styled status report is drawn in the colours
// picked for 16 by hand (colorprofile.Detect's profile), not true colour
// downsampled: that maps amber to red, so stale would look blocked, and on
// a light background yellow text would be unreadable (black on yellow).
func TestStyledStatusOn16Colours(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, bg                   string
		stale, blocked, inProgress string
	}{
		{"dark", "rgb:0000/0000/0000", "93", "91", "94"},
		{"light", "rgb:ffff/ffff/ffff", "30;43", "31", "34"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			screen := styledStatusOnXterm(t, tc.bg)
			require.Contains(t, screen, "Some phases are stale.", "the report was drawn")
			assert.Equal(t, tc.stale, sgrBefore(screen, "↻"), "stale glyph:\n%q", screen)
			assert.Equal(t, tc.blocked, sgrBefore(screen, "✗"), "blocked glyph:\n%q", screen)
			assert.Equal(t, tc.inProgress, sgrBefore(screen, "◐"), "in-progress glyph:\n%q", screen)
			for _, code := range colourCodes(screen) {
				assert.False(t, strings.HasPrefix(code, "38") || strings.HasPrefix(code, "48"),
					"only the 16 basic colours, not %q", code)
			}
		})
	}
}
