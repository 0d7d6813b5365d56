package ui

import (
	"context"
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
	// Env picks the first styles (COLORFGBG), as in Options.
	Env []string
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
	keys watchKeys

	seq        int // the refresh the dashboard waits for, or last got
	refreshing bool
	view       *StatusView // the last good reading; nil before the first
	updated    time.Time
	err        error
	errAt      time.Time

	// offset is how far the phases are scrolled when they do not fit.
	offset int
	// fr is the layout for the current size and reading, redone by
	// Update when either changes; laid says it was done.
	fr          watchFrame
	laid        bool
	interrupted bool
	w, h        int
}

// watchKeys are the dashboard's keys.
type watchKeys struct {
	quit, interrupt, refresh key.Binding
	scroll                   scrollKeys
}

var _ tea.Model = Watch{}

// NewWatch builds the dashboard; Init starts its first refresh.
func NewWatch(o WatchOptions) Watch {
	if o.Now == nil {
		o.Now = time.Now
	}
	dark := DarkBackground(nil, envLookup(o.Env))
	m := Watch{o: o, st: NewStyles(dark), seq: 1, refreshing: true}
	m.keys = watchKeys{
		quit:      key.NewBinding(key.WithKeys("q", "esc")),
		interrupt: key.NewBinding(key.WithKeys("ctrl+c")),
		refresh:   key.NewBinding(key.WithKeys("r")),
		scroll: scrollKeys{
			up:       key.NewBinding(key.WithKeys("up", "k")),
			down:     key.NewBinding(key.WithKeys("down", "j")),
			pageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u", "b")),
			pageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d", "space", "f")),
			top:      key.NewBinding(key.WithKeys("home", "g")),
			end:      key.NewBinding(key.WithKeys("end", "G")),
		},
	}
	return m
}

// Interrupted reports whether the user left with ctrl+c, or a LeaveMsg
// said so (exit 130).
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

// Update handles keys, size, background, colour profile, ticks and
// refresh results. It never blocks: refreshing is a tea.Cmd.
func (m Watch) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.update(msg)
	if _, isKey := msg.(tea.KeyPressMsg); !isKey || !next.laid {
		next.fr, next.laid = next.frame(), true // keys only scroll: the layout stands
	}
	next.clampOffset()
	return next, cmd
}

func (m Watch) update(msg tea.Msg) (Watch, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.BackgroundColorMsg:
		m.st = NewStylesFor(msg.IsDark(), m.st.Profile)
	case tea.ColorProfileMsg: // sent at start: 16 colours get their own palette
		m.st = NewStylesFor(m.st.IsDark, msg.Profile)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.interrupt):
			m.interrupted = true
			return m, tea.Quit
		case key.Matches(msg, m.keys.quit):
			return m, tea.Quit
		case key.Matches(msg, m.keys.refresh):
			return m.next()
		default:
			m.scroll(msg)
		}
	case LeaveMsg: // nothing to save: leave as ctrl+c (or q) does
		m.interrupted = m.interrupted || msg.Interrupted
		return m, tea.Quit
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
func (m Watch) next() (Watch, tea.Cmd) {
	m.seq++
	m.refreshing = true
	return m, m.refreshCmd(m.seq)
}
