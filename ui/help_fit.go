package ui

import (
	"slices"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// essentialKeys are the bindings the help bar must always show: how to see
// every key, and how to leave: quitting, and esc, each screen's way back
// or out (the new-session form's only way to leave without creating a
// session, short of ctrl+c). bubbles' help cuts an over-long bar at its
// end, which is exactly where these sit, so the fit functions below drop
// other bindings first.
var essentialKeys = []string{"?", "q", "ctrl+c", "esc"}

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

// fitFullHelp drops bindings until the full help fits in w cells, from
// the end and in this order: whole columns holding neither an essential
// key nor the primary one; the other keys beside those; the primary key's
// column (the short help keeps enter as long, so "?" never hides the key
// that moves forward); esc's column. The column with help and quit stays.
func fitFullHelp(h help.Model, groups [][]key.Binding, w int) [][]key.Binding {
	u := unlimited(h)
	groups = slices.Clone(groups)
	for i := range groups {
		groups[i] = slices.Clone(groups[i])
	}
	has := func(i int, f func(key.Binding) bool) bool { return slices.ContainsFunc(groups[i], f) }
	quitting := func(b key.Binding) bool { return hasKey(b, "?", "q", "ctrl+c") }
	kept := func(b key.Binding) bool { return essential(b) || primary(b) }
	for lipgloss.Width(u.FullHelpView(groups)) > w {
		if i := lastIndex(len(groups), func(i int) bool { return !has(i, kept) }); i >= 0 {
			groups = slices.Delete(groups, i, i+1)
			continue
		}
		if i := lastIndex(len(groups), func(i int) bool { return has(i, func(b key.Binding) bool { return !kept(b) }) }); i >= 0 {
			j := lastIndex(len(groups[i]), func(j int) bool { return !kept(groups[i][j]) })
			groups[i] = slices.Delete(groups[i], j, j+1)
			continue
		}
		i := lastIndex(len(groups), func(i int) bool { return !has(i, essential) })
		if i < 0 {
			i = lastIndex(len(groups), func(i int) bool { return !has(i, quitting) })
		}
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
