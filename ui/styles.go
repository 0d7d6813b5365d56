package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/cyclezero/cyclezero/steps"
)

// Styles holds every style the UI renders with, built once per background
// (light or dark) and colour profile so views never call lipgloss.NewStyle
// themselves. Colour is never the only carrier of meaning: status glyphs
// differ in shape, the selected row has a marker, and the focused box has
// a heavier border.
type Styles struct {
	IsDark bool
	// Profile is the colour profile the colours were chosen for.
	Profile colorprofile.Profile

	// Header line.
	Brand, HeaderText, HeaderMuted, Badge lipgloss.Style
	// Boxes: the rail and the pane, focused (thick border) or not.
	Box, BoxFocused lipgloss.Style
	// Rail rows.
	RailTitle, RailItem, RailSelected, RailSelectedFocused lipgloss.Style
	// Status glyph colour per status.
	Status map[steps.Status]lipgloss.Style
	// Text in the pane and forms.
	Title, Heading, Body, Muted, Error, Cursor lipgloss.Style
	// Help bar.
	Help help.Styles
}

// tone is one colour of the palette on one background, per colour
// profile: ansi for 16-colour terminals (picked by hand: converting the hex
// maps amber to red and muted grey to the accent's blue), ansi256 when the
// hex's nearest 256-colour entry would not do (nil: that entry), hex else.
type tone struct {
	ansi, ansi256 color.Color
	hex           string
}

// pick is t's colour for profile p. Profiles without colour (ASCII, NoTTY,
// Unknown) get the hex: the renderer strips it, and the Styles keep real
// colours for whoever reads them (the form theme, contrast checks).
func (t tone) pick(p colorprofile.Profile) color.Color {
	hex := lipgloss.Color(t.hex)
	a256 := t.ansi256
	if a256 == nil {
		a256 = colorprofile.ANSI256.Convert(hex)
	}
	switch p {
	case colorprofile.ANSI, colorprofile.ANSI256:
		return lipgloss.Complete(p)(t.ansi, a256, hex)
	}
	return hex
}

// palette is the app's colours on one background.
type palette struct {
	accent, muted, text, subtle, green, amber, red, blue tone
}

// Under ANSI the five statuses, the accent, muted text and text are
// pairwise distinct (errors share the blocked red); no colour is ANSI 7,
// which the form's blurred-input rewriter takes for bubbles' own default.
var (
	darkPalette = palette{
		accent: tone{ansi: lipgloss.BrightMagenta, hex: "#A493FF"},
		muted:  tone{ansi: lipgloss.BrightBlack, hex: "#8E8E93"},
		text:   tone{ansi: lipgloss.BrightWhite, hex: "#E6E6EA"},
		subtle: tone{ansi: lipgloss.BrightBlack, hex: "#4A4A55"},
		green:  tone{ansi: lipgloss.BrightGreen, hex: "#3FB950"},
		amber:  tone{ansi: lipgloss.BrightYellow, hex: "#D29922"},
		red:    tone{ansi: lipgloss.BrightRed, hex: "#F85149"},
		blue:   tone{ansi: lipgloss.BrightBlue, hex: "#58A6FF"},
	}
	lightPalette = palette{
		accent: tone{ansi: lipgloss.Magenta, hex: "#5A3FC0"},
		// #6E6E73's nearest 256 entry, 60, is the accent's slate blue.
		muted:  tone{ansi: lipgloss.BrightBlack, ansi256: lipgloss.Color("242"), hex: "#6E6E73"},
		text:   tone{ansi: lipgloss.Black, hex: "#1F1F24"},
		subtle: tone{ansi: lipgloss.BrightBlack, hex: "#B8B8C0"}, // bright white would vanish
		green:  tone{ansi: lipgloss.Green, hex: "#1A7F37"},
		amber:  tone{ansi: lipgloss.Yellow, hex: "#9A6700"},
		red:    tone{ansi: lipgloss.Red, hex: "#CF222E"},
		blue:   tone{ansi: lipgloss.Blue, hex: "#0969DA"},
	}
)

// NewStyles builds the styles for a dark or light terminal background in
// true colour, which the renderer downsamples; a program that knows the
// terminal's colour profile uses NewStylesFor.
func NewStyles(isDark bool) Styles { return NewStylesFor(isDark, colorprofile.TrueColor) }

