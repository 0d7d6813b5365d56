package ui

import (
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/cyclezero/cyclezero/state"
)

// View draws the frame: a header line, the active screen, optional notice
// lines and the help bar, never wider or taller than the terminal.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "cyclezero"
	switch {
	case m.screen == screenWizard && m.sess != nil:
		v.WindowTitle += " — " + m.sess.Slug
	case m.screen == screenForm:
		v.WindowTitle += " — new session"
	}
	return v
}

// render is the frame as a string, exactly m.h lines of at most m.w cells.
func (m Model) render() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	if m.tooSmall() {
		return fitLines(tooSmallMessage(m.w, m.h), m.w, m.h)
	}
	parts := []string{m.header(), m.active().View()}
	parts = append(parts, m.notices()...)
	parts = append(parts, m.helpView())
	return fitLines(strings.Join(parts, "\n"), m.w, m.h)
}

// tooSmall is true when not even the degraded layout fits.
func (m Model) tooSmall() bool { return m.w < tinyWidth || m.h < tinyHeight }

// header is the top line: product, context, and a short read-only badge
// (the reason, which can be long, is a notice line of its own).
func (m Model) header() string {
	brand := m.st.Brand.Render("cyclezero")
	switch m.screen {
	case screenWizard:
		var badge string
		if m.readOnly {
			badge = m.st.Badge.Render("[read-only]")
		}
		workspace := m.workspace
		// "fresh · local catalog · /home/me/fresh" says the name twice and
		// the path would be cut to a fragment of it: the slug is enough
		// where cyclezero runs. A session judged against another worktree
		// keeps its path, whatever it is named (a worktree is often named
		// after its model): it is the only sign of it on screen.
		if filepath.Base(workspace) == m.sess.Slug && workspace == m.opts.Workspace {
			workspace = ""
		}
		left := headerContext(m.st, m.w-lipgloss.Width(badge)-1, brand,
			m.st.HeaderText.Render(m.sess.Slug), m.sess.Catalog, workspace)
		return joinEnds(left, badge, m.w)
	case screenForm:
		return truncate(brand+m.st.HeaderMuted.Render(" · new session"), m.w)
	}
	return truncate(brand+m.st.HeaderMuted.Render(" · sessions"), m.w)
}

// minCatalogCells is the least of the catalog description worth showing
// truncated; below it the header drops the description altogether.
const minCatalogCells = 8

// minWorkspaceCells is the least of the workspace worth showing shortened
// in its middle; with less room the header leaves it out.
const minWorkspaceCells = 16

// headerContext is "brand · slug · catalog · workspace" in at most w
// cells. What gives way first is the workspace (shortened in its middle,
// then left out), then the catalog description (its host shortened in its
// middle, keeping the catalog id: fitCatalog), then the brand (the window
// title still says cyclezero); the slug, which says which session this
// is, goes last.
func headerContext(st *Styles, w int, brand, slug string, loc state.CatalogLocation, workspace string) string {
	sep := st.HeaderMuted.Render(" · ")
	catalog := DescribeCatalog(loc)
	if workspace != "" {
		full := brand + sep + slug + sep + st.HeaderMuted.Render(catalog) + sep
		if rest := w - lipgloss.Width(full); rest >= min(displayWidth(workspace), minWorkspaceCells) {
			return full + st.HeaderMuted.Render(truncatePath(workspace, rest))
		}
	}
	head := brand + sep + slug
	switch rest := w - lipgloss.Width(head) - lipgloss.Width(sep); {
	case rest >= minCatalogCells:
		return head + sep + st.HeaderMuted.Render(fitCatalog(loc, rest))
	case lipgloss.Width(head) <= w:
		return head
	}
	return truncate(slug, w)
}

// joinEnds puts left and right on one line of width w, right-aligned. When
// both do not fit, the badge keeps its place and left is shortened, since
// the badge tells the user something they must not miss.
func joinEnds(left, right string, w int) string {
	if right == "" {
		return truncate(left, w)
	}
	rw := lipgloss.Width(right)
	if rw+1 > w/2 {
		right = truncate(right, w/2)
		rw = lipgloss.Width(right)
	}
	left = truncate(left, w-rw-1)
	return left + spaces(w-lipgloss.Width(left)-rw) + right
}

// maxNoticeLines bounds one notice, so a long error cannot push the screen
// out of the frame; on a short terminal a notice gets one line, so the
// phase keeps room to show.
func (m Model) maxNoticeLines() int {
	if m.h < shortHeight {
		return 1
	}
	return 2
}

// notices are the lines above the help bar: why the session is read-only
// (with who holds it), and the last save or fingerprint failure.
func (m Model) notices() []string {
	if m.screen != screenWizard {
		return nil
	}
	var out []string
	switch {
	case m.readOnly && m.released:
		out = append(out, m.releasedNotice()...)
	case m.readOnly && m.heldAgain:
		// Not roReason: the cyclezero it names has quit since.
		out = append(out, m.noticeLines("read-only: another cyclezero has opened it since; changes here are not saved.", m.st.Muted, "read-only")...)
	case m.readOnly:
		text := "read-only"
		if m.roReason != "" {
			text += ": " + m.roReason
		}
		out = append(out, m.noticeLines(text+"; changes here are not saved.", m.st.Muted, "read-only")...)
	}
	switch {
	case m.saveErr != nil:
		out = append(out, m.noticeLines("✗ "+m.saveErr.Error(), m.st.Error, "")...)
	case m.fpErr != nil:
		out = append(out, m.noticeLines("! could not check for changes ("+m.fpErr.Error()+"); statuses may be out of date", m.st.Muted, "")...)
	}
	return out
}

