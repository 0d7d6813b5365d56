package ui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// manySessions is how many sessions make the short help offer "/ filter"
// even when they all fit on screen.
const manySessions = 5

// startFilter opens the filter line: typing narrows the list by slug.
func (p *picker) startFilter() {
	p.filtering, p.filter = true, ""
	p.refilter()
}

// stopFilter closes the filter line and shows every session again, the
// highlighted one still highlighted.
func (p *picker) stopFilter() {
	slug, onItem := "", p.cursor < len(p.items)
	if onItem {
		slug = p.items[p.cursor].Slug
	}
	p.filtering, p.filter, p.items = false, "", p.all
	p.cursor = len(p.items)
	if i := slices.IndexFunc(p.items, func(it SessionChoice) bool { return it.Slug == slug }); onItem && i >= 0 {
		p.cursor = i
	}
	p.scroll()
}

// refilter shows the sessions whose slug holds the filter (any case) and
// highlights the first of them, or "Start a new session" when none does.
func (p *picker) refilter() {
	needle := strings.ToLower(p.filter)
	p.items = slices.DeleteFunc(slices.Clone(p.all), func(it SessionChoice) bool {
		return !strings.Contains(strings.ToLower(it.Slug), needle)
	})
	p.cursor, p.first = 0, 0
	p.scroll()
}

// filterKey handles a key while the filter line is open: esc closes it,
// text and backspace edit it. done is false for keys the list handles as
// usual (enter, the arrows, home, end, pgup and pgdn), which are never text.
func (p *picker) filterKey(k tea.KeyPressMsg) (done bool) {
	switch {
	case key.Matches(k, p.km.ClearFilter):
		p.stopFilter()
	case k.Code == tea.KeyBackspace:
		if r := []rune(p.filter); len(r) > 0 {
			p.filter = string(r[:len(r)-1])
			p.refilter()
		}
	case k.String() == "ctrl+u":
		p.filter = ""
		p.refilter()
	case k.Text != "":
		p.filter += k.Text
		p.refilter()
	case slices.Contains([]string{"up", "down", "home", "end", "pgup", "pgdown", "enter"}, k.String()):
		return false
	}
	return true
}

// filterLine is the open filter line: what is typed, and how many
// sessions it matches.
func (p *picker) filterLine() string {
	// "match": a count of matches, not a position like the title's "2 of 9".
	count := fmt.Sprintf("  %d of %d sessions match", len(p.items), len(p.all))
	if len(p.items) == 0 {
		count = "  no session matches"
	}
	return p.st.Heading.Render("/"+p.filter) + p.st.Cursor.Render("▏") + p.st.Muted.Render(count)
}

// offerFilter reports whether the short help names "/ filter": when the
// sessions do not all fit, or are more than a few.
func (p *picker) offerFilter() bool {
	return len(p.all) > manySessions || len(p.all)+1 > p.visible()
}