// NewStylesFor builds the styles for a dark or light background and the
// terminal's colour profile (tea.ColorProfileMsg, or colorprofile.Detect
// for one-shot output). On a 16-colour terminal the colours are chosen per
// profile, since converting the hex ones makes statuses collide.
func NewStylesFor(isDark bool, p colorprofile.Profile) Styles {
	pal := lightPalette
	if isDark {
		pal = darkPalette
	}
	accent, muted, text, subtle := pal.accent.pick(p), pal.muted.pick(p), pal.text.pick(p), pal.subtle.pick(p)
	green, amber, red, blue := pal.green.pick(p), pal.amber.pick(p), pal.red.pick(p), pal.blue.pick(p)

	// warn draws a warning (stale, read-only) in amber. On a light
	// 16-colour terminal that is yellow, about 1.6:1 on white (1.1:1 when
	// bold turns it bright) and no other basic colour is left that reads
	// there, so a warning is black on yellow instead.
	warn := func(st lipgloss.Style) lipgloss.Style {
		if p == colorprofile.ANSI && !isDark {
			return st.Foreground(lipgloss.Black).Background(lipgloss.Yellow)
		}
		return st.Foreground(amber)
	}

	s := Styles{IsDark: isDark, Profile: p}
	s.Brand = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.HeaderText = lipgloss.NewStyle().Foreground(text)
	s.HeaderMuted = lipgloss.NewStyle().Foreground(muted)
	s.Badge = warn(lipgloss.NewStyle().Bold(true))

	s.Box = lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(subtle).Padding(0, 1)
	s.BoxFocused = lipgloss.NewStyle().Border(lipgloss.ThickBorder()).BorderForeground(accent).Padding(0, 1)

	s.RailTitle = lipgloss.NewStyle().Bold(true).Foreground(muted)
	s.RailItem = lipgloss.NewStyle().Foreground(text)
	s.RailSelected = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.RailSelectedFocused = lipgloss.NewStyle().Bold(true).Reverse(true).Foreground(accent)

	s.Status = map[steps.Status]lipgloss.Style{
		steps.NotStarted: lipgloss.NewStyle().Foreground(muted),
		steps.InProgress: lipgloss.NewStyle().Foreground(blue),
		steps.Done:       lipgloss.NewStyle().Foreground(green),
		steps.Stale:      warn(lipgloss.NewStyle()),
		steps.Blocked:    lipgloss.NewStyle().Foreground(red),
	}

	s.Title = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.Heading = lipgloss.NewStyle().Bold(true).Foreground(text)
	s.Body = lipgloss.NewStyle().Foreground(text)
	s.Muted = lipgloss.NewStyle().Foreground(muted)
	s.Error = lipgloss.NewStyle().Foreground(red)
	s.Cursor = lipgloss.NewStyle().Bold(true).Foreground(accent)

	// bubbles' default help colours are about 2:1 against the background
	// on either (its descriptions #4A4A4A on dark, #B2B2B2 on light): the
	// help bar uses the app's text and muted colours instead.
	key := lipgloss.NewStyle().Foreground(text)
	desc := lipgloss.NewStyle().Foreground(muted)
	sep := desc
	s.Help = help.Styles{
		ShortKey: key, ShortDesc: desc, ShortSeparator: sep, Ellipsis: sep,
		FullKey: key, FullDesc: desc, FullSeparator: sep,
	}
	return s
}

// statusStyle is the glyph style for st, plain when unknown.
func (s Styles) statusStyle(st steps.Status) lipgloss.Style {
	if x, ok := s.Status[st]; ok {
		return x
	}
	return lipgloss.NewStyle()
}

// Glyph returns the rail glyph for a status. The glyphs differ in shape so
// the rail reads without colour: ○ not started, ◐ in progress, ✓ done,
// ↻ stale, ✗ blocked.
func Glyph(st steps.Status) string {
	switch st {
	case steps.InProgress:
		return "◐"
	case steps.Done:
		return "✓"
	case steps.Stale:
		return "↻"
	case steps.Blocked:
		return "✗"
	}
	return "○"
}