// releasedNotice says the cyclezero that made the session read-only here
// has quit, and the command that reopens it to make changes. The banner
// would otherwise go on blaming a cyclezero that is gone. The lock is not
// taken over: what is on screen was never saved, and reopening shows the
// session as saved. The command is what the user copies, so it is shown
// whole or not at all: on a line of its own when it does not fit after the
// words (a third line, where notices get two), else the notice says to
// quit, which prints it.
func (m Model) releasedNotice() []string {
	const said = "read-only: the other cyclezero has quit; quit and resume to make changes:"
	command := m.opts.Command("resume", state.ShellQuote(m.sess.Slug))
	if line := said + " " + command; displayWidth(line) <= m.w {
		return m.styleNotice([]string{line}, m.st.Muted, "read-only")
	}
	limit := m.maxNoticeLines()
	if limit > 1 {
		limit++
	}
	if lines := wrap(said, m.w); len(lines) < limit && displayWidth(command) <= m.w {
		return m.styleNotice(append(lines, command), m.st.Muted, "read-only")
	}
	return m.noticeLines("read-only: the other cyclezero has quit; quit to see the command to resume.", m.st.Muted, "read-only")
}

// noticeLines wraps text to the width in at most maxNoticeLines lines
// (the last one cut with an ellipsis when more was left), styled with st;
// a lead word starting the first line is drawn as a badge.
func (m Model) noticeLines(text string, st lipgloss.Style, lead string) []string {
	lines := wrap(text, m.w)
	if n := m.maxNoticeLines(); len(lines) > n {
		lines = lines[:n]
		lines[n-1] = truncate(lines[n-1]+" …", m.w)
	}
	return m.styleNotice(lines, st, lead)
}

// styleNotice styles a notice's lines, each at most the width, with st; a
// lead word starting the first line is drawn as a badge.
func (m Model) styleNotice(lines []string, st lipgloss.Style, lead string) []string {
	for i, l := range lines {
		if rest, ok := strings.CutPrefix(l, lead); ok && i == 0 && lead != "" {
			lines[i] = m.st.Badge.Render(lead) + st.Render(rest)
			continue
		}
		lines[i] = st.Render(l)
	}
	return lines
}

// legendHelper is a screen whose full help can explain the status glyphs.
type legendHelper interface {
	// helpLegend reports whether the full help should show the legend:
	// when the screen itself does not.
	helpLegend() bool
}

// helpView is the help bar for the active screen: short by default, all
// keys after "?", and under them the status legend when the screen asks
// for it and it costs no key nor label (see fitFullHelp). When the bar is too wide, the
// screen's lower-priority keys give way so "?" and "q" always show.
func (m Model) helpView() string {
	s := m.active()
	if m.help.ShowAll {
		// The help may take half of what the header and notices leave,
		// so the screen it explains stays in view.
		rows := max((m.h-headerHeight-len(m.notices()))/2, 1)
		keys := fitFullHelp(m.help, s.FullHelp(), m.w, rows)
		if l, ok := s.(legendHelper); ok && l.helpLegend() {
			leg := legendLines(m.st, m.w)
			if less := fitFullHelp(m.help, s.FullHelp(), m.w, rows-len(leg)); sameKeys(less, keys) {
				return strings.Join(append([]string{m.help.FullHelpView(less)}, leg...), "\n")
			}
		}
		return m.help.FullHelpView(keys)
	}
	return m.help.ShortHelpView(fitShortHelp(m.help, s.ShortHelp(), m.w))
}

// setSize records the terminal size and lays the screens out.
func (m *Model) setSize(w, h int) {
	m.w, m.h = max(w, 0), max(h, 0)
	m.help.SetWidth(m.w)
	m.relayout()
}

// relayout gives the active screen what is left after the header, notices
// and help bar. It runs after every Update, as those can change height.
func (m *Model) relayout() {
	if m.w <= 0 || m.h <= 0 {
		return
	}
	s := m.active()
	if s == nil {
		return
	}
	// The help can depend on the screen's size (whether the rail holds
	// the legend), so the size is set again until the help keeps its
	// height: a taller help only makes the screen shorter, which never
	// takes the legend out of the help again, so it settles by the second
	// pass; the third is only a margin, never a loop.
	for range 3 {
		helpH := m.helpHeight()
		s.SetSize(m.w, max(m.h-headerHeight-helpH-len(m.notices()), 0))
		if m.helpHeight() == helpH {
			return
		}
	}
}

// helpHeight is how many rows helpView takes. The short help is one line
// whatever it holds, so only the full help is rendered to measure it: this
// runs twice per key press, and rendering the bar is most of a key's cost.
func (m Model) helpHeight() int {
	if !m.help.ShowAll {
		return 1
	}
	return lipgloss.Height(m.helpView())
}
