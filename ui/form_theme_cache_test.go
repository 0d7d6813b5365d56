package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFormThemeFollowsBackgroundChange: the form caches its huh theme per
// background, and the root replaces the shared Styles in place when it
// learns the background, so a form drawn on a light background and then
// told the background is dark draws its options in the dark body colour.
func TestFormThemeFollowsBackgroundChange(t *testing.T) {
	t.Parallel()
	d := formDriver(t, &createRecorder{})
	d.send(tea.BackgroundColorMsg{Color: lightGrey{}})
	require.False(t, d.m.st.IsDark)
	light := fg256(d.m.st.Body.GetForeground())
	assert.Equal(t, light, sgrBefore(t, downsampled(t, d.m.View().Content), "A Deriva server"))

	d.send(tea.BackgroundColorMsg{Color: darkGrey{}})
	require.True(t, d.m.st.IsDark)
	dark := fg256(d.m.st.Body.GetForeground())
	require.NotEqual(t, light, dark, "the two backgrounds' body colours differ")
	frame := downsampled(t, d.m.View().Content)
	assert.Equal(t, dark, sgrBefore(t, frame, "A Deriva server"), "the option follows the new background")
	requireNoUnreadable(t, frame)
}

// BenchmarkFormView measures drawing the new-session form, whose huh theme
// is built once per background rather than on every frame.
func BenchmarkFormView(b *testing.B) {
	st, km := NewStyles(true), DefaultKeyMap()
	f := newNewForm(&st, &km, formConfig{place: Options{}.place()})
	f.SetSize(80, 24)
	b.ReportAllocs()
	for b.Loop() {
		_ = f.View()
	}
}
