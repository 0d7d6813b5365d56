package ui

import (
	"image/color"
	"testing"

	"github.com/stretchr/testify/assert"
)

// answer is a BackgroundQuery that gives c (ok false when c is nil) and
// counts its calls.
func answer(c color.Color, calls *int) BackgroundQuery {
	return func() (color.Color, bool) {
		*calls++
		return c, c != nil
	}
}

func TestDarkBackgroundPrecedence(t *testing.T) {
	t.Parallel()
	white := color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	black := color.RGBA{A: 0xff}
	lightHint := envLookup([]string{"COLORFGBG=0;15"})
	darkHint := envLookup([]string{"COLORFGBG=15;0"})
	for _, c := range []struct {
		name   string
		answer color.Color // nil: the terminal does not answer
		getenv func(string) string
		dark   bool
	}{
		{"a light answer beats a dark hint", white, darkHint, false},
		{"a dark answer beats a light hint", black, lightHint, true},
		{"a light answer, no hint", white, nil, false},
		{"no answer: the light hint", nil, lightHint, false},
		{"no answer: the dark hint", nil, darkHint, true},
		{"no answer, no hint: dark", nil, nil, true},
	} {
		calls := 0
		assert.Equal(t, c.dark, DarkBackground(answer(c.answer, &calls), c.getenv), c.name)
		assert.Equal(t, 1, calls, "%s: the terminal is asked once", c.name)
	}
	assert.False(t, DarkBackground(nil, lightHint), "no query (bubbletea asks itself): the hint")
	assert.True(t, DarkBackground(nil, nil), "no query, no hint: dark")
}
