package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/ui"
)

// errInterrupted ends a wizard or dashboard left with ctrl+c or a signal
// (SIGINT, SIGTERM); it maps to exit 130 (143 after SIGTERM: see
// signalExit) and prints nothing more: the wizard's resume hint, or what
// to run instead, is printed before it is returned.
var errInterrupted = fmt.Errorf("interrupted: %w", context.Canceled)

// maxLineWidth is the widest accessible mode wraps its text, for reading.
const maxLineWidth = 100

// runWizard runs the full-screen wizard until the user quits, then prints
// how to come back. In accessible mode the wizard is ui.RunAccessible's
// line prompts and plain text instead.
func runWizard(ctx context.Context, std stdio, g *globalFlags, ws workspace, m *sessions, opts ui.Options) error {
	defer m.release(std.err)
	var out ui.Outcome
	if g.isAccessible() {
		if opts.Width == 0 {
			opts.Width = terminalWidth(std.out) // wrap to the terminal
		}
		out = ui.RunAccessible(ctx, std.in, std.out, opts)
	} else {
		var err error
		out, err = runTUI(ctx, std, opts)
		// The full-screen wizard is gone now: what was opened in it
		// can be said where the user sees it.
		m.tellPending(std.err)
		if err != nil {
			return err
		}
	}
	m.tellPending(std.err) // accessible mode, and before the resume hint
	// The hints keep --accessible when it was given (ws carries it).
	switch reason, unwritable, ro := m.readOnly(out.Slug); {
	case out.Slug == "":
		fmt.Fprint(std.out, noSessionExit(ws, opts.Sessions, chosenCatalogArgs(opts.Catalog)...))
	case ro && !unwritable:
		// The other cyclezero may have quit while this one ran: ask again
		// rather than blame it, and say who has it now when someone does.
		if h, held := state.SessionHolder(ws.StateDir, out.Slug); held {
			fmt.Fprint(std.out, readOnlyExit(ws, out.Slug, h.String(), false))
		} else {
			fmt.Fprint(std.out, releasedExit(ws, out.Slug, reason))
		}
	case ro:
		fmt.Fprint(std.out, readOnlyExit(ws, out.Slug, reason, unwritable))
	case errors.As(out.Err, new(*state.DamagedError)):
		// Resuming fails until the file is restored: the error says how,
		// and then to resume (see saveExitError).
	default:
		fmt.Fprint(std.out, resumeHint(ws, out.Slug))
	}
	if out.Err != nil {
		return saveExitError(ws, out.Slug, out.Err)
	}
	if out.Interrupted {
		return errInterrupted
	}
	return nil
}

// saveExitError says that the save on quitting failed, with err's fix. A
// session file damaged under the running wizard is said with its fix
// first, then how to resume once that is done (a resume before it fails).
// err is the save's own error: the wizard keeps its wording on screen.
func saveExitError(ws workspace, slug string, err error) error {
	const failed = "the session could not be saved on exit: %w"
	var damaged *state.DamagedError
	if errors.As(err, &damaged) {
		fix := ws.sessionErr(slug, damaged) // the start-over command as the user runs cyclezero
		if damaged.Backup == "" {
			return fmt.Errorf(failed, fix) // it ends with starting over, not resuming
		}
		// On a line of its own: the fix ends with a command (cp) that a
		// comma would stick to.
		return fmt.Errorf(failed+"\n  then resume with: %s", fix, ws.command("resume", state.ShellQuote(slug)))
	}
	return fmt.Errorf(failed, err)
}

// runTUI runs the bubbletea wizard and returns how it ended. A signal
// ends it as ctrl+c does (see runLeaving), so the hint after it is the same.
func runTUI(ctx context.Context, std stdio, opts ui.Options) (ui.Outcome, error) {
	final, err := runLeaving(ctx, std, ui.New(opts), leaveGrace)
	model, ok := final.(ui.Model)
	switch {
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil && ok:
		// Stopped after leaveGrace: the model it had still names the
		// session to resume, but its last move may not be on disk.
		fmt.Fprintf(std.err, "cyclezero: the wizard was stopped %s after the signal, still saving; "+
			"the phase last selected may not have been saved\n", leaveGrace)
		out := model.Outcome()
		out.Quit, out.Interrupted = true, true
		return out, nil
	case err != nil:
		return ui.Outcome{}, fmt.Errorf("run the wizard: %w", err)
	case !ok:
		return ui.Outcome{}, fmt.Errorf("run the wizard: it ended without its model (%T)", final)
	}
	return model.Outcome(), nil
}

// leaveGrace is how long a program told to leave by a signal may take to
// save and quit before it is stopped anyway. Saving is local file work of
// milliseconds: only something stuck (a hung disk) takes this long, and it
// must not keep a process that was told to end alive.
const leaveGrace = 5 * time.Second

