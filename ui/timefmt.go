package ui

import (
	"fmt"
	"strconv"
	"time"
)

// ago says how long before now t was, the way a person would, compactly
// for the full-screen UI: "just now", "5 min ago", "3 h ago",
// "yesterday", "4 days ago", then a date.
func ago(now, t time.Time) string { return sayAgo(now, t, false) }

// agoInWords is ago with its units spelled out ("5 minutes ago", "1 hour
// ago"), for accessible text: a screen reader says "min" and "h" as
// letters or not at all.
func agoInWords(now, t time.Time) string { return sayAgo(now, t, true) }

// sayAgo is ago, with its units spelled out when words is true.
func sayAgo(now, t time.Time, words bool) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour && words:
		return units(int(d/time.Minute), "minute") + " ago"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 24*time.Hour && words:
		return units(int(d/time.Hour), "hour") + " ago"
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	case d < 48*time.Hour:
		return "yesterday"
	case d < 30*24*time.Hour:
		return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
	}
	return t.Local().Format("2 Jan 2006")
}

// units is n units in words: "1 minute", "14 minutes".
func units(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// EveryInWords says a refresh interval as accessible text reads it:
// "every second", "every 2 seconds", "every 200 milliseconds", "every 1.5
// seconds", "every minute", rather than Go's "1s" or "200ms".
func EveryInWords(d time.Duration) string {
	var n int64
	var unit string
	switch {
	case d <= 0:
		return "continuously"
	case d%time.Hour == 0:
		n, unit = int64(d/time.Hour), "hour"
	case d%time.Minute == 0:
		n, unit = int64(d/time.Minute), "minute"
	case d%time.Second == 0:
		n, unit = int64(d/time.Second), "second"
	case d < time.Second && d%time.Millisecond == 0:
		n, unit = int64(d/time.Millisecond), "millisecond"
	default:
		return "every " + strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + " seconds"
	}
	if n == 1 {
		return "every " + unit
	}
	return "every " + strconv.FormatInt(n, 10) + " " + unit + "s"
}
