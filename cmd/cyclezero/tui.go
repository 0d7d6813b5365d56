package main

import (
	"context"
	"errors"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/cyclezero/cyclezero/ui"
)

// errInterrupted ends a wizard the user interrupted; it maps to exit 130
// and prints nothing more (the resume hint was printed).
var errInterrupted = fmt.Errorf("interrupted: %w", context.Canceled)

// runWizard runs the full-screen wizard until the user quits, then prints
// how to come back.
func runWizard(ctx context.Context, io stdio, ws workspace, m *sessions, opts ui.Options) error {
	defer m.close()
	p := tea.NewProgram(ui.New(opts), tea.WithContext(ctx), tea.WithInput(io.in), tea.WithOutput(io.out))
	final, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return ctx.Err()
	}
	interrupted := errors.Is(err, tea.ErrInterrupted)
	if err != nil && !interrupted {
		return fmt.Errorf("run the wizard: %w", err)
	}
	model, ok := final.(ui.Model)
	if !ok {
		return fmt.Errorf("run the wizard: it ended without its model (%T)", final)
	}
	out := model.Outcome()
	interrupted = interrupted || out.Interrupted
	if out.Slug != "" {
		if reason, ro := m.readOnly(out.Slug); ro {
			fmt.Fprint(io.out, readOnlyExit(ws, out.Slug, reason))
		} else {
			fmt.Fprint(io.out, resumeHint(ws, out.Slug))
		}
	}
	if out.Err != nil {
		return fmt.Errorf("the session could not be saved on exit: %w", out.Err)
	}
	if interrupted {
		return errInterrupted
	}
	return nil
}

// resumeHint tells the user how to come back to slug, spelled the way they
// ran this cyclezero (see program) and with -C when they are elsewhere.
func resumeHint(ws workspace, slug string) string {
	return "Resume with: " + ws.command("resume", slug) + "\n"
}

// readOnlyExit is what quitting a read-only session prints: nothing was
// saved, where the session is open, and how to reopen it once it is free.
func readOnlyExit(ws workspace, slug, reason string) string {
	if reason == "" {
		reason = "open in another cyclezero"
	}
	return fmt.Sprintf("Nothing was saved: session %s is %s, so it was read-only here.\n"+
		"Carry on in that cyclezero, or once it has quit, resume with: %s\n", slug, reason, ws.command("resume", slug))
}
