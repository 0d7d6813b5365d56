package ui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"

	"github.com/cyclezero/cyclezero/steps"
)

// Styles holds every style the UI renders with, built once per background
// (light or dark) so views never call lipgloss.NewStyle themselves. Colour
// is never the only carrier of meaning: status glyphs differ in shape, the
// selected row has a marker, and the focused box has a heavier border.
type Styles struct {
	IsDark bool

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

// NewStyles builds the styles for a dark or light terminal background.
func NewStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	c := func(light, dark string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(dark)) }
	accent := c("#5A3FC0", "#A493FF")
	muted := c("#6E6E73", "#8E8E93")
	text := c("#1F1F24", "#E6E6EA")
	subtle := c("#B8B8C0", "#4A4A55")
	green := c("#1A7F37", "#3FB950")
	amber := c("#9A6700", "#D29922")
	red := c("#CF222E", "#F85149")
	blue := c("#0969DA", "#58A6FF")

	s := Styles{IsDark: isDark}
	s.Brand = lipgloss.NewStyle().Bold(true).Foreground(accent)
	s.HeaderText = lipgloss.NewStyle().Foreground(text)
	s.HeaderMuted = lipgloss.NewStyle().Foreground(muted)
	s.Badge = lipgloss.NewStyle().Bold(true).Foreground(amber)

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
		steps.Stale:      lipgloss.NewStyle().Foreground(amber),
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
