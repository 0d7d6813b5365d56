package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/steps"
)

// fgSGR is the SGR parameters a terminal of profile p receives for s's
// foreground colour, and its background when it has one (bold and the
// like left out).
func fgSGR(t *testing.T, s lipgloss.Style, p colorprofile.Profile) string {
	t.Helper()
	var b strings.Builder
	w := &colorprofile.Writer{Forward: &b, Profile: p}
	c := lipgloss.NewStyle().Foreground(s.GetForeground())
	if _, none := s.GetBackground().(lipgloss.NoColor); !none {
		c = c.Background(s.GetBackground())
	}
	_, err := w.WriteString(c.Render("x"))
	require.NoError(t, err)
	before, _, ok := strings.Cut(b.String(), "x")
	require.True(t, ok)
	return strings.TrimSuffix(strings.TrimPrefix(before, "\x1b["), "m")
}

// meaningColours are the colours that carry meaning, by name, as a
// terminal of profile p receives them.
func meaningColours(t *testing.T, st Styles, p colorprofile.Profile) map[string]string {
	t.Helper()
	out := map[string]string{
		"accent": fgSGR(t, st.Cursor, p), "muted": fgSGR(t, st.Muted, p), "text": fgSGR(t, st.Body, p),
		"error": fgSGR(t, st.Error, p), "badge": fgSGR(t, st.Badge, p), "brand": fgSGR(t, st.Brand, p),
	}
	for _, s := range []steps.Status{steps.NotStarted, steps.InProgress, steps.Done, steps.Stale, steps.Blocked} {
		out[Glyph(s)] = fgSGR(t, st.statusStyle(s), p)
	}
	return out
}

// sameOnPurpose are the pairs that share a colour by design: "not
// started" is muted, "blocked" is an error, the read-only badge is the
// stale amber (a warning), and the brand is the accent.
var sameOnPurpose = map[[2]string]bool{
	{"muted", "○"}: true, {"error", "✗"}: true, {"badge", "↻"}: true, {"accent", "brand"}: true,
}

// TestPaletteColoursAreDistinctPerProfile: on every colour profile and
// both backgrounds, the five status glyphs, the accent, muted text, body
// text, errors and the read-only badge reach the terminal as pairwise
// different colours, except where they mean the same. On 16 colours
// (TERM=xterm, PuTTY) converting the hex palette made stale, blocked and
// the badge one red, and the accent, "in progress" and muted one blue.
func TestPaletteColoursAreDistinctPerProfile(t *testing.T) {
	t.Parallel()
	for _, p := range []colorprofile.Profile{colorprofile.ANSI, colorprofile.ANSI256, colorprofile.TrueColor} {
		for _, dark := range []bool{true, false} {
			t.Run(fmt.Sprintf("%v/dark=%v", p, dark), func(t *testing.T) {
				t.Parallel()
				st := NewStylesFor(dark, p)
				require.Equal(t, p, st.Profile)
				got := meaningColours(t, st, p)
				for a, ca := range got {
					require.NotEmptyf(t, ca, "%s has no colour", a)
					for b, cb := range got {
						if a >= b {
							continue
						}
						if sameOnPurpose[[2]string{a, b}] || sameOnPurpose[[2]string{b, a}] {
							assert.Equalf(t, ca, cb, "%s and %s share a colour by design", a, b)
							continue
						}
						assert.NotEqualf(t, ca, cb, "%s and %s are both %q", a, b, ca)
					}
				}
			})
		}
	}
}

// TestANSIPaletteIsPickedNotConverted: on 16 colours the styles hold the
// basic colours chosen for them (amber is yellow, not the red the hex
// converts to), and none is ANSI 7, which the form's blurred-input
// rewriter takes for bubbles' own default text colour.
func TestANSIPaletteIsPickedNotConverted(t *testing.T) {
	t.Parallel()
	want := map[bool]map[string]string{
		true: {"↻": "93", "✗": "91", "◐": "94", "✓": "92", "○": "90", "accent": "95", "text": "97"},
		// Yellow text is unreadable on white: a warning is black on yellow.
		false: {"↻": "30;43", "badge": "30;43", "✗": "31", "◐": "34", "✓": "32", "○": "90", "accent": "35", "text": "30"},
	}
	for dark, w := range want {
		st := NewStylesFor(dark, colorprofile.ANSI)
		got := meaningColours(t, st, colorprofile.ANSI)
		for name, code := range w {
			assert.Equalf(t, code, got[name], "dark=%v %s", dark, name)
		}
		for name, code := range got {
			assert.NotEqualf(t, "37", code, "dark=%v %s", dark, name)
		}
		assert.Equal(t, "90", fgSGR(t, lipgloss.NewStyle().Foreground(st.Box.GetBorderTopForeground()), colorprofile.ANSI),
			"dark=%v: box borders show on either background", dark)
	}
}

