package ui

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// focusArea is where keys go inside the wizard.
type focusArea int

const (
	focusRail focusArea = iota
	focusPane
)

// wizard is the phase screen: the rail of eight phases on the left and the
// selected phase on the right. It only reads the session; the root owns it
// and persists the selected phase.
type wizard struct {
	st  *Styles
	km  *KeyMap
	now func() time.Time

	sess   *state.Session
	states []steps.PhaseState
	sel    int
	focus  focusArea
	// moved is set once the user navigates, so a late fingerprint result
	// re-selects the resume phase only while the user has not chosen one.
	moved  bool
	offset int // pane scroll offset
	w, h   int
}

var _ screen = (*wizard)(nil)

// newWizard opens sess where it re-opens (steps.OpenAt): the phase it was
// left on, unless an earlier one has gone stale since.
func newWizard(st *Styles, km *KeyMap, now func() time.Time, sess *state.Session, states []steps.PhaseState) *wizard {
	w := &wizard{st: st, km: km, now: now, sess: sess}
	w.setStates(states)
	return w
}

// setStates replaces the evaluated statuses; when the user has not moved
// yet the selection follows where the session re-opens (steps.OpenAt).
func (w *wizard) setStates(states []steps.PhaseState) {
	w.states = states
	if !w.moved && len(states) > 0 {
		w.sel = max(steps.Index(steps.OpenAt(states, steps.PhaseID(w.sess.Current))), 0)
	}
	w.sel = min(max(w.sel, 0), max(len(w.states)-1, 0))
}

// current is the id of the selected phase ("" while there are no states):
// the root saves it as Session.Current, so resume lands on it.
func (w *wizard) current() steps.PhaseID {
	if w.sel < 0 || w.sel >= len(w.states) {
		return ""
	}
	return w.states[w.sel].Phase.ID
}

func (w *wizard) Init() tea.Cmd { return nil }

func (w *wizard) SetSize(width, height int) {
	if width == w.w && height == w.h {
		return // the root re-lays out after every message; most change nothing
	}
	w.w, w.h = width, height
	w.clampOffset()
}

// showRail says whether the terminal is wide and tall enough for the rail.
func (w *wizard) showRail() bool { return w.w >= MinWidth && w.h >= railMinHeight }

func (w *wizard) Update(msg tea.Msg) (screen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return w, nil
	}
	if w.focus == focusPane {
		w.updatePane(k)
		w.clampOffset()
		return w, nil
	}
	switch {
	case key.Matches(k, w.km.Up):
		w.selectPhase(w.sel - 1)
	case key.Matches(k, w.km.Down):
		w.selectPhase(w.sel + 1)
	case key.Matches(k, w.km.Top):
		w.selectPhase(0)
	case key.Matches(k, w.km.Bottom):
		w.selectPhase(len(w.states) - 1)
	case key.Matches(k, w.km.Focus, w.km.Switch):
		w.focus = focusPane
	}
	return w, nil
}

// updatePane handles keys while the pane has focus: scrolling and leaving.
func (w *wizard) updatePane(k tea.KeyPressMsg) {
	page := max(w.paneInnerHeight()-2, 1)
	if key.Matches(k, w.km.Back, w.km.Switch) {
		// Back at the rail the pane shows the phase from its title again:
		// the rail's keys cannot scroll it, so a scrolled pane would hide
		// the title with no way back but entering the pane again.
		w.focus = focusRail
		w.offset = 0
		return
	}
	scroll := scrollKeys{w.km.Up, w.km.Down, w.km.PageUp, w.km.PageDown, w.km.Top, w.km.Bottom}
	if to, ok := scroll.scrolled(k, w.offset, page); ok {
		w.offset = w.scrollTo(to)
	}
}

// scrollTo is the offset a scroll key aiming at offset to lands on (see
// paneScrolled).
func (w *wizard) scrollTo(to int) int {
	lines, innerH, ok := w.paneNow()
	if !ok {
		return 0
	}
	return paneScrolled(lines, w.offset, to, innerH)
}

