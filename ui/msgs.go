package ui

import "github.com/cyclezero/cyclezero/state"

// LeaveMsg makes the program (Model or Watch) end as if the user had
// left: the wizard saves the phase selected and not yet saved, then quits,
// so its Outcome names the session to resume. cmd sends it when a signal
// (SIGTERM, or SIGINT from outside the terminal) ends the command: the
// program runs without bubbletea's own signal handler, which quits without
// asking the model and so loses the pending save.
type LeaveMsg struct {
	// Interrupted marks the Outcome (or Watch) interrupted, as ctrl+c does.
	Interrupted bool
}

// Messages that cross screens or come back from I/O. Every async result
// carries the id of the request (or session generation) that asked for it;
// the root drops results whose id is no longer the one it waits for.
type (
	// openSessionMsg: the picker asks the root to open slug.
	openSessionMsg struct{ slug string }
	// cancelOpenMsg: the user stopped waiting for a session to open.
	cancelOpenMsg struct{}
	// newSessionMsg: the picker asks for the new-session form.
	newSessionMsg struct{}
	// backToPickerMsg: the form asks to return to the picker (esc), or to
	// leave when there is none.
	backToPickerMsg struct{}
	// cancelCreateMsg: the user stopped waiting for the session to be
	// created (esc while the form is busy).
	cancelCreateMsg struct{}
	// formSubmittedMsg: the form completed with valid answers.
	formSubmittedMsg struct{ ns NewSession }

	// sessionOpenedMsg is Options.Open's answer to request id.
	sessionOpenedMsg struct {
		id       int
		slug     string
		sess     *state.Session
		readOnly bool
		reason   string
		// workspace is Options.SessionWorkspace's answer ("" for none).
		workspace string
		err       error
	}
	// releasedDueMsg says it is time to ask Options.Released again about
	// session generation gen.
	releasedDueMsg struct{ gen int }
	// releasedMsg is Options.Released's answer for session generation gen.
	releasedMsg struct {
		gen             int
		released, watch bool
	}
	// sessionCreatedMsg is Options.Create's answer to request id.
	sessionCreatedMsg struct {
		id   int
		sess *state.Session
		err  error
	}
	// fingerprintMsg is Options.Fingerprint's answer for session generation gen.
	fingerprintMsg struct {
		gen int
		fp  state.Fingerprint
		err error
	}
	// saveDueMsg says the selection has stayed put for Options.SaveDelay
	// since move seq of session generation gen: time to save it.
	saveDueMsg struct{ gen, seq int }
	// savedMsg is Options.Save's answer for session generation gen, after
	// saving the snapshot whose current phase was current.
	savedMsg struct {
		gen     int
		current string
		err     error
	}
)
