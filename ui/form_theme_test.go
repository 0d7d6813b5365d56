package ui

import (
	"fmt"
	"image/color"
	"math"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// downsampled is s as a 256-colour terminal receives it.
func downsampled(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.ANSI256}
	_, err := w.WriteString(s)
	require.NoError(t, err)
	return b.String()
}

// sgrBefore is the parameters of the last SGR sequence before text on its
// line in a frame ("" when there is none).
func sgrBefore(t *testing.T, frame, text string) string {
	t.Helper()
	for _, line := range strings.Split(frame, "\n") {
		i := strings.Index(line, text)
		if i < 0 {
			continue
		}
		ms := regexp.MustCompile(`\x1b\[([0-9;:]*)m`).FindAllStringSubmatch(line[:i], -1)
		if len(ms) == 0 {
			return ""
		}
		return ms[len(ms)-1][1]
	}
	t.Fatalf("no %q in the frame:\n%s", text, ansi.Strip(frame))
	return ""
}

// fg256 is the SGR foreground a 256-colour terminal gets for c.
func fg256(c color.Color) string {
	switch x := colorprofile.ANSI256.Convert(c).(type) {
	case ansi.IndexedColor:
		return fmt.Sprintf("38;5;%d", int(x))
	case ansi.BasicColor:
		if x < 8 {
			return fmt.Sprintf("%d", 30+int(x))
		}
		return fmt.Sprintf("%d", 90+int(x)-8)
	}
	return fmt.Sprintf("unexpected %T", c)
}

// TestFormTextUsesTheAppsReadableColours: huh v2.0.3's Charm theme draws
// options in colour 235 on a dark background and 252 on a light one
// (its light and dark values are swapped) and placeholders in 238 or 248,
// faint too: near invisible. On both backgrounds, at 256 colours, the
// unselected option is the app's body colour and a placeholder its muted
// colour, not faint, the blurred input's too, and a blurred answer body
// text.
func TestFormTextUsesTheAppsReadableColours(t *testing.T) {
	t.Parallel()
	for name, bg := range map[string]color.Color{"dark": darkGrey{}, "light": lightGrey{}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := formDriver(t, &createRecorder{})
			d.send(tea.BackgroundColorMsg{Color: bg})
			require.Equal(t, name == "dark", d.m.st.IsDark)
			frame := downsampled(t, d.m.View().Content)
			requireNoUnreadable(t, frame)
			assert.Equal(t, fg256(d.m.st.Body.GetForeground()), sgrBefore(t, frame, "A Deriva server"),
				"the unselected option is body text")

			// A server: the host field (focused; its first character is
			// under the cursor) and the catalog id (blurred, which huh
			// leaves in bubbles' default colours).
			d.send(keyRune('j'), keyEnter)
			frame = downsampled(t, d.m.View().Content)
			muted := fg256(d.m.st.Muted.GetForeground())
			for _, placeholder := range []string{".g. deriva.example.org", ".g. 1"} {
				sgr := sgrBefore(t, frame, placeholder)
				assert.Equal(t, muted, sgr, "the placeholder %q is muted text, not faint as well", placeholder)
			}
			requireNoUnreadable(t, frame)

			d.typeText("deriva.example.org")
			d.send(keyEnter) // to the catalog id: the host is blurred now
			frame = downsampled(t, d.m.View().Content)
			assert.Equal(t, fg256(d.m.st.Body.GetForeground()), sgrBefore(t, frame, "deriva.example.org"),
				"a blurred answer is body text")
			requireNoUnreadable(t, frame)
		})
	}
}

// requireNoUnreadable fails when a 256-colour frame of the form uses one of
// the colours huh and bubbles draw its text in unreadably: 235 and 252
// (huh's swapped option colour), 238 and 248 (its placeholders), 240 and 7
// (bubbles' blurred text input).
func requireNoUnreadable(t *testing.T, frame string) {
	t.Helper()
	for _, bad := range []string{"38;5;235m", "38;5;252m", "38;5;238m", "38;5;248m", "38;5;240m", "[37m", ";37m"} {
		require.NotContains(t, frame, bad)
	}
}

// TestFormThemeTextIsReadable: every text colour the form's theme draws
// with reads against a black or a white background at WCAG AA (4.5:1), for
// the styles built for that background.
func TestFormThemeTextIsReadable(t *testing.T) {
	t.Parallel()
	for _, dark := range []bool{true, false} {
		st := NewStyles(dark)
		th := formTheme(&st)
		bg := color.Color(color.White)
		if dark {
			bg = color.Black
		}
		for state, f := range map[string]huh.FieldStyles{"focused": th.Focused, "blurred": th.Blurred} {
			for name, s := range map[string]lipgloss.Style{
				"title": f.Title, "description": f.Description, "option": f.Option,
				"unselected option": f.UnselectedOption, "selected option": f.SelectedOption,
				"selector": f.SelectSelector, "placeholder": f.TextInput.Placeholder,
				"prompt": f.TextInput.Prompt, "text": f.TextInput.Text, "error": f.ErrorMessage,
			} {
				c := contrast(s.GetForeground(), bg)
				assert.GreaterOrEqualf(t, c, 4.5, "dark=%v %s %s: contrast %.1f:1", dark, state, name, c)
				assert.Falsef(t, s.GetFaint(), "dark=%v %s %s is not faint", dark, state, name)
			}
		}
	}
}

// contrast is the WCAG contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is a colour's WCAG relative luminance.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}
