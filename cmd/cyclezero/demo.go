package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

func newDemoCmd(std stdio, g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "demo [DIR]",
		Short: "Try cyclezero offline: a demo model repo with a seeded local catalog",
		Long: `Create a demo workspace and open the wizard in it: a git repository laid out
like the DerivaML model template, an embedded local catalog seeded with a small
labelled imaging domain (about 1,000 images, an imbalanced Diagnosis
vocabulary, a few unlabelled images and a rare class), and a session for the
model "diagnosis-classifier". Works offline on a fresh machine.

DIR (or -C DIR) defaults to a new temporary directory; it must be new, empty
or an earlier demo. Running demo again on the same DIR resumes its session.`,
		Args: maxArgs(1, "the directory"),
		// DIR is a directory: the shell offers only those.
		ValidArgsFunction: completeDir,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			// Before demoDir, which may make a temporary directory.
			if err := steps.RequireGit("create the demo workspace (it is a git repository)"); err != nil {
				return err
			}
			dir, err := demoDir(cmd, g, firstArg(args))
			if err != nil {
				return err
			}
			if err := prepareDemoDir(dir, g.accessible); err != nil {
				return err
			}
			s, ws, m, err := setUpDemo(ctx, dir, g.accessible)
			if err != nil {
				if ctx.Err() != nil {
					// The directory is there, half made: say how to finish it
					// (demo resumes an earlier demo), then exit 130 (or 143).
					named := firstArg(args) != "" || cmd.Flag("repo") != nil && cmd.Flag("repo").Changed
					fmt.Fprintln(std.err, interruptedDemo(dir, named, g.accessible))
					return ctx.Err()
				}
				return err
			}
			// The session's own worktree: a demo started in the main
			// checkout is judged against it, whichever worktree DIR is.
			fmt.Fprintf(std.out, "Demo workspace: %s\nCatalog:        %s\nSession:        %s\n",
				ws.rootOf(ctx, s.session), describeCatalog(s.session.Catalog), s.session.Slug)
			// Like new SLUG, the wizard opens only in a terminal: demo sets
			// up in scripts too, and must not read their stdin as commands.
			if !std.terminal() {
				m.release(std.err) // says what is pending (see tellPending) first
				where := "In a terminal, open it with"
				// With --accessible the suggested command carries the flag, and
				// its line prompts need no terminal. ACCESSIBLE=1 is not in
				// the command: it may have been set for this one run only.
				if g.accessible {
					where = "Open it with"
				}
				fmt.Fprintf(std.out, "\nNo terminal here, so the wizard did not start. %s:\n  %s\n"+
					"Or see where it stands with: %s\n", where, ws.command("resume", s.session.Slug), ws.command("status", "--plain", s.session.Slug))
				return nil
			}
			return runWizard(ctx, std, g, ws, m, m.wizardOptions(ctx, s.session, s.readOnly, s.reason))
		},
	}
}

// demoSession is the demo's session as setUpDemo opened it.
type demoSession struct {
	session  *state.Session
	readOnly bool
	reason   string
}

// setUpDemo makes dir a demo: the repository, its seeded catalog and the
// session, each step skipped or finished when an earlier demo did it.
// A directory that holds something and is not a demo is the argument's
// fault: a usage error.
func setUpDemo(ctx context.Context, dir string, accessible bool) (demoSession, workspace, *sessions, error) {
	if _, err := steps.CreateDemoWorkspace(ctx, dir); err != nil {
		var notDemo *steps.NotDemoDirError
		if errors.As(err, &notDemo) {
			return demoSession{}, workspace{}, nil, usageError{fmt.Errorf("%w: pass an empty or new directory to %s", err,
				commandLine("", withAccessible(accessible, []string{"demo"})...))}
		}
		return demoSession{}, workspace{}, nil, err
	}
	ws, err := locate(ctx, &globalFlags{repo: dir, accessible: accessible})
	if err != nil {
		return demoSession{}, workspace{}, nil, err
	}
	m := newSessions(ws)
	slug := steps.DemoSlug
	catalogPath := state.LocalCatalogPath(ws.StateDir, slug)
	if _, err := seedDemoCatalog(ctx, catalogPath); err != nil {
		// The first thing made under the state dir: a git dir that
		// cannot be written is met here; say whose permissions to check.
		return demoSession{}, workspace{}, nil, state.ExplainPermission(ws.StateDir, err)
	}
	s, ro, reason, err := m.open(ctx, slug)
	if errors.Is(err, state.ErrNotFound) {
		s, err = m.createWith(slug, state.CatalogLocation{Kind: state.CatalogLocal, Path: catalogPath})
	}
	if err != nil {
		return demoSession{}, workspace{}, nil, err
	}
	return demoSession{session: s, readOnly: ro, reason: reason}, ws, m, nil
}

