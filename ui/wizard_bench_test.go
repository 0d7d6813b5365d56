package ui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
)

// BenchmarkWizardKey measures what one key press costs the wizard at 80×24
// with the pane focused: Update (which lays the screen out again) and the
// frame bubbletea then draws.
func BenchmarkWizardKey(b *testing.B) {
	m := New(Options{Session: fixtureSession(), Now: nowFn})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	next, _ = next.Update(tea.KeyPressMsg{Code: tea.KeyTab})
	keys := []tea.KeyPressMsg{keyRune('j'), keyRune('k')}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		next, _ = next.Update(keys[i%2])
		_ = next.View()
		i++
	}
}
