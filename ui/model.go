package ui

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// Model is the root bubbletea model. It owns the screen state (picker,
// new-session form, wizard), the open session, the window size, the styles
// and the key map, and it is the only place that talks to Options.
//
// Screens are held by pointer, so a copy of a Model shares them with the
// original; bubbletea always continues from the Model Update returns.
type Model struct {
	opts Options
	km   *KeyMap
	st   *Styles
	help help.Model

	w, h   int
	screen screenKind
	picker *picker
	form   *newForm
	wiz    *wizard

	// The open session. It is replaced, never mutated, once handed to Save.
	sess     *state.Session
	readOnly bool
	roReason string
	// released is true once Options.Released said the cyclezero that
	// made the session read-only here has quit (see watchReleased).
	released bool
	// heldAgain is true once the session, let go, was held again: the
	// read-only reason from open names a cyclezero that has quit.
	heldAgain bool
	// workspace is the open session's working tree, for the header.
	workspace string
	// out carries the screens' requests to change screens (see handoff).
	out *handoff
	// gen counts sessions opened; results for an older one are dropped.
	gen     int
	fp      state.Fingerprint
	fpErr   error
	nextReq int
	// pendingOpen and pendingCreate are the ids of the requests in flight.
	pendingOpen, pendingCreate int
	// cancelOpen ends the context of the open in flight, so a slow open the
	// user walked away from (esc, a new session, a newer open, quit) stops
	// and cmd does not adopt a session nobody is waiting for.
	cancelOpen context.CancelFunc
	// cancelCreate ends the context of the create in flight (esc, quit),
	// so Options.Create gives up; its answer is still awaited, since only
	// it says whether the session was made before the cancel arrived.
	cancelCreate context.CancelFunc

	// Persisting Session.Current: once the selection has settled
	// (moveSeq numbers the moves; only the last one's timer saves), one
	// Save at a time, coalesced.
	moveSeq      int
	saving       bool
	savedCurrent string
	saveErr      error
	quitting     bool

	outcome Outcome
}

var _ tea.Model = Model{}

// New builds the root model: the wizard when o.Session is set, else the
// picker when there are sessions (unless o.StartNew), else the new-session
// form. Options are only read here and in commands, never in Update.
func New(o Options) Model {
	o = o.withDefaults()
	km := DefaultKeyMap()
	// A first guess: the terminal's own answer (requested by Init) replaces it.
	st := NewStyles(DarkBackground(nil, envLookup(o.Env)))
	m := Model{opts: o, km: &km, st: &st, help: help.New(), out: &handoff{}}
	m.help.Styles = st.Help
	if len(o.Sessions) > 0 {
		m.picker = newPicker(m.st, m.km, o.Now, o.Sessions, o.place())
		m.picker.newCatalog, m.picker.out = o.Catalog, m.out
		m.screen = screenPicker
	}
	switch {
	case o.Session != nil:
		m.openSession(o.Session, o.ReadOnly, o.ReadOnlyReason)
		if o.SessionRoot != "" {
			m.workspace = o.SessionRoot
		}
	case m.picker == nil || o.StartNew:
		m.form = m.newForm()
		m.screen = screenForm
	}
	m.setSize(o.Width, o.Height)
	return m
}

// newForm builds the new-session form from what Options know: existing
// slugs (refused), the suggested one, and whether esc can go back.
func (m Model) newForm() *newForm {
	cfg := formConfig{canBack: m.picker != nil, suggested: m.opts.SuggestedSlug, taken: map[string]bool{}, command: m.opts.Command,
		sessions: m.opts.Sessions, catalog: m.opts.Catalog, place: m.opts.place()}
	for _, s := range m.opts.Sessions {
		cfg.taken[s.Slug] = true
	}
	f := newNewForm(m.st, m.km, cfg)
	f.out = m.out
	return f
}

// Init asks the terminal for its background colour and starts the first
// screen (and, for a session, its fingerprint).
func (m Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.active().Init(), m.fingerprintCmd(), m.watchReleased(), m.watchHolders())
}

// Outcome says how the program ended; read it from the model Run returns.
func (m Model) Outcome() Outcome { return m.outcome }

// active is the screen on show.
func (m Model) active() screen {
	switch m.screen {
	case screenWizard:
		return m.wiz
	case screenForm:
		return m.form
	}
	return m.picker
}