// paneNow is the selected phase's lines at the pane's present size and
// the pane's inner height; ok is false when there is no pane to fill.
func (w *wizard) paneNow() (lines []paneLine, innerH int, ok bool) {
	innerW := w.paneWidth() - w.st.Box.GetHorizontalFrameSize()
	innerH = w.paneInnerHeight()
	if innerW < 1 || innerH < 1 || len(w.states) == 0 {
		return nil, 0, false
	}
	return w.paneContent(innerW), innerH, true
}

// selectPhase moves the selection (clamped) and resets the pane scroll.
func (w *wizard) selectPhase(i int) {
	i = min(max(i, 0), len(w.states)-1)
	w.moved = true
	if i != w.sel {
		w.sel = i
		w.offset = 0
	}
}

// railW is the rail's total width: as wide as its longest phase title
// needs, as far as the pane keeps paneMinWidth columns, and never under
// railWidth (titles are shortened then).
func (w *wizard) railW() int {
	natural := 0
	for _, ps := range w.states {
		natural = max(natural, railRowWidth(ps))
	}
	natural += w.st.BoxFocused.GetHorizontalFrameSize()
	return max(railWidth, min(natural, w.w-paneMinWidth))
}

// paneWidth is the pane's total width.
func (w *wizard) paneWidth() int {
	if w.showRail() {
		return w.w - w.railW()
	}
	return w.w
}

func (w *wizard) paneInnerHeight() int { return w.h - w.st.Box.GetVerticalFrameSize() }

func (w *wizard) View() string {
	if w.w <= 0 || w.h <= 0 || len(w.states) == 0 {
		return blank(w.w, w.h)
	}
	pane := w.renderPane(w.paneWidth(), w.h)
	if !w.showRail() {
		return pane
	}
	rail := renderRail(w.st, w.states, w.sel, w.focus == focusRail, w.railW(), w.h)
	return lipgloss.JoinHorizontal(lipgloss.Top, rail, pane)
}

// renderPane draws the selected phase in a box pw×ph.
func (w *wizard) renderPane(pw, ph int) string {
	boxSt := w.st.Box
	if w.focus == focusPane {
		boxSt = w.st.BoxFocused
	}
	innerW := pw - boxSt.GetHorizontalFrameSize()
	innerH := ph - boxSt.GetVerticalFrameSize()
	if innerW < 1 || innerH < 1 {
		return blank(pw, ph)
	}
	view, _ := paneView(w.st, w.paneContent(innerW), w.offset, innerH, w.focus == focusPane)
	return box(boxSt, view, pw, ph)
}

// paneContent is every line of the selected phase at inner width innerW.
func (w *wizard) paneContent(innerW int) []paneLine {
	ps := w.states[w.sel]
	var rec *state.PhaseRecord
	slug := ""
	if w.sess != nil {
		rec, slug = w.sess.Phases[string(ps.Phase.ID)], w.sess.Slug
	}
	// Prose wider than paneMaxMeasure is hard to read: on a wide terminal
	// the lines keep to it and the pane's right side stays blank.
	lines := paneLines(w.st, ps, rec, slug, w.now(), min(innerW, paneMaxMeasure))
	if !w.showRail() {
		// Without the rail the pane says where the phase sits in the eight.
		hint := "↑/↓ phase"
		switch {
		case w.focus == focusPane && paneScrolls(len(lines)+1, w.paneInnerHeight()):
			hint = "↑/↓ scroll · esc phases" // the keys move the text, not the phase
		case w.focus == focusPane:
			hint = "esc phases" // all of the phase shows: ↑/↓ do nothing
		}
		lines = append([]paneLine{{text: compactStrip(w.st, w.states, w.sel, innerW, hint)}}, lines...)
	}
	return lines
}

// scrollable reports whether the selected phase is taller than the pane,
// so the pane's scroll keys do something.
func (w *wizard) scrollable() bool {
	lines, innerH, ok := w.paneNow()
	return ok && paneScrolls(len(lines), innerH)
}

