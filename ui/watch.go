package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// WatchOptions configure the live status dashboard (`status --watch`).
type WatchOptions struct {
	// Interval is the time between the end of one refresh and the start of
	// the next.
	Interval time.Duration
	// Refresh reads the session afresh. It is called only inside a tea.Cmd,
	// and must not write anything (the dashboard is read-only).
	Refresh func(context.Context) (StatusView, error)
	// Now stamps each refresh ("updated 15:04:05"); nil means time.Now.
	Now func() time.Time
	// Env and Light pick the first styles, as in Options.
	Env   []string
	Light bool
}

// refreshTimeout bounds one Refresh, so a hung git or catalog shows up as
// an error line instead of a dashboard that silently stops updating.
const refreshTimeout = 20 * time.Second

type (
	// watchTickMsg asks for refresh seq+1; it is dropped when a refresh
	// (r) started since the tick was scheduled.
	watchTickMsg struct{ seq int }
	// watchResultMsg is refresh seq's answer, stamped when it finished.
	watchResultMsg struct {
		seq  int
		view StatusView
		err  error
		at   time.Time
	}
)

// Watch is the live status dashboard: the same table `status` prints,
// refreshed every Interval by a tea.Tick that starts a refresh Cmd. Only
// the newest refresh counts; a failed one keeps the last good table on
// screen with a quiet error line under it.
type Watch struct {
	o    WatchOptions
	st   Styles
	keys struct{ quit, interrupt, refresh key.Binding }

	seq        int // the refresh the dashboard waits for, or last got
	refreshing bool
	view       *StatusView // the last good reading; nil before the first
	updated    time.Time
	err        error
	errAt      time.Time

	interrupted bool
	w, h        int
}

var _ tea.Model = Watch{}

// NewWatch builds the dashboard; Init starts its first refresh.
func NewWatch(o WatchOptions) Watch {
	if o.Now == nil {
		o.Now = time.Now
	}
	light := o.Light
	if hint, ok := lightFromEnv(o.Env); ok && !light {
		light = hint
	}
	m := Watch{o: o, st: NewStyles(!light), seq: 1, refreshing: true}
	m.keys.quit = key.NewBinding(key.WithKeys("q", "esc"))
	m.keys.interrupt = key.NewBinding(key.WithKeys("ctrl+c"))
	m.keys.refresh = key.NewBinding(key.WithKeys("r"))
	return m
}

// Interrupted reports whether the user left with ctrl+c (exit 130).
func (m Watch) Interrupted() bool { return m.interrupted }

// Init asks for the background colour and starts the first refresh.
func (m Watch) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.refreshCmd(m.seq))
}

// refreshCmd runs Refresh for seq: the only place the dashboard does I/O.
func (m Watch) refreshCmd(seq int) tea.Cmd {
	refresh, now := m.o.Refresh, m.o.Now
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), refreshTimeout)
		defer cancel()
		v, err := refresh(ctx)
		return watchResultMsg{seq: seq, view: v, err: err, at: now()}
	}
}

// tickCmd schedules the refresh after seq.
func (m Watch) tickCmd(seq int) tea.Cmd {
	return tea.Tick(m.o.Interval, func(time.Time) tea.Msg { return watchTickMsg{seq: seq} })
}

// Update handles keys, size, background, ticks and refresh results. It
// never blocks: refreshing is a tea.Cmd.
func (m Watch) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		m.st = NewStyles(msg.IsDark())
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.interrupt):
			m.interrupted = true
			return m, tea.Quit
		case key.Matches(msg, m.keys.quit):
			return m, tea.Quit
		case key.Matches(msg, m.keys.refresh):
			return m.next()
		}
	case watchTickMsg:
		if msg.seq == m.seq && !m.refreshing {
			return m.next()
		}
	case watchResultMsg:
		if msg.seq != m.seq {
			return m, nil // superseded by a refresh started since
		}
		m.refreshing = false
		if msg.err != nil {
			m.err, m.errAt = msg.err, msg.at
		} else {
			v := msg.view
			m.view, m.updated, m.err = &v, msg.at, nil
		}
		return m, m.tickCmd(m.seq)
	}
	return m, nil
}

// next starts a new refresh; results and ticks of older ones are dropped.
func (m Watch) next() (tea.Model, tea.Cmd) {
	m.seq++
	m.refreshing = true
	return m, m.refreshCmd(m.seq)
}

// maxTableWidth keeps the table readable on very wide terminals.
const maxTableWidth = 120

// View draws the last good reading, then under it the footer: when it was read,
// the refresh error if the last one failed, and the keys.
func (m Watch) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "cyclezero status"
	if m.view != nil {
		v.WindowTitle += " — " + m.view.Slug
	}
	return v
}

func (m Watch) render() string {
	if m.w <= 0 || m.h <= 0 {
		return ""
	}
	var body string
	switch {
	case m.view != nil:
		body = StatusFrame(m.st, *m.view, min(m.w, maxTableWidth))
	case m.err != nil:
		body = m.st.Brand.Render("cyclezero") + " status\n"
	default:
		body = m.st.Brand.Render("cyclezero") + " status\n" + m.st.Muted.Render("Reading the session…") + "\n"
	}
	foot := append([]string{""}, m.footer()...)
	lines := strings.Split(strings.TrimRight(body, "\n"), "\n")
	if room := max(m.h-len(foot), 0); len(lines) > room {
		lines = lines[:room] // the footer says when and how: it stays
	}
	if lines = append(lines, foot...); len(lines) > m.h {
		lines = lines[len(lines)-m.h:] // its last line (the keys) above all
	}
	return fitLines(strings.Join(lines, "\n"), m.w, m.h)
}

// footer is the lines under the table, wrapped to the width: an error
// line when the last refresh failed, then when and how it refreshes.
func (m Watch) footer() []string {
	var out []string
	if m.err != nil {
		msg := fmt.Sprintf("refresh failed at %s: %v", m.errAt.Format("15:04:05"), m.err)
		if m.view != nil {
			msg += " (showing the last good reading)"
		}
		for _, l := range wrap(msg, m.w) {
			out = append(out, m.st.Error.Render(l))
		}
	}
	parts := []string{}
	if !m.updated.IsZero() {
		parts = append(parts, "updated "+m.updated.Format("15:04:05"))
	}
	parts = append(parts, "every "+m.o.Interval.String(), "r refresh now", "q quit")
	return append(out, truncate(m.st.Muted.Render(strings.Join(parts, " · ")), m.w))
}
