package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// picker lists the existing sessions, plus "Start a new session" as the
// last row. It asks the root (by message) to open one or start the form.
type picker struct {
	st  *Styles
	km  *KeyMap
	now func() time.Time

	// all is every session; items are those shown: all, or while the
	// filter line is open (filtering), those whose slug holds filter.
	all       []SessionChoice
	items     []SessionChoice
	filtering bool
	filter    string
	cursor    int // len(items) is the "Start a new session" row
	first     int // the first choice shown, when they do not all fit
	// out hands screen changes to the root (see handoff).
	out *handoff
	// opening is the slug being opened, err the last failure to open.
	opening string
	err     error
	w, h    int
	// newCatalog is Options.Catalog: the catalog a new session gets,
	// named under "Start a new session" (nil: the form asks).
	newCatalog *state.CatalogLocation
	// place is Options.place: what the intro calls the workspace.
	place string
}

var _ screen = (*picker)(nil)

// newPicker starts on the first session that can be opened (a damaged
// one, which may well be the newest, is never the default), or on "Start
// a new session" when none can. place is Options.place.
func newPicker(st *Styles, km *KeyMap, now func() time.Time, items []SessionChoice, place string) *picker {
	return &picker{st: st, km: km, now: now, all: items, items: items, cursor: firstUsable(items), place: place}
}

// firstUsable is the index of the first session without a problem, or
// len(items) (the "Start a new session" row) when every one has one.
func firstUsable(items []SessionChoice) int {
	for i, it := range items {
		if it.Problem == "" {
			return i
		}
	}
	return len(items)
}

func (p *picker) Init() tea.Cmd { return nil }

func (p *picker) SetSize(w, h int) {
	p.w, p.h = w, h
	p.scroll()
}

// visible is how many rows (sessions, and "Start a new session") the list
// shows at once; when they do not all fit, a line under them is kept for
// "↓ N more sessions".
func (p *picker) visible() int {
	top, bottom := p.chrome()
	avail := p.h - len(top) - len(bottom)
	if n := len(p.items) + 1; n*rowHeight <= avail {
		return n
	}
	return max((avail-1)/rowHeight, 1)
}

// page is how many rows pgup and pgdn move the cursor: one less than the
// list shows, so the row it leaves stays in view, as the wizard's pane
// keeps a line.
func (p *picker) page() int { return max(p.visible()-1, 1) }

// scroll keeps the cursor's row on screen, moving the window only when the
// cursor would leave it.
func (p *picker) scroll() {
	visible := p.visible()
	if p.cursor < p.first {
		p.first = p.cursor
	}
	if p.cursor >= p.first+visible {
		p.first = p.cursor - visible + 1
	}
	p.first = max(min(p.first, len(p.items)+1-visible), 0)
}

func (p *picker) Update(msg tea.Msg) (screen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return p, nil
	}
	if p.opening != "" {
		// Only esc works while a session opens: it stops waiting for it.
		if key.Matches(k, p.km.Back) {
			p.opening = ""
			p.out.post(cancelOpenMsg{})
			return p, nil
		}
		return p, nil
	}
	if p.filtering && p.filterKey(k) {
		return p, nil
	}
	last := len(p.items)
	switch {
	case key.Matches(k, p.km.Filter):
		p.startFilter()
	case key.Matches(k, p.km.Up):
		p.cursor = max(p.cursor-1, 0)
		defer p.scroll()
	case key.Matches(k, p.km.Down):
		p.cursor = min(p.cursor+1, last)
		defer p.scroll()
	case key.Matches(k, p.km.Top):
		p.cursor = 0
		defer p.scroll()
	case key.Matches(k, p.km.Bottom):
		p.cursor = last
		defer p.scroll()
	case key.Matches(k, p.km.PageUp):
		p.cursor = max(p.cursor-p.page(), 0)
		defer p.scroll()
	case key.Matches(k, p.km.PageDown):
		p.cursor = min(p.cursor+p.page(), last)
		defer p.scroll()
	case key.Matches(k, p.km.New):
		p.out.post(newSessionMsg{})
	case key.Matches(k, p.km.Open):
		if p.cursor == last {
			p.out.post(newSessionMsg{})
			return p, nil
		}
		p.err = nil
		p.out.post(openSessionMsg{slug: p.items[p.cursor].Slug})
	}
	return p, nil
}

// rowHeight is the lines one session takes: its slug, then its details.
const rowHeight = 2

