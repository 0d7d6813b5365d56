package ui

import (
	"slices"
	"strings"

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

// moving reports whether b moves through a list or scrolls a pane by a
// line or a page: the keys a screen is used with, kept in the full help
// beside the essential ones and enter.
func moving(b key.Binding) bool { return hasKey(b, "up", "down", "pgup", "pgdown") }

// jumping reports whether b jumps to the first or last line or row: the
// navigation the full help gives up first, since the moving keys reach
// the same places.
func jumping(b key.Binding) bool { return hasKey(b, "g", "G", "home", "end") }

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
// short help fits in w cells. Before enter goes, it and esc are tried
// with short labels ("enter open", "esc back").
func fitShortHelp(h help.Model, bs []key.Binding, w int) []key.Binding {
	u := unlimited(h)
	bs = slices.Clone(bs)
	for lipgloss.Width(u.ShortHelpView(bs)) > w {
		i := lastIndex(len(bs), func(i int) bool { return !essential(bs[i]) && !primary(bs[i]) })
		if i >= 0 {
			bs = slices.Delete(bs, i, i+1)
			continue
		}
		if shortenOne(bs) {
			continue
		}
		if i = lastIndex(len(bs), func(i int) bool { return !essential(bs[i]) }); i < 0 {
			break // only essentials left: help truncates them itself
		}
		bs = slices.Delete(bs, i, i+1)
	}
	return bs
}

// fitFullHelp fits the full help in w cells and, while it can, rows lines.
// Every key stays while it can (see everyKey for the layouts tried). Then
// keys go, every layout tried again after each: first the jumps to the
// first and last line (g, G, home, end), since the moving keys reach the
// same lines; then, one at a time from the end, whole columns holding
// neither an essential key, the primary one nor a moving one (↑/↓,
// pgup/pgdn: how the screen is used), then the other keys beside those;
// then pgup and pgdn together, then ↑ and ↓. When nothing fits in rows
// lines, what is left is fitted to the width alone: as it is, with enter
// and esc shortly labelled, then as one column (full labels, then short
// ones); only then does the primary key's column go (the short help keeps
// enter as long, so "?" never hides the key that moves forward), then
// esc's. The column with help and quit stays.
func fitFullHelp(h help.Model, groups [][]key.Binding, w, rows int) [][]key.Binding {
	u := unlimited(h)
	groups = slices.Clone(groups)
	for i := range groups {
		groups[i] = slices.Clone(groups[i])
	}
	if gs, ok := everyKey(u, groups, w, rows); ok {
		return gs
	}
	paging := func(b key.Binding) bool { return hasKey(b, "pgup", "pgdown") }
	for _, stage := range []struct{ drop, kept func(key.Binding) bool }{
		{jumping, func(b key.Binding) bool { return essential(b) || primary(b) || moving(b) }},
		{paging, func(b key.Binding) bool { return essential(b) || primary(b) || moving(b) }},
		{moving, func(b key.Binding) bool { return essential(b) || primary(b) }},
	} {
		groups = without(groups, stage.drop)
		for {
			if gs, ok := everyKey(u, groups, w, rows); ok {
				return gs
			}
			next, ok := dropOne(groups, stage.kept)
			if !ok {
				break
			}
			groups = next
		}
	}
	fits := func(gs [][]key.Binding) bool { return lipgloss.Width(u.FullHelpView(gs)) <= w }
	short := shortened(groups)
	for _, gs := range [][][]key.Binding{groups, short, {slices.Concat(groups...)}, {slices.Concat(short...)}} {
		if fits(gs) {
			return gs
		}
	}
	return dropColumns(u, short, w)
}

// dropOne is groups less one binding kept does not keep: the last column
// holding none that it keeps, else the last such binding of the last
// column that has one. ok is false when kept keeps every binding.
func dropOne(groups [][]key.Binding, kept func(key.Binding) bool) (_ [][]key.Binding, ok bool) {
	has := func(i int, f func(key.Binding) bool) bool { return slices.ContainsFunc(groups[i], f) }
	if i := lastIndex(len(groups), func(i int) bool { return !has(i, kept) }); i >= 0 {
		return slices.Delete(groups, i, i+1), true
	}
	i := lastIndex(len(groups), func(i int) bool { return has(i, func(b key.Binding) bool { return !kept(b) }) })
	if i < 0 {
		return groups, false
	}
	j := lastIndex(len(groups[i]), func(j int) bool { return !kept(groups[i][j]) })
	groups[i] = slices.Delete(groups[i], j, j+1)
	return groups, true
}

// without is groups without the bindings drop reports, and without the
// columns that leaves empty.
func without(groups [][]key.Binding, drop func(key.Binding) bool) [][]key.Binding {
	var out [][]key.Binding
	for _, g := range groups {
		if g = slices.DeleteFunc(slices.Clone(g), drop); len(g) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// shortened is groups with enter and esc shortly labelled (shortenOne).
func shortened(groups [][]key.Binding) [][]key.Binding {
	short := make([][]key.Binding, len(groups))
	for i, g := range groups {
		short[i] = slices.Clone(g)
		for shortenOne(short[i]) { // each pass relabels one binding
		}
	}
	return short
}

// everyKey is groups laid out to fit w cells and rows lines without
// dropping a key: as they are, as one column, with enter and esc shortly
// labelled, then as one column of those; last as two columns, every
// column but the last (help and quitting) made one, full then shortly
// labelled. Navigation keys are worth a column's height on a narrow
// terminal; ok is false when none fits.
func everyKey(u help.Model, groups [][]key.Binding, w, rows int) ([][]key.Binding, bool) {
	short := shortened(groups)
	layouts := [][][]key.Binding{groups, {slices.Concat(groups...)}, short, {slices.Concat(short...)}}
	if n := len(groups); n > 2 {
		layouts = append(layouts, [][]key.Binding{slices.Concat(groups[:n-1]...), groups[n-1]},
			[][]key.Binding{slices.Concat(short[:n-1]...), short[n-1]})
	}
	for _, gs := range layouts {
		v := u.FullHelpView(gs)
		if lipgloss.Width(v) <= w && lipgloss.Height(v) <= rows {
			return gs, true
		}
	}
	return nil, false
}

// dropColumns drops whole columns until the full help fits: the primary
// key's, then esc's; the column with help and quit stays.
func dropColumns(u help.Model, groups [][]key.Binding, w int) [][]key.Binding {
	quitting := func(b key.Binding) bool { return hasKey(b, "?", "q", "ctrl+c") }
	for lipgloss.Width(u.FullHelpView(groups)) > w {
		i := lastIndex(len(groups), func(i int) bool { return !slices.ContainsFunc(groups[i], essential) })
		if i < 0 {
			i = lastIndex(len(groups), func(i int) bool { return !slices.ContainsFunc(groups[i], quitting) })
		}
		if i < 0 {
			break
		}
		groups = slices.Delete(groups, i, i+1)
	}
	return groups
}

// shortenOne relabels, in place, the first of bs that is enter or esc and
// has a longer label than shortDesc (then shortLabel) gives, primary
// first; it reports whether it changed one.
func shortenOne(bs []key.Binding) bool {
	// The label shrinks before the keys: "esc/h/← back" keeps every key
	// while it fits, before "esc back".
	for _, shorten := range []func(key.Binding) key.Binding{shortDesc, shortLabel} {
		for _, want := range []func(key.Binding) bool{primary, func(b key.Binding) bool { return hasKey(b, "esc") }} {
			for i, b := range bs {
				if !want(b) {
					continue
				}
				if s := shorten(b); s.Help() != b.Help() {
					bs[i] = s
					return true
				}
			}
		}
	}
	return false
}

// shortDesc is b with its keys as they are and the first word of what it
// does ("esc/h/← back to phases" becomes "esc/h/← back").
func shortDesc(b key.Binding) key.Binding {
	words := strings.Fields(b.Help().Desc)
	if len(words) == 0 {
		return b
	}
	return withHelp(b, b.Help().Key, words[0])
}

// shortLabel is b labelled as briefly as it still reads: its first key
// and the first word of what it does ("enter/l/→ open phase" becomes
// "enter open", "esc/h/← back to phases" "esc back").
func shortLabel(b key.Binding) key.Binding {
	keys, words := b.Keys(), strings.Fields(b.Help().Desc)
	if len(keys) == 0 || len(words) == 0 {
		return b
	}
	return withHelp(b, keys[0], words[0])
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

// sameKeys reports whether a and b show the same keys with the same labels
// in the same order, however they are laid out in columns.
func sameKeys(a, b [][]key.Binding) bool {
	help := func(gs [][]key.Binding) []key.Help {
		var out []key.Help
		for _, b := range slices.Concat(gs...) {
			if b.Enabled() {
				out = append(out, b.Help())
			}
		}
		return out
	}
	return slices.Equal(help(a), help(b))
}
