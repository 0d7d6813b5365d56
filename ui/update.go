package ui

import (
	"context"
	"errors"
	"fmt"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/cyclezero/cyclezero/steps"
)

// Update handles the root's own messages (size, background, global keys,
// screen changes and async results) and hands everything else to the
// active screen. It never blocks: I/O goes out as tea.Cmds.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.update(msg)
	m.relayout()
	return m, cmd
}

func (m *Model) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.setSize(msg.Width, msg.Height)
		return nil
	case tea.BackgroundColorMsg:
		*m.st = NewStylesFor(msg.IsDark(), m.st.Profile)
		m.help.Styles = m.st.Help
		return m.delegate(msg)
	case tea.ColorProfileMsg:
		// bubbletea sends the terminal's profile at start (and again if it
		// learns of true colour): on 16 colours the palette is picked by
		// hand, so the styles are rebuilt rather than left to downsampling.
		// The shared Styles change in place, as for the background.
		*m.st = NewStylesFor(m.st.IsDark, msg.Profile)
		m.help.Styles = m.st.Help
		return m.delegate(msg) // huh redraws its fields on any message
	case tea.KeyPressMsg:
		if m.tooSmall() && m.w > 0 && m.h > 0 {
			return m.keyWhileTooSmall(msg)
		}
		if cmd, handled := m.handleKey(msg); handled {
			return cmd
		}
	case newSessionMsg:
		m.stopOpen()
		m.screen = screenForm
		if m.form != nil {
			return nil // back to the form left with esc, answers and all
		}
		m.form = m.newForm()
		m.relayout()
		return m.form.Init()
	case backToPickerMsg:
		if m.picker == nil {
			// No sessions to go back to: esc leaves without creating one
			// (Outcome.Slug stays "", so cmd says how to start one).
			m.outcome.Quit = true
			return tea.Quit
		}
		m.pendingCreate = 0
		m.screen = screenPicker
		return nil
	case cancelOpenMsg:
		m.stopOpen()
		return nil
	case cancelCreateMsg:
		m.stopCreate()
		return nil
	case openSessionMsg:
		if m.screen != screenPicker {
			return nil // the user has moved on from the picker
		}
		return m.startOpen(msg.slug)
	case formSubmittedMsg:
		return m.startCreate(msg.ns)
	case sessionOpenedMsg:
		return m.sessionOpened(msg)
	case sessionCreatedMsg:
		return m.sessionCreated(msg)
	case fingerprintMsg:
		m.fingerprinted(msg)
		return nil
	case holdersDueMsg:
		return m.holdersDue()
	case holdersMsg:
		return m.holdersAnswered(msg)
	case releasedDueMsg:
		return m.askReleased(msg)
	case releasedMsg:
		return m.releasedAnswered(msg)
	case LeaveMsg:
		// As ctrl+c: save what is pending, then quit. A second one does not
		// skip the save (a signal repeated is not a user insisting).
		m.outcome.Interrupted = m.outcome.Interrupted || msg.Interrupted
		return m.quit()
	case saveDueMsg:
		return m.saveDue(msg)
	case savedMsg:
		return m.saved(msg)
	}
	return m.delegate(msg)
}

// delegate passes msg to the active screen and, in the wizard, persists a
// changed phase selection once it has settled.
func (m *Model) delegate(msg tea.Msg) tea.Cmd {
	_, cmd := m.active().Update(msg)
	if next := m.out.take(); next != nil {
		return tea.Batch(cmd, m.update(next))
	}
	// Only a move restarts the settle timer: other keys and messages (a
	// scroll, the terminal's colour answer) would otherwise put the save
	// off for as long as they keep coming.
	if m.screen == screenWizard && m.setCurrent(string(m.wiz.current())) {
		return tea.Batch(cmd, m.saveWhenSettled())
	}
	return cmd
}

// handleKey handles the global keys: ctrl+c everywhere; q and ? outside the
// form and the picker's filter line, where they are text, and outside a
// picker waiting for a session to open, where only esc (stop waiting) and
// ctrl+c work, as its help says.
func (m *Model) handleKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(k, m.km.ForceQuit):
		m.outcome.Interrupted = true
		if m.quitting { // a second ctrl+c does not wait for the save
			return tea.Quit, true
		}
		return m.quit(), true
	case m.screen == screenForm, m.screen == screenPicker && (m.picker.filtering || m.picker.opening != ""):
		return nil, false
	case key.Matches(k, m.km.Quit):
		return m.quit(), true
	case key.Matches(k, m.km.Help):
		m.help.ShowAll = !m.help.ShowAll
		if m.help.ShowAll {
			m.km.Help.SetHelp("?", "fewer keys")
		} else {
			m.km.Help.SetHelp("?", "more keys")
		}
		return nil, true
	}
	return nil, false
}

// keyWhileTooSmall handles a key while only the "too small" message shows:
// q and ctrl+c quit, as the message says; every other key is dropped, since
// typing into a form or moving through phases nobody can see helps no one.
func (m *Model) keyWhileTooSmall(k tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(k, m.km.ForceQuit):
		cmd, _ := m.handleKey(k)
		return cmd
	case key.Matches(k, m.km.Quit):
		return m.quit()
	}
	return nil
}