// chrome is the text above and below the list.
func (p *picker) chrome() (top, bottom []string) {
	w := max(p.w-2, 1) // a margin of one cell each side
	// The count is of sessions: on "Start a new session" it says how many
	// there are rather than a position among them.
	title := "Choose a session"
	switch n := len(p.items); {
	case p.filtering: // the filter line counts them
	case p.cursor < n:
		title += fmt.Sprintf(" · %d of %d", p.cursor+1, n)
	case n == 1:
		title += " · 1 session"
	case n > 1:
		title += fmt.Sprintf(" · %d sessions", n)
	}
	top = append(top, p.st.Title.Render(title))
	if p.filtering {
		top = append(top, p.filterLine())
	}
	intro := wrap("One session per model in this "+p.place+". Open one to resume it, or start a new one.", w)
	bottom = p.note(w, false)
	// The cursor's row must show: the intro gives way first, then the note
	// is cut (its last line says so), its fix first and without the blank
	// line above it.
	if len(top)+len(intro)+1+rowHeight+len(bottom) <= p.h {
		for _, l := range intro {
			top = append(top, p.st.Muted.Render(l))
		}
	}
	top = append(top, "") // also where "↑ n more sessions" goes
	if room := max(p.h-len(top)-rowHeight, 0); len(bottom) > room {
		bottom = p.note(w, true)[1:]
		if len(bottom) <= room {
			return top, bottom
		}
		bottom = bottom[:room]
		if room > 0 {
			bottom[room-1] = truncate(bottom[room-1]+" …", w)
		}
	}
	return top, bottom
}

// note is the text under the list: a session opening, the last failure to
// open one, or the whole of what the selected row can only start to say
// (a damaged file's problem, with the command that fixes it; who holds a
// session in use). fixFirst puts an error's fix before it, for a note
// that will be cut. The first line is blank.
func (p *picker) note(w int, fixFirst bool) []string {
	para := func(st func(...string) string, text string) []string {
		if fixFirst {
			text = fixBeforeProblem(text)
		}
		out := []string{""}
		for _, l := range wrap(text, w) {
			out = append(out, st(l))
		}
		return out
	}
	var it SessionChoice
	if p.cursor < len(p.items) {
		it = p.items[p.cursor]
	}
	switch {
	case p.opening != "":
		return []string{"", p.st.Muted.Render("Opening " + p.opening + "…")}
	case p.err != nil:
		return para(p.st.Error.Render, "✗ "+p.err.Error())
	case it.Problem != "":
		return para(p.st.Error.Render, "⚠ "+it.Problem)
	case it.InUse != "":
		return para(p.st.Muted.Render, "Opens read-only: "+it.InUse+".")
	}
	return nil
}

// fixSeparator is what separates a problem from its fix in the session
// errors of package state ("… is there — restore it with: cp A B").
const fixSeparator = " — "

// fixBeforeProblem is text ("✗ problem — fix") with its fix first
// ("✗ fix — problem"), so a note cut to a few lines keeps the command
// that fixes the problem whole; text without a fix is returned as it is.
func fixBeforeProblem(text string) string {
	i := strings.LastIndex(text, fixSeparator)
	if i < 0 {
		return text
	}
	var mark string
	for _, m := range []string{"✗ ", "⚠ "} {
		if strings.HasPrefix(text, m) {
			mark = m
		}
	}
	return mark + text[i+len(fixSeparator):] + fixSeparator + text[len(mark):i]
}

func (p *picker) View() string {
	if p.w <= 0 || p.h <= 0 {
		return ""
	}
	w := max(p.w-2, 1)
	top, bottom := p.chrome()
	rows := p.rows(w)
	visible := p.visible()
	start := min(p.first*rowHeight, len(rows))
	end := min(start+visible*rowHeight, len(rows))
	lines := append(top, rows[start:end]...)
	if p.first > 0 && len(lines) > len(top) {
		lines[len(top)-1] = p.st.Muted.Render(more("↑", p.first, "session"))
	}
	// Below are sessions, then the new-session row, which ends the list
	// (and which n reaches from anywhere): the count is of sessions.
	switch below := len(p.items) + 1 - p.first - visible; { // on the line visible kept
	case below > 1:
		lines = append(lines, p.st.Muted.Render(more("↓", below-1, "session")))
	case below == 1:
		lines = append(lines, p.st.Muted.Render("↓ + Start a new session"))
	}
	lines = append(padBlock(lines, p.h-len(bottom)), bottom...)
	for i := range lines {
		lines[i] = " " + truncate(lines[i], w)
	}
	return strings.Join(padBlock(lines, p.h), "\n")
}

