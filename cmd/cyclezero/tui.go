package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/ui"
)

// runWizard runs the full-screen wizard until the user quits, then prints
// how to come back.
func runWizard(ctx context.Context, io stdio, ws workspace, m *sessions, opts ui.Options) error {
	defer m.close()
	p := tea.NewProgram(ui.New(opts), tea.WithContext(ctx), tea.WithInput(io.in), tea.WithOutput(io.out))
	final, err := p.Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil && !errors.Is(err, tea.ErrInterrupted) {
		return fmt.Errorf("run the wizard: %w", err)
	}
	out := final.(ui.Model).Outcome()
	if out.Slug != "" {
		fmt.Fprint(io.out, resumeHint(ws.RepoRoot, out.Slug))
	}
	if out.Err != nil {
		return fmt.Errorf("the session could not be saved on exit: %w", out.Err)
	}
	return nil
}

// resumeHint tells the user how to come back to slug. It names the repo
// when it is not the current directory, and the go run form when this
// binary was started by `go run` (so "cyclezero" may not be installed).
func resumeHint(repoRoot, slug string) string {
	args := "resume " + slug
	if wd, err := os.Getwd(); err != nil || !sameDir(wd, repoRoot) {
		args = "-C " + state.ShellQuote(repoRoot) + " " + args
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Resume with: cyclezero %s\n", args)
	if startedByGoRun() {
		fmt.Fprintf(&b, "  (from the cyclezero source tree: go run ./cmd/cyclezero %s)\n", args)
	}
	return b.String()
}

func sameDir(a, b string) bool {
	ra, err1 := filepath.EvalSymlinks(a)
	rb, err2 := filepath.EvalSymlinks(b)
	return err1 == nil && err2 == nil && ra == rb
}

// startedByGoRun reports whether the executable lives in the go command's
// temporary build directory.
func startedByGoRun() bool {
	exe, err := os.Executable()
	return err == nil && strings.Contains(exe, string(filepath.Separator)+"go-build")
}
