package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// scrollKeys are the bindings that move a scrolled region: the wizard's
// pane and the dashboard's phases.
type scrollKeys struct {
	up, down, pageUp, pageDown, top, end key.Binding
}

// scrollEnd is an offset past any content; renderers clamp it to the last page.
const scrollEnd = 1 << 30

// scrolled returns offset moved by k in a region page lines high, and
// whether k was a scrolling key. The caller clamps the result to its content.
func (s scrollKeys) scrolled(k tea.KeyPressMsg, offset, page int) (int, bool) {
	switch {
	case key.Matches(k, s.up):
		return offset - 1, true
	case key.Matches(k, s.down):
		return offset + 1, true
	case key.Matches(k, s.pageUp):
		return offset - page, true
	case key.Matches(k, s.pageDown):
		return offset + page, true
	case key.Matches(k, s.top):
		return 0, true
	case key.Matches(k, s.end):
		return scrollEnd, true
	}
	return offset, false
}