// helpLegend reports whether the full help should explain the status
// glyphs: when the rail that does is hidden, or too short to hold it.
func (w *wizard) helpLegend() bool {
	if !w.showRail() {
		return true
	}
	frame := w.st.BoxFocused
	return !railLegendFits(w.st, len(w.states), w.railW()-frame.GetHorizontalFrameSize(), w.h-frame.GetVerticalFrameSize())
}

// clampOffset keeps the pane scroll inside its content, so scrolling past
// the end and back takes no extra key presses.
func (w *wizard) clampOffset() {
	lines, innerH, ok := w.paneNow()
	if !ok {
		w.offset = 0
		return
	}
	_, w.offset = paneView(w.st, lines, w.offset, innerH, false)
}

// compactStrip is the rail folded into one line for narrow terminals:
// each phase's number and glyph, the selected one bracketed, so the strip
// reads without colour: "1✓ 2✓ [3↻] 4✗ …", then hint, what ↑/↓ do now.
func compactStrip(st *Styles, states []steps.PhaseState, sel, width int, hint string) string {
	parts := make([]string, len(states))
	for i, ps := range states {
		p := strconv.Itoa(ps.Phase.Number) + st.statusStyle(ps.Status).Render(Glyph(ps.Status))
		if i == sel {
			p = st.Cursor.Render("[") + p + st.Cursor.Render("]")
		}
		parts[i] = p
	}
	s := strings.Join(parts, " ")
	if hint := st.Muted.Render("  " + hint); lipgloss.Width(s+hint) <= width {
		s += hint
	}
	return truncate(s, width)
}

// ShortHelp and FullHelp name tab only beside the rail: without it there
// is one pane, and enter and esc already say how focus moves. The pane's
// scroll keys show only when there is something to scroll (disabled
// bindings are left out by bubbles' help).
func (w *wizard) ShortHelp() []key.Binding {
	if w.focus == focusPane {
		return []key.Binding{
			enabledIf(withHelp(w.km.Down, "↑/↓", "scroll"), w.scrollable()),
			withHelp(w.km.Back, "esc", "phases"),
			w.km.Help, w.km.Quit,
		}
	}
	return w.ifRail([]key.Binding{
		withHelp(w.km.Down, "↑/↓", "phase"),
		w.km.Focus, w.km.Switch, w.km.Help, w.km.Quit,
	})
}

func (w *wizard) FullHelp() [][]key.Binding {
	if w.focus == focusPane {
		scroll := w.scrollable()
		return [][]key.Binding{
			{
				enabledIf(withHelp(w.km.Up, "↑/k", "scroll up"), scroll), enabledIf(withHelp(w.km.Down, "↓/j", "scroll down"), scroll),
				enabledIf(w.km.PageUp, scroll), enabledIf(w.km.PageDown, scroll),
			},
			w.ifRail([]key.Binding{
				enabledIf(withHelp(w.km.Top, "g/home", "top"), scroll), enabledIf(withHelp(w.km.Bottom, "G/end", "bottom"), scroll),
				w.km.Back, w.km.Switch,
			}),
			{w.km.Help, w.km.Quit, w.km.ForceQuit},
		}
	}
	return [][]key.Binding{
		{withHelp(w.km.Up, "↑/k", "previous phase"), withHelp(w.km.Down, "↓/j", "next phase"), w.km.Top, w.km.Bottom},
		w.ifRail([]key.Binding{w.km.Focus, w.km.Switch}),
		{w.km.Help, w.km.Quit, w.km.ForceQuit},
	}
}

// ifRail is bs without the switch-pane key when the rail is hidden.
func (w *wizard) ifRail(bs []key.Binding) []key.Binding {
	if w.showRail() {
		return bs
	}
	return slices.DeleteFunc(bs, func(b key.Binding) bool { return hasKey(b, "tab") })
}