// quit ends the program, saving the current phase first when it changed.
func (m *Model) quit() tea.Cmd {
	m.stopOpen()
	m.stopCreate()
	m.outcome.Quit = true
	m.quitting = true
	if m.saving {
		return nil // saved() quits when the save in flight returns
	}
	if cmd := m.saveCmd(); cmd != nil {
		return cmd
	}
	return tea.Quit
}

// startOpen asks Options.Open for slug.
func (m *Model) startOpen(slug string) tea.Cmd {
	if m.opts.Open == nil {
		m.picker.err = errors.New("opening sessions is not available here")
		return nil
	}
	m.stopOpen() // a newer open replaces the one in flight
	m.nextReq++
	id, open, where := m.nextReq, m.opts.Open, m.opts.SessionWorkspace
	// The context is made here, not in the command, so Update can cancel it.
	ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
	m.pendingOpen, m.cancelOpen = id, cancel
	m.picker.opening, m.picker.err = slug, nil
	return func() tea.Msg {
		defer cancel()
		sess, ro, reason, err := open(ctx, slug)
		var workspace string
		if err == nil && sess != nil && where != nil {
			workspace = where(ctx, sess)
		}
		return sessionOpenedMsg{id: id, slug: slug, sess: sess, readOnly: ro, reason: reason, workspace: workspace, err: err}
	}
}

// stopOpen stops waiting for the open in flight, if any, and cancels its
// context so Options.Open gives up (and never adopts the session).
func (m *Model) stopOpen() {
	if m.cancelOpen != nil {
		m.cancelOpen()
		m.cancelOpen = nil
	}
	m.pendingOpen = 0
	if m.picker != nil {
		m.picker.opening = ""
	}
}

func (m *Model) sessionOpened(msg sessionOpenedMsg) tea.Cmd {
	if msg.id != m.pendingOpen || m.picker == nil {
		return nil // the user moved on
	}
	m.stopOpen() // done: this releases the context's timer and clears "Opening…"
	switch {
	case msg.err != nil:
		m.picker.err = fmt.Errorf("could not open %s: %w", msg.slug, msg.err)
		return nil
	case msg.sess == nil:
		m.picker.err = fmt.Errorf("could not open %s: no session came back", msg.slug)
		return nil
	}
	m.openSession(msg.sess, msg.readOnly, msg.reason)
	if msg.workspace != "" {
		m.workspace = msg.workspace // its own worktree (Options.SessionWorkspace)
	}
	return tea.Batch(m.fingerprintCmd(), m.watchReleased())
}

// startCreate asks Options.Create for a session from the form's answers.
func (m *Model) startCreate(ns NewSession) tea.Cmd {
	if m.opts.Create == nil {
		return m.form.failed(errors.New("creating sessions is not available here"))
	}
	m.nextReq++
	id, create := m.nextReq, m.opts.Create
	// The context is made here, not in the command, so esc can cancel it.
	ctx, cancel := context.WithTimeout(context.Background(), createTimeout)
	m.pendingCreate, m.cancelCreate = id, cancel
	return func() tea.Msg {
		defer cancel()
		sess, err := create(ctx, ns)
		return sessionCreatedMsg{id: id, sess: sess, err: err}
	}
}

// stopCreate cancels the create in flight, if any. Its answer is still
// awaited: the form shows "Stopping…" until it comes.
func (m *Model) stopCreate() {
	if m.cancelCreate != nil {
		m.cancelCreate()
		m.cancelCreate = nil
	}
}

func (m *Model) sessionCreated(msg sessionCreatedMsg) tea.Cmd {
	if msg.id != m.pendingCreate || m.form == nil {
		return nil
	}
	m.pendingCreate = 0
	m.stopCreate() // done: this releases the context's timer
	switch {
	case m.form.stopping && (msg.err != nil || msg.sess == nil):
		// Stopped by the user: whatever Create says now is about the
		// cancel, not about the answers.
		return m.form.stopped()
	case msg.err != nil:
		return m.form.failed(msg.err)
	case msg.sess == nil:
		return m.form.failed(errors.New("no session came back"))
	}
	m.openSession(msg.sess, false, "") // made here, so in Options.Workspace
	return m.fingerprintCmd()
}

// fingerprinted re-evaluates the phases against the fresh fingerprint.
func (m *Model) fingerprinted(msg fingerprintMsg) {
	if msg.gen != m.gen || m.wiz == nil {
		return // for a session no longer open
	}
	m.fp, m.fpErr = msg.fp, msg.err
	if msg.err != nil {
		return
	}
	moved := m.wiz.moved
	m.wiz.setStates(steps.Evaluate(m.sess, m.fp))
	if !moved {
		m.markCurrentSaved()
	}
}

// saved records a save's result and starts the next one if the selection
// moved meanwhile, or quits when the user was waiting to.
func (m *Model) saved(msg savedMsg) tea.Cmd {
	if msg.gen != m.gen {
		return nil
	}
	m.saving = false
	if msg.err != nil {
		// The prefix is for the screen only: cmd says the failure in its
		// own words around the underlying error.
		m.saveErr = fmt.Errorf("could not save the session: %w", msg.err)
		m.outcome.Err = msg.err
		if m.quitting {
			return tea.Quit
		}
		return nil // retried on the next change
	}
	m.saveErr, m.outcome.Err = nil, nil
	m.savedCurrent = msg.current
	if cmd := m.saveCmd(); cmd != nil {
		return cmd
	}
	if m.quitting {
		return tea.Quit
	}
	return nil
}
