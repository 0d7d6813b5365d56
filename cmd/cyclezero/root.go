package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/ui"
)

// stdio is the process's standard streams, swappable in tests.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// terminal reports whether both stdin and stdout are terminals.
func (s stdio) terminal() bool { return isTTY(s.in) && isTTY(s.out) }

// interactive reports whether the commands that prompt can run: in a
// terminal, or in accessible mode anywhere, since its line prompts read
// any input (a pipe, a file) and write plain lines any output takes.
func (s stdio) interactive(g *globalFlags) bool { return s.terminal() || g.isAccessible() }

// stdoutTerminal reports whether stdout is a terminal.
func (s stdio) stdoutTerminal() bool { return isTTY(s.out) }

func isTTY(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(f.Fd())
}

// globalFlags are accepted by every command.
type globalFlags struct {
	repo       string // working tree the session belongs to
	accessible bool   // --accessible: line prompts and plain text, no full-screen UI
}

// isAccessible reports whether accessible mode is on: --accessible,
// ACCESSIBLE set to anything but "", "0" or "false", or TERM=dumb. huh
// reads only TERM (a form made under TERM=dumb turns itself accessible),
// not ACCESSIBLE: its README suggests treating any non-empty ACCESSIBLE as
// on, which would make ACCESSIBLE=0 turn the mode on; cyclezero lets 0 and
// false mean off, as a user setting it that way would expect. A dumb
// terminal (an editor's shell, a plain serial console) cannot draw the
// full-screen views: no cursor movement, no alternate screen.
func (g *globalFlags) isAccessible() bool {
	return g.accessible || accessibleEnv(os.Getenv("ACCESSIBLE")) || dumbTerminal(os.Getenv("TERM"))
}

// accessibleEnv reads the ACCESSIBLE variable's value.
func accessibleEnv(v string) bool {
	v = strings.TrimSpace(v)
	return v != "" && v != "0" && !strings.EqualFold(v, "false")
}

// dumbTerminal reports whether the TERM value names a terminal without
// cursor control: "dumb", as huh checks it (and for which colorprofile,
// bubbletea's colour detection, writes no colour).
func dumbTerminal(term string) bool { return term == "dumb" }

// run parses args, runs the command and returns the exit code.
func run(ctx context.Context, args []string, std stdio) int {
	root := newRootCmd(std)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	printError(std.err, err)
	return exitCode(err)
}

func newRootCmd(std stdio) *cobra.Command {
	g := &globalFlags{}
	cf := &catalogFlags{} // as new takes them: DESIGN.md §1 makes cyclezero and cyclezero new the same way in
	root := &cobra.Command{
		Use:   "cyclezero",
		Short: "Walk a DerivaML model through cycle zero: start small, validate early, never skip a tier",
		Long: `cyclezero walks an ML researcher through cycle zero of a DerivaML pipeline:
specify the model, design the catalog schema, build a small development dataset,
validate features and labels, then a dry run (tier 1), a small-data run (tier 2)
and the first production run (tier 3), and check the results against the design.

Without a command it starts a new session, or offers the sessions of this repo.
The catalog flags (--local, or --host with --catalog) choose a new session's
catalog, so the new-session form asks only the model's slug; a saved session
opened from the list keeps its own catalog.`,
		Version:       versionString(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          unknownCommand,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDefault(cmd.Context(), std, g, cf)
		},
	}
	cf.register(root) // local flags: a subcommand that takes them registers its own
	root.PersistentFlags().StringVarP(&g.repo, "repo", "C", ".", "the model's git working tree")
	_ = root.MarkPersistentFlagDirname("repo") // the shell offers directories only (it cannot fail: the flag is defined)
	root.PersistentFlags().BoolVar(&g.accessible, "accessible", false,
		"screen-reader friendly: line prompts and plain text instead of full-screen views (also ACCESSIBLE=1, and TERM=dumb)")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w\n  see: %s", err, helpCommand(cmd))}
	})
	root.SetVersionTemplate("{{.Version}}\n")
	// Before the completion command is made: its subcommands keep the
	// output stream they find then.
	root.SetIn(std.in)
	root.SetOut(std.out)
	root.SetErr(std.err)
	root.AddCommand(
		newNewCmd(std, g),
		newResumeCmd(std, g),
		newStatusCmd(std, g),
		newDemoCmd(std, g),
		newVersionCmd(std),
		newCatalogCmd(std, g),
	)
	addCobraCommands(root)
	markUsage(root)
	return root
}

// chosenCatalog is the catalog the flags choose for a new session, nil
// when none was given: the new-session form then asks only the slug
// (ui.Options.Catalog). The flags are checked before anything else, since
// hints echo them back and must be commands that work.
func chosenCatalog(cf *catalogFlags) (*state.CatalogLocation, error) {
	if !cf.given() {
		return nil, nil
	}
	loc, err := cf.location()
	if err != nil {
		return nil, err
	}
	return &loc, nil
}

// needTerminalOnCatalog is the noTerminalError of a command that would
// have shown the new-session form with a catalog chosen by cf: it names
// the new command that creates the session on that catalog without a
// terminal, with the flags as given (never the local catalog in place of
// the user's server), and what is wrong with any unreadable session.
func needTerminalOnCatalog(ws workspace, command string, choices []ui.SessionChoice, cf *catalogFlags) noTerminalError {
	create := ws.command(newArgs(filepath.Base(ws.RepoRoot), takenSlugs(choices), cf)...)
	return unreadableToo(noTerminalError{command: command,
		instead: "to create a session on that catalog without one, run: " + create}, choices)
}

// newArgs are the arguments of the new command that creates a session on
// the catalog cf names: the slug the form would suggest (from the
// repository's directory name) when it is valid and not taken, else a
// SLUG placeholder, then the flags as given.
func newArgs(repoName string, taken map[string]bool, cf *catalogFlags) []string {
	slug := state.SuggestSlug(repoName)
	if slug == "" || state.ValidateSlug(slug) != nil || taken[slug] {
		slug = "SLUG"
	}
	return append([]string{"new", slug}, cf.args()...)
}
