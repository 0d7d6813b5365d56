package ui

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Accessible text spells the units out; the full-screen UI keeps its
// compact forms.
func TestAgoInWordsSpellsUnitsOut(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 4, 15, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		d            time.Duration
		words, short string
	}{
		{30 * time.Second, "just now", "just now"},
		{time.Minute, "1 minute ago", "1 min ago"},
		{59 * time.Minute, "59 minutes ago", "59 min ago"},
		{time.Hour, "1 hour ago", "1 h ago"},
		{14 * time.Hour, "14 hours ago", "14 h ago"},
		{30 * time.Hour, "yesterday", "yesterday"},
		{4 * 24 * time.Hour, "4 days ago", "4 days ago"},
	} {
		assert.Equal(t, c.words, agoInWords(now, now.Add(-c.d)), c.d)
		assert.Equal(t, c.short, ago(now, now.Add(-c.d)), c.d)
	}
	assert.Equal(t, "never", agoInWords(now, time.Time{}))
}

func TestEveryInWords(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		time.Second:             "every second",
		2 * time.Second:         "every 2 seconds",
		1500 * time.Millisecond: "every 1.5 seconds",
		200 * time.Millisecond:  "every 200 milliseconds",
		time.Millisecond:        "every millisecond",
		time.Minute:             "every minute",
		90 * time.Second:        "every 90 seconds",
		2 * time.Hour:           "every 2 hours",
	} {
		assert.Equal(t, want, EveryInWords(d), d.String())
	}
}