// runLeaving runs model full screen on std until it quits, and returns its
// final model. When ctx ends first (SIGTERM, or SIGINT from outside the
// terminal: runWithSignals cancels it) the model is sent ui.LeaveMsg and
// leaves as on ctrl+c, saving what is pending; if it has not quit within
// grace (leaveGrace) the program is stopped (the error wraps
// tea.ErrProgramKilled) and the model it had is returned. bubbletea's own
// signal handler is off: it quits without asking the model, losing the
// pending save, and raced runWithSignals' cancel of ctx, which killed the
// program with its model.
func runLeaving(ctx context.Context, std stdio, model tea.Model, grace time.Duration) (tea.Model, error) {
	progCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	p := tea.NewProgram(model, tea.WithContext(progCtx), tea.WithoutSignalHandler(),
		tea.WithInput(std.in), tea.WithOutput(std.out))
	ended, watched := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(watched)
		select {
		case <-ended:
			return
		case <-ctx.Done():
		}
		// Send blocks until the program reads it or ends: the grace
		// starts now whatever the program is doing.
		go p.Send(ui.LeaveMsg{Interrupted: true})
		timer := time.NewTimer(grace)
		defer timer.Stop()
		select {
		case <-ended:
		case <-timer.C:
			stop()
		}
	}()
	keepTitle := isTTY(std.out)
	if keepTitle {
		// bubbletea clears the window title it set to "" on exit rather
		// than restoring the one before it; xterm's title stack (ignored
		// by terminals without one) gives the shell its title back.
		_, _ = io.WriteString(std.out, pushTitle)
	}
	final, err := p.Run()
	if keepTitle {
		_, _ = io.WriteString(std.out, popTitle)
	}
	close(ended)
	<-watched
	return final, err
}

// pushTitle and popTitle save the terminal's window and icon titles on its
// title stack and restore them (xterm's window operations 22 and 23).
const (
	pushTitle = "\x1b[22;0t"
	popTitle  = "\x1b[23;0t"
)

// resumeHint tells the user how to come back to slug, spelled the way they
// ran this cyclezero (see program) and with -C when they are elsewhere.
func resumeHint(ws workspace, slug string) string {
	return "Resume with: " + ws.command("resume", state.ShellQuote(slug)) + "\n"
}

// readOnlyExit is what quitting a read-only session prints: nothing was
// saved, why, and how to reopen it once it is free (or, when unwritable,
// once it can be written).
func readOnlyExit(ws workspace, slug, reason string, unwritable bool) string {
	if reason == "" {
		reason = "open in another cyclezero"
	}
	resume := ws.command("resume", state.ShellQuote(slug))
	if unwritable {
		return fmt.Sprintf("Nothing was saved: session %s is %s, so it was read-only here.\n"+
			"Once it can be written, resume with: %s\n", slug, reason, resume)
	}
	return fmt.Sprintf("Nothing was saved: session %s is %s, so it was read-only here.\n"+
		"Carry on in that cyclezero, or once it has quit, resume with: %s\n", slug, reason, resume)
}

// releasedExit is what quitting a session that was read-only here because
// another cyclezero had it (reason) prints once that cyclezero has quit:
// nothing from this window was saved, and the session is free to resume.
func releasedExit(ws workspace, slug, reason string) string {
	if reason == "" {
		reason = "open in another cyclezero"
	}
	return fmt.Sprintf("Nothing from this window was saved: session %s was %s when it opened here, so it was read-only.\n"+
		"The other cyclezero has quit since; resume with: %s\n", slug, reason, ws.command("resume", state.ShellQuote(slug)))
}

// noSessionExit is what leaving without opening a session prints: that
// nothing was made or opened, and the commands that start one, each at the
// end of a line of its own so no punctuation sticks to it when copied.
// resume is offered only when a session it could open is listed: it skips
// the ones that cannot be read. The commands keep the catalog flags the
// session was to be started with (catalogArgs), so leaving the form loses
// nothing typed.
func noSessionExit(ws workspace, listed []ui.SessionChoice, catalogArgs ...string) string {
	switch {
	case readableCount(listed) > 0:
		return fmt.Sprintf("No session opened.\nChoose one with: %s\nOr open the most recent with: %s\n",
			ws.command(catalogArgs...), ws.command("resume"))
	case len(listed) > 0:
		return fmt.Sprintf("No session opened.\nChoose one or start a new one with: %s\n", ws.command(catalogArgs...))
	}
	var b strings.Builder
	b.WriteString("No session created.\n")
	if len(catalogArgs) > 0 {
		fmt.Fprintf(&b, "Start one with: %s\nOr to choose another catalog in the form: %s\n",
			ws.command(append([]string{"new"}, catalogArgs...)...), ws.command("new"))
	} else {
		fmt.Fprintf(&b, "Start one with: %s\n", ws.command("new"))
	}
	fmt.Fprintf(&b, "Or try the demo first: %s\n", commandLine("", withAccessible(ws.accessible, []string{"demo"})...))
	return b.String()
}

// chosenCatalogArgs are the catalog flags that name loc, the catalog the
// command line chose for a new session (none when it chose none).
func chosenCatalogArgs(loc *state.CatalogLocation) []string {
	switch {
	case loc == nil:
		return nil
	case loc.Kind == state.CatalogERMrest:
		return []string{"--host", state.ShellQuote(loc.Host), "--catalog", state.ShellQuote(loc.CatalogID)}
	}
	return []string{"--local"}
}

// readableCount is how many of the listed sessions can be opened (have no
// Problem).
func readableCount(listed []ui.SessionChoice) int {
	n := 0
	for _, c := range listed {
		if c.Problem == "" {
			n++
		}
	}
	return n
}
