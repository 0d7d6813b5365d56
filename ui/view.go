package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// View draws the frame: a header line, the active screen, an optional
// notice line and the help bar, never wider or taller than the terminal.
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
		return fitLines(tooSmallMessage(m.w), m.w, m.h)
	}
	parts := []string{m.header(), m.active().View()}
	if n := m.notice(); n != "" {
		parts = append(parts, n)
	}
	parts = append(parts, m.helpView())
	return fitLines(strings.Join(parts, "\n"), m.w, m.h)
}

// tooSmall is true when not even the degraded layout fits.
func (m Model) tooSmall() bool { return m.w < tinyWidth || m.h < tinyHeight }

// header is the top line: product, context, and a read-only badge.
func (m Model) header() string {
	left := m.st.Brand.Render("cyclezero")
	var right string
	switch m.screen {
	case screenWizard:
		left += m.st.HeaderMuted.Render(" · ") + m.st.HeaderText.Render(m.sess.Slug) +
			m.st.HeaderMuted.Render(" · "+DescribeCatalog(m.sess.Catalog))
		if m.readOnly {
			reason := "read-only"
			if m.roReason != "" {
				reason += ": " + m.roReason
			}
			right = m.st.Badge.Render("[" + reason + "]")
		}
	case screenForm:
		left += m.st.HeaderMuted.Render(" · new session")
	case screenPicker:
		left += m.st.HeaderMuted.Render(" · sessions")
	}
	return joinEnds(left, right, m.w)
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

// notice is a one-line warning above the help bar, or "".
func (m Model) notice() string {
	switch {
	case m.screen != screenWizard:
		return ""
	case m.saveErr != nil:
		return truncate(m.st.Error.Render("✗ "+m.saveErr.Error()), m.w)
	case m.fpErr != nil:
		return truncate(m.st.Muted.Render("! could not check for changes ("+m.fpErr.Error()+"); statuses may be out of date"), m.w)
	}
	return ""
}

// helpView is the help bar for the active screen: short by default, all
// keys after "?".
func (m Model) helpView() string {
	return m.help.View(m.active())
}

// setSize records the terminal size and lays the screens out.
func (m *Model) setSize(w, h int) {
	m.w, m.h = max(w, 0), max(h, 0)
	m.help.SetWidth(m.w)
	m.relayout()
}

// relayout gives the active screen what is left after the header, notice
// and help bar. It runs after every Update, as those can change height.
func (m *Model) relayout() {
	if m.w <= 0 || m.h <= 0 {
		return
	}
	used := headerHeight + lipgloss.Height(m.helpView())
	if m.notice() != "" {
		used++
	}
	bodyH := max(m.h-used, 0)
	if s := m.active(); s != nil {
		s.SetSize(m.w, bodyH)
	}
}
