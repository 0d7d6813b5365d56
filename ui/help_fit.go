package ui

import (
	"slices"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// essentialKeys are the bindings the help bar must always show: how to see
// every key, and how to leave. bubbles' help cuts an over-long bar at its
// end, which is exactly where these sit, so the fit functions below drop
// other bindings first.
var essentialKeys = []string{"?", "q", "ctrl+c"}

// essential reports whether b is one of essentialKeys.
func essential(b key.Binding) bool { return hasKey(b, essentialKeys...) }

// primary reports whether b is enter, the key that moves forward: it gives
// way only after every other non-essential binding.
func primary(b key.Binding) bool { return hasKey(b, "enter") }

func hasKey(b key.Binding, keys ...string) bool {
	return slices.ContainsFunc(b.Keys(), func(k string) bool { return slices.Contains(keys, k) })
}

// unlimited is h measuring natural widths: no truncation.
func unlimited(h help.Model) help.Model {
	h.SetWidth(0)
	return h
}

// fitShortHelp drops bindings from the end of the list (screens order
// them by priority), enter last and the essential ones never, until the
// short help fits in w cells.
func fitShortHelp(h help.Model, bs []key.Binding, w int) []key.Binding {
	u := unlimited(h)
	bs = slices.Clone(bs)
	for lipgloss.Width(u.ShortHelpView(bs)) > w {
		i := lastIndex(len(bs), func(i int) bool { return !essential(bs[i]) && !primary(bs[i]) })
		if i < 0 {
			i = lastIndex(len(bs), func(i int) bool { return !essential(bs[i]) })
		}
		if i < 0 {
			break // only essentials left: help truncates them itself
		}
		bs = slices.Delete(bs, i, i+1)
	}
	return bs
}

// fitFullHelp drops whole columns from the end, never one holding an
// essential key, until the full help fits in w cells.
func fitFullHelp(h help.Model, groups [][]key.Binding, w int) [][]key.Binding {
	u := unlimited(h)
	groups = slices.Clone(groups)
	for lipgloss.Width(u.FullHelpView(groups)) > w {
		i := lastIndex(len(groups), func(i int) bool { return !slices.ContainsFunc(groups[i], essential) })
		if i < 0 {
			break
		}
		groups = slices.Delete(groups, i, i+1)
	}
	return groups
}

// lastIndex is the largest i < n with ok(i), or -1.
func lastIndex(n int, ok func(int) bool) int {
	for i := n - 1; i >= 0; i-- {
		if ok(i) {
			return i
		}
	}
	return -1
}