// openSession shows sess in the wizard, in Options.Workspace until the
// caller says otherwise (see sessionOpened). Results still in flight for an
// earlier session are dropped from now on.
func (m *Model) openSession(sess *state.Session, readOnly bool, reason string) {
	m.gen++
	m.sess, m.readOnly, m.roReason, m.released, m.heldAgain = sess, readOnly, reason, false, false
	m.workspace = m.opts.Workspace
	m.fp, m.fpErr = state.Fingerprint{}, nil
	m.saving, m.saveErr = false, nil
	m.wiz = newWizard(m.st, m.km, m.opts.Now, sess, steps.Evaluate(sess, m.fp))
	m.screen = screenWizard
	m.markCurrentSaved()
	m.outcome.Slug = sess.Slug
}

// markCurrentSaved records the selected phase as the session's current one
// without writing it: opening at the resume phase is not a user's change.
func (m *Model) markCurrentSaved() {
	m.setCurrent(string(m.wiz.current()))
	m.savedCurrent = m.sess.Current
}

// setCurrent records the selected phase in the session, copy-on-write, so a
// snapshot already handed to Save never changes under it. It reports
// whether the selection moved.
func (m *Model) setCurrent(id string) bool {
	if m.sess == nil || m.sess.Current == id {
		return false
	}
	next := *m.sess
	next.Current = id
	m.sess = &next
	m.wiz.sess = m.sess
	return true
}

// fingerprintCmd asks for the current fingerprint of the open session's
// repo and catalog; nil when there is no session or no Fingerprint func.
func (m Model) fingerprintCmd() tea.Cmd {
	if m.sess == nil || m.opts.Fingerprint == nil {
		return nil
	}
	gen, fn := m.gen, m.opts.Fingerprint
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), fingerprintTimeout)
		defer cancel()
		fp, err := fn(ctx)
		return fingerprintMsg{gen: gen, fp: fp, err: err}
	}
}

// saveCmd persists the session if its current phase changed since the last
// save, one save at a time; nil when there is nothing to do or saving is
// not allowed (read-only sessions are never written).
func (m *Model) saveCmd() tea.Cmd {
	if m.saving || !m.dirty() {
		return nil
	}
	m.saving = true
	snap, gen, save := m.sess, m.gen, m.opts.Save
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
		defer cancel()
		return savedMsg{gen: gen, current: snap.Current, err: save(ctx, snap)}
	}
}

// saveWhenSettled saves the current phase once the selection has stayed
// put for Options.SaveDelay: a timer per move, of which only the latest
// one's message (saveDue) saves.
func (m *Model) saveWhenSettled() tea.Cmd {
	if !m.dirty() {
		return nil
	}
	if m.opts.SaveDelay < 0 {
		return m.saveCmd()
	}
	m.moveSeq++
	gen, seq := m.gen, m.moveSeq
	return tea.Tick(m.opts.SaveDelay, func(time.Time) tea.Msg { return saveDueMsg{gen: gen, seq: seq} })
}

// saveDue saves when msg is the latest move's timer.
func (m *Model) saveDue(msg saveDueMsg) tea.Cmd {
	if msg.gen != m.gen || msg.seq != m.moveSeq {
		return nil
	}
	return m.saveCmd()
}

// dirty reports whether the session has an unsaved current phase.
func (m Model) dirty() bool {
	return m.sess != nil && !m.readOnly && m.opts.Save != nil && m.sess.Current != m.savedCurrent
}

// watchReleased asks Options.Released, releasedEvery from now, whether the
// read-only session's other cyclezero has quit; nil when the session is not
// read-only or there is no Released func. The answer (releasedMsg) asks
// again while it says watch, so the notice follows the lock both ways for
// as long as Released wants it to.
func (m Model) watchReleased() tea.Cmd {
	if m.sess == nil || !m.readOnly || m.opts.Released == nil {
		return nil
	}
	gen := m.gen
	return tea.Tick(releasedEvery, func(time.Time) tea.Msg { return releasedDueMsg{gen: gen} })
}

// askReleased calls Options.Released for the open session when msg is for
// it (a tea.Cmd: the call reads the lock).
func (m Model) askReleased(msg releasedDueMsg) tea.Cmd {
	if msg.gen != m.gen || m.sess == nil || m.opts.Released == nil {
		return nil
	}
	gen, slug, fn := m.gen, m.sess.Slug, m.opts.Released
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), releasedTimeout)
		defer cancel()
		released, watch := fn(ctx, slug)
		return releasedMsg{gen: gen, released: released, watch: watch}
	}
}

// releasedAnswered records Released's answer, which stands once the
// watch ends, and keeps watching while it says to. Held again after it was
// let go, the session is another cyclezero's, not the one the reason
// given at open names (see heldAgain).
func (m *Model) releasedAnswered(msg releasedMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil // for a session no longer open
	}
	if m.released && !msg.released {
		m.heldAgain = true
	}
	m.released = msg.released
	if !msg.watch {
		return nil
	}
	return m.watchReleased()
}
