package ui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// formTheme is huh's Charm theme with the app's own colours (st, built
// for the background the root learned) for the text it would draw
// unreadably. huh v2.0.3 swaps the light and dark values of the colour its
// options and blurred button use (ANSI 235 on a dark background, 252 on a
// light one: about 1.2:1), draws placeholders in 238 (248 on light), its
// selected option and selector in greens and pinks too pale for a light
// background, and the focused field's bar in 238. Placeholders are Muted,
// as every secondary text of the app is, not faint as well: faint on a grey
// is too dim to read, and "e.g. " marks them as examples without colour.
func formTheme(st *Styles) *huh.Styles {
	t := huh.ThemeCharm(st.IsDark)
	text, muted := st.Body.GetForeground(), st.Muted.GetForeground()
	accent, subtle := st.Cursor.GetForeground(), st.Box.GetBorderTopForeground()
	t.Focused.Base = t.Focused.Base.BorderForeground(accent)
	t.Focused.Card = t.Focused.Base
	t.Blurred.Base = t.Blurred.Base.BorderForeground(accent) // hidden, but kept alike
	t.Blurred.Card = t.Blurred.Base
	for _, fs := range []*huh.FieldStyles{&t.Focused, &t.Blurred} {
		fs.Title = fs.Title.Foreground(accent)
		fs.Description = fs.Description.Foreground(muted)
		fs.Option = fs.Option.Foreground(text)
		fs.UnselectedOption = fs.UnselectedOption.Foreground(text)
		fs.SelectedOption = fs.SelectedOption.Foreground(accent).Bold(true)
		fs.SelectSelector = fs.SelectSelector.Foreground(accent)
		fs.NextIndicator = fs.NextIndicator.Foreground(accent)
		fs.PrevIndicator = fs.PrevIndicator.Foreground(accent)
		fs.ErrorIndicator = fs.ErrorIndicator.Foreground(st.Error.GetForeground())
		fs.ErrorMessage = fs.ErrorMessage.Foreground(st.Error.GetForeground())
		fs.BlurredButton = fs.BlurredButton.Foreground(text).Background(subtle)
		fs.TextInput.Text = fs.TextInput.Text.Foreground(text)
		fs.TextInput.Prompt = fs.TextInput.Prompt.Foreground(accent)
		fs.TextInput.Cursor = fs.TextInput.Cursor.Foreground(accent)
		fs.TextInput.Placeholder = fs.TextInput.Placeholder.Foreground(muted).Faint(false)
	}
	t.Help = st.Help
	t.Group.Title = t.Focused.Title
	t.Group.Description = t.Focused.Description
	return t
}

// themeCache holds the form's huh theme and blurred-input rewriter for one
// background and colour profile: huh asks for the theme several times a
// frame and each build costs tens of allocations, so they are rebuilt only
// when the background or profile the root learned changes (it replaces
// the shared Styles in place).
type themeCache struct {
	built   bool
	isDark  bool
	profile colorprofile.Profile
	theme   *huh.Styles
	blurred *strings.Replacer
}

// get is the theme and rewriter for st, rebuilt when st's background or
// profile differs from the one they were built for.
func (c *themeCache) get(st *Styles) (*huh.Styles, *strings.Replacer) {
	if !c.built || c.isDark != st.IsDark || c.profile != st.Profile {
		c.built, c.isDark, c.profile = true, st.IsDark, st.Profile
		c.theme, c.blurred = formTheme(st), blurredInputStyles(st)
	}
	return c.theme, c.blurred
}

// theme is the form's huh theme for the current background.
func (f *newForm) theme() *huh.Styles {
	t, _ := f.themes.get(f.st)
	return t
}

// blurredInputs is the form's blurred-input rewriter for the current
// background.
func (f *newForm) blurredInputs() *strings.Replacer {
	_, r := f.themes.get(f.st)
	return r
}

// blurredInputStyles rewrites the colours of huh's blurred text inputs in
// a rendered form to st's. huh styles only a focused input (its View sets
// the textinput's Focused styles from the theme); a blurred one keeps
// bubbles' dark defaults, which textinput.New starts with: placeholder 240
// (2.9:1 on black) and text and prompt 7 (1.8:1 on white). Those escapes
// are found by rendering the same defaults, and never clash with ours:
// Styles' colours are hex colours (38;2;r;g;b) or, on 16 colours, picked
// by hand and never ANSI 7 (see NewStylesFor).
func blurredInputStyles(st *Styles) *strings.Replacer {
	d := textinput.DefaultDarkStyles().Blurred
	var pairs []string
	seen := map[string]bool{}
	for _, p := range []struct{ from, to lipgloss.Style }{
		{d.Placeholder, st.Muted}, {d.Text, st.Body}, {d.Prompt, st.Body},
	} {
		if from := sgrOf(p.from); from != "" && !seen[from] {
			seen[from] = true
			pairs = append(pairs, from, sgrOf(p.to))
		}
	}
	return strings.NewReplacer(pairs...)
}

// sgrOf is the escape sequence s opens a rendered text with ("" when it
// adds none).
func sgrOf(s lipgloss.Style) string {
	before, _, _ := strings.Cut(s.Render("x"), "x")
	return before
}
