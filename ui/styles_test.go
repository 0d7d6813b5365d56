package ui

import (
	"image/color"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/stretchr/testify/assert"
)

// The help bar's keys, descriptions and separators read at WCAG AA
// (4.5:1) on the background their styles were built for; bubbles' own
// defaults are about 2:1.
func TestHelpBarIsReadable(t *testing.T) {
	t.Parallel()
	for _, dark := range []bool{true, false} {
		st := NewStyles(dark)
		bg := color.Color(color.White)
		if dark {
			bg = color.Black
		}
		h := st.Help
		for name, s := range map[string]lipgloss.Style{
			"short key": h.ShortKey, "short description": h.ShortDesc, "short separator": h.ShortSeparator,
			"full key": h.FullKey, "full description": h.FullDesc, "full separator": h.FullSeparator,
			"ellipsis": h.Ellipsis,
		} {
			c := contrast(s.GetForeground(), bg)
			assert.GreaterOrEqualf(t, c, 4.5, "dark=%v %s: contrast %.1f:1", dark, name, c)
		}
		assert.Equal(t, h, formTheme(&st).Help, "dark=%v: the form's help bar is the app's", dark)
	}
}