// rows renders every choice, rowHeight lines each.
func (p *picker) rows(w int) []string {
	var out []string
	for i, it := range p.items {
		row := p.marker(i) + p.slugStyle(i)(it.Slug)
		if it.InUse != "" {
			row += "  " + p.st.Badge.Render("[in use · read-only]")
		}
		out = append(out, row)
		out = append(out, "    "+p.detail(it, w-4))
	}
	detail := ""
	if p.newCatalog != nil { // on the row's blank second line: the list fits as before
		detail = "    " + p.st.Muted.Render(truncate("on "+fitCatalog(*p.newCatalog, w-7), w-4))
	}
	out = append(out, p.marker(len(p.items))+p.slugStyle(len(p.items))("+ Start a new session"), detail)
	return out
}

func (p *picker) marker(i int) string {
	if i == p.cursor {
		return p.st.Cursor.Render("▸ ")
	}
	return "  "
}

func (p *picker) slugStyle(i int) func(...string) string {
	if i == p.cursor {
		return p.st.RailSelectedFocused.Render
	}
	return p.st.Heading.Render
}

// detail is a session's second line: where it is, when it changed, which
// catalog; or what is wrong with it.
func (p *picker) detail(it SessionChoice, w int) string {
	if it.Problem != "" {
		// No phase or time: they come from a file that cannot be read.
		return p.st.Error.Render(truncate("⚠ "+brokenWord(it)+" · cannot be opened as it is", w))
	}
	var parts []string
	if ph, ok := steps.PhaseByID(steps.PhaseID(it.Current)); ok {
		parts = append(parts, fmt.Sprintf("phase %d · %s", ph.Number, ph.Title))
	} else {
		parts = append(parts, "not started")
	}
	if !it.UpdatedAt.IsZero() {
		parts = append(parts, "updated "+ago(p.now(), it.UpdatedAt))
	}
	text := strings.Join(parts, " · ")
	const sep = " · "
	// The catalog is last: a long host is shortened in its middle, keeping
	// the catalog id, when the rest leaves it room; with less than
	// minCatalogCells it is left out rather than shortened twice (once
	// here, once more by the line's own truncation) into "ca…l…".
	if rest := w - displayWidth(text+sep); it.Catalog.Kind != "" && rest >= minCatalogCells {
		text += sep + fitCatalog(it.Catalog, rest)
	}
	return p.st.Muted.Render(truncate(text, w))
}

func (p *picker) ShortHelp() []key.Binding {
	switch {
	case p.opening != "":
		return []key.Binding{withHelp(p.km.Back, "esc", "stop waiting"), p.km.ForceQuit}
	case p.filtering: // q and ? are text here
		return []key.Binding{withHelp(p.km.Down, "↑/↓", "choose"), p.km.Open, p.km.ClearFilter, p.km.ForceQuit}
	}
	// The help bar drops bindings from the end. With many sessions
	// "/ filter" outlasts "n new session", which the list offers as its
	// last row anyway, and "↑/↓ choose", which every list has: the filter
	// is the one key nothing else on screen hints at.
	choose := withHelp(p.km.Down, "↑/↓", "choose")
	bs := []key.Binding{choose, p.km.Open}
	if p.offerFilter() {
		bs = []key.Binding{p.km.Open, p.km.Filter, choose}
	}
	return append(bs, p.km.New, p.km.Help, p.km.Quit)
}

func (p *picker) FullHelp() [][]key.Binding {
	if p.filtering || p.opening != "" {
		return [][]key.Binding{p.ShortHelp()}
	}
	return [][]key.Binding{
		{withHelp(p.km.Up, "↑/k", "up"), withHelp(p.km.Down, "↓/j", "down"), p.km.PageUp, p.km.PageDown},
		{p.km.Top, p.km.Bottom},
		{p.km.Open, p.km.New, p.km.Filter},
		{p.km.Help, p.km.Quit, p.km.ForceQuit},
	}
}

// brokenWord is what is wrong with a session that has a Problem, in a
// word or two for lists.
func brokenWord(it SessionChoice) string {
	if it.Broken != "" {
		return it.Broken
	}
	return "unreadable"
}

// emit wraps a message in a command, for screens to talk to the root.
func emit(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// handoff carries a screen's request to change screens (open a session,
// start a new one, go back) to the root within the same Update, so the
// keys typed right after it reach the screen it leads to; an emitted
// message would arrive after them. The root and its screens share one.
type handoff struct{ msg tea.Msg }

// post records msg for the root to handle once the screen's Update returns.
func (h *handoff) post(msg tea.Msg) {
	if h != nil {
		h.msg = msg
	}
}

// take returns the recorded request, if any, and clears it.
func (h *handoff) take() tea.Msg {
	if h == nil {
		return nil
	}
	msg := h.msg
	h.msg = nil
	return msg
}