// seedDemoCatalog makes and seeds the demo's embedded catalog. A variable
// so that a test can fail it as an unwritable state dir would (root, which
// tests may run as, ignores file modes).
var seedDemoCatalog = steps.SeedDemoCatalog

// interruptedDemo says that dir is a demo cut short and how to finish it:
// demo DIR again (demo resumes an earlier demo), spelled as the user runs
// cyclezero. named says the user gave DIR, so it is run "again". Cut
// short before the demo's files were written, dir is not one demo
// recognises: it must be emptied first.
func interruptedDemo(dir string, named, accessible bool) string {
	again := " again"
	if !named {
		again = ""
	}
	run := commandLine("", withAccessible(accessible, []string{"demo", state.ShellQuote(dir)})...)
	// The command ends the message: a word or mark after it would be
	// copied with it.
	if !steps.HasDemoReadme(dir) {
		return fmt.Sprintf("interrupted: %s is a partial demo that demo cannot finish; empty it, then run%s: %s", dir, again, run)
	}
	return fmt.Sprintf("interrupted: %s is a partial demo; to finish it, run%s: %s", dir, again, run)
}

// demoDir is the demo's directory, absolute: DIR, or -C DIR (the same
// thing said the global way), or a new temporary directory. Both naming
// different directories is a usage error.
func demoDir(cmd *cobra.Command, g *globalFlags, arg string) (string, error) {
	fromC := ""
	if f := cmd.Flag("repo"); f != nil && f.Changed {
		fromC = g.repo
	}
	switch {
	case arg != "" && fromC != "" && !sameTarget(arg, fromC):
		return "", usagef("demo %s and -C %s name different directories: give the demo's directory once", arg, fromC)
	case arg == "":
		arg = fromC
	}
	if arg == "" {
		tmp, err := os.MkdirTemp("", "cyclezero-demo-")
		if err != nil {
			return "", tempDirError(g.accessible, err)
		}
		arg = tmp
	}
	dir, err := filepath.Abs(arg)
	if err != nil {
		return "", fmt.Errorf("demo directory %s: %w", arg, err)
	}
	return dir, nil
}

// sameTarget reports whether two paths name the same directory, whether
// or not it exists yet.
func sameTarget(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	ab, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && (aa == ab || sameDir(aa, ab))
}

// prepareDemoDir makes sure dir is a directory the demo can go in,
// creating it when missing. A path that cannot be read or created (a file,
// a read-only or special place like /proc) is the argument's fault: a
// usage error that says to choose another.
func prepareDemoDir(dir string, accessible bool) error {
	another := "choose another: " + demoCommand(accessible, "DIR")
	_, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return usageError{fmt.Errorf("cannot create the demo directory %s (%w); %s", dir, osReason(err), another)}
		}
	case err != nil:
		if fi, serr := os.Stat(dir); serr == nil && !fi.IsDir() {
			return usagef("%s is a file: give %s a new or empty directory", dir, demoCommand(accessible))
		}
		return usageError{fmt.Errorf("cannot read the demo directory %s (%w); %s", dir, osReason(err), another)}
	}
	return nil
}

// tempDirError explains a temporary directory the demo could not make:
// usually TMPDIR naming a directory that is not there.
func tempDirError(accessible bool, err error) error {
	give := demoCommand(accessible, "DIR")
	tmp, set := os.LookupEnv("TMPDIR")
	_, serr := os.Stat(tmp)
	switch {
	case set && tmp != "" && errors.Is(serr, os.ErrNotExist):
		return fmt.Errorf("the temporary directory TMPDIR=%s does not exist: set TMPDIR to an existing directory, "+
			"or give the demo one: %s", tmp, give)
	case set && tmp != "":
		return fmt.Errorf("cannot create the demo in the temporary directory TMPDIR=%s (%w): set TMPDIR to a "+
			"writable directory, or give the demo one: %s", tmp, osReason(err), give)
	}
	return fmt.Errorf("cannot create the demo in the temporary directory %s (%w); give the demo a directory: %s",
		os.TempDir(), osReason(err), give)
}

// demoCommand spells `demo` and then args for a hint.
func demoCommand(accessible bool, args ...string) string {
	return commandLine("", withAccessible(accessible, append([]string{"demo"}, args...))...)
}

// osReason is the system's reason in err without the operation and path
// the message already names ("no such file or directory" rather than
// "mkdir /proc/x: no such file or directory"); it still wraps err.
func osReason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return reasonError{err: err, reason: pe.Err.Error()}
	}
	return err
}

// reasonError prints only reason, and is err for errors.Is.
type reasonError struct {
	err    error
	reason string
}

func (e reasonError) Error() string { return e.reason }
func (e reasonError) Unwrap() error { return e.err }