// On a light 256-colour terminal muted text is a grey (242), not the hex's
// nearest entry, 60, a slate blue beside the accent's 61.
func TestLight256MutedIsGrey(t *testing.T) {
	t.Parallel()
	st := NewStylesFor(false, colorprofile.ANSI256)
	assert.Equal(t, "38;5;242", fgSGR(t, st.Muted, colorprofile.ANSI256))
	assert.Equal(t, "38;5;61", fgSGR(t, st.Cursor, colorprofile.ANSI256))
}

// TestStylesWithoutColourProfileKeepTrueColours: NewStyles is the true
// colour palette, and profiles without colour keep it too (the renderer
// strips it), so Styles always hold real colours for the form theme and
// contrast checks, and the ASCII goldens do not change.
func TestStylesWithoutColourProfileKeepTrueColours(t *testing.T) {
	t.Parallel()
	for _, dark := range []bool{true, false} {
		want := NewStyles(dark)
		assert.Equal(t, colorprofile.TrueColor, want.Profile)
		for _, p := range []colorprofile.Profile{colorprofile.Unknown, colorprofile.NoTTY, colorprofile.ASCII, colorprofile.TrueColor} {
			st := NewStylesFor(dark, p)
			for _, s := range []steps.Status{steps.NotStarted, steps.InProgress, steps.Done, steps.Stale, steps.Blocked} {
				assert.Equalf(t, want.Status[s].GetForeground(), st.Status[s].GetForeground(), "dark=%v %v %s", dark, p, Glyph(s))
			}
			assert.Equal(t, want.Cursor.GetForeground(), st.Cursor.GetForeground())
			assert.Equal(t, want.Muted.GetForeground(), st.Muted.GetForeground())
		}
	}
}

// TestColourProfileMsgRebuildsStyles: the root model picks the palette for
// the profile bubbletea reports, keeps it when the background answer comes
// later, and its help bar follows.
func TestColourProfileMsgRebuildsStyles(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{})
	require.True(t, m.st.IsDark)
	m, _ = update(t, m, tea.ColorProfileMsg{Profile: colorprofile.ANSI})
	assert.Equal(t, colorprofile.ANSI, m.st.Profile)
	assert.Equal(t, lipgloss.BrightYellow, m.st.Status[steps.Stale].GetForeground())
	assert.Equal(t, lipgloss.BrightBlack, m.help.Styles.ShortDesc.GetForeground(), "the help bar follows")

	m, _ = update(t, m, tea.BackgroundColorMsg{Color: lightGrey{}})
	assert.False(t, m.st.IsDark)
	assert.Equal(t, colorprofile.ANSI, m.st.Profile, "the profile outlives a background change")
	assert.Equal(t, lipgloss.Yellow, m.st.Status[steps.Stale].GetBackground(), "black on yellow: yellow text is unreadable on white")

	var b strings.Builder
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.ANSI}
	_, err := w.WriteString(m.View().Content)
	require.NoError(t, err)
	assert.Equal(t, "30;43", sgrBefore(t, b.String(), "↻"), "the stale glyph is black on yellow on the screen")
	assert.Equal(t, "31", sgrBefore(t, b.String(), "✗"), "the blocked glyph is red")
}

// TestWatchColourProfileMsgRebuildsStyles: the dashboard does the same.
func TestWatchColourProfileMsgRebuildsStyles(t *testing.T) {
	t.Parallel()
	m := NewWatch(WatchOptions{Env: []string{"COLORFGBG=15;0"}})
	require.True(t, m.st.IsDark)
	m, _ = update(t, m, tea.ColorProfileMsg{Profile: colorprofile.ANSI})
	assert.Equal(t, colorprofile.ANSI, m.st.Profile)
	assert.Equal(t, lipgloss.BrightMagenta, m.st.Cursor.GetForeground())
	m, _ = update(t, m, tea.BackgroundColorMsg{Color: lightGrey{}})
	assert.Equal(t, colorprofile.ANSI, m.st.Profile)
	assert.Equal(t, lipgloss.Red, m.st.Error.GetForeground())
}

// TestFormThemeFollowsColourProfile: the form caches its huh theme per
// background; a profile learned after it was drawn still reaches it.
func TestFormThemeFollowsColourProfile(t *testing.T) {
	t.Parallel()
	d := formDriver(t, &createRecorder{})
	require.True(t, d.m.st.IsDark)
	_ = d.m.View() // builds the form's theme for true colour
	d.send(tea.ColorProfileMsg{Profile: colorprofile.ANSI})
	var b strings.Builder
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.ANSI}
	_, err := w.WriteString(d.m.View().Content)
	require.NoError(t, err)
	frame := b.String()
	assert.Equal(t, "1;95", sgrBefore(t, frame, "Where is the catalog?"), "the field title is the ANSI accent")
	assert.Equal(t, "90", sgrBefore(t, frame, "credentials."), "its description is the ANSI muted grey")
	assert.Equal(t, "97", sgrBefore(t, frame, "A Deriva server"), "options are the ANSI body colour")
}
