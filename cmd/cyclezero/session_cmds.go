package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
	"github.com/cyclezero/cyclezero/ui"
)

// catalogFlags select a catalog: --local, or --host with --catalog.
type catalogFlags struct {
	local     bool
	host      string
	catalogID string
}

func (f *catalogFlags) register(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.local, "local", false, "use the embedded local catalog (offline; the default when no --host is given)")
	cmd.Flags().StringVar(&f.host, "host", "", "Deriva server: name or https://name (http://127.0.0.1:PORT for a local server)")
	cmd.Flags().StringVar(&f.catalogID, "catalog", "", "catalog id or alias on --host")
}

// args are the catalog flags as given, for a command suggested back to
// the user (their server, not the local catalog in its place).
func (f *catalogFlags) args() []string {
	var out []string
	if f.local {
		out = append(out, "--local")
	}
	if f.host != "" {
		out = append(out, "--host", state.ShellQuote(f.host))
	}
	if f.catalogID != "" {
		out = append(out, "--catalog", state.ShellQuote(f.catalogID))
	}
	return out
}

// given reports whether any catalog flag was used.
func (f *catalogFlags) given() bool { return f.local || f.host != "" || f.catalogID != "" }

// location validates the flags into a catalog location for a session (the
// local file's path is filled in when the session is created). A session
// writes to its catalog, so a snapshot (--catalog ID@SNAPSHOT), which is
// read-only, is refused.
func (f *catalogFlags) location() (state.CatalogLocation, error) { return f.resolve(false) }

// readLocation is location for commands that only read: --catalog may also
// name a snapshot, ID@SNAPSHOT, as deriva-py's connect_ermrest accepts.
func (f *catalogFlags) readLocation() (state.CatalogLocation, error) { return f.resolve(true) }

func (f *catalogFlags) resolve(snapshotOK bool) (state.CatalogLocation, error) {
	switch {
	case f.local && (f.host != "" || f.catalogID != ""):
		return state.CatalogLocation{}, usagef("--local and --host/--catalog are exclusive")
	case f.host != "" || f.catalogID != "":
		if f.host == "" || f.catalogID == "" {
			return state.CatalogLocation{}, usagef("a Deriva server needs both --host and --catalog")
		}
		// The host keeps its case as typed: deriva's credential file is
		// keyed by it (then lower-cased), and a session reopens its
		// catalog from the host stored here.
		host, err := steps.NormalizeHostKeepCase(f.host)
		if err != nil {
			return state.CatalogLocation{}, usageError{fmt.Errorf("--host: %w", err)}
		}
		id, err := checkCatalogFlag(f.catalogID, snapshotOK)
		if err != nil {
			return state.CatalogLocation{}, err
		}
		return state.CatalogLocation{Kind: state.CatalogERMrest, Host: host, CatalogID: id}, nil
	}
	return state.CatalogLocation{Kind: state.CatalogLocal}, nil
}

// checkCatalogFlag validates --catalog: an id or alias, or with snapshotOK
// also ID@SNAPSHOT, whose snapshot must decode as an ERMrest snaptime.
// It returns the value trimmed of spaces.
func checkCatalogFlag(value string, snapshotOK bool) (string, error) {
	v := strings.TrimSpace(value)
	id, snap, isSnap := strings.Cut(v, "@")
	if err := steps.ValidateCatalogID(id); err != nil {
		return "", usageError{fmt.Errorf("--catalog: %w", err)}
	}
	if !isSnap {
		return v, nil
	}
	if !snapshotOK {
		return "", usagef("--catalog %s names a snapshot of catalog %s, and a snapshot is read-only: "+
			"a session writes to its catalog, so give the live one: --catalog %s", state.ShellQuote(v), id, state.ShellQuote(id))
	}
	if _, err := catalog.SnaptimeTime(snap); err != nil {
		return "", usagef("--catalog %s: %q is not a snapshot id (ERMrest's base32 snaptime, like 2PX-WS30-E58W): %w",
			state.ShellQuote(v), snap, err)
	}
	return v, nil
}

// runDefault is bare `cyclezero`: the picker when the repo has sessions,
// else the new-session form. Catalog flags choose a new session's catalog,
// so the form (also the picker's) asks only the slug; a saved session
// opened from the picker keeps its own catalog, which the picker shows
// beside it, so nothing more is said about the flags then.
// Without a terminal (outside accessible mode, which needs none) it says
// what works instead: status --plain when there are readable sessions to
// show, else the new command that needs no terminal (and the fix of any
// session that cannot be read); with catalog flags always that new
// command, on their catalog.
func runDefault(ctx context.Context, std stdio, g *globalFlags, cf *catalogFlags) error {
	chosen, err := chosenCatalog(cf)
	if err != nil {
		return err
	}
	ws, err := locate(ctx, g)
	if err != nil {
		return err
	}
	m := newSessions(ws)
	choices, err := m.choices()
	if err != nil {
		return err
	}
	if !std.interactive(g) {
		if chosen != nil { // status --plain would drop the flags: they are for a new session
			return needTerminalOnCatalog(ws, "the wizard", choices, cf)
		}
		if readableCount(choices) == 0 { // status --plain would have nothing to show
			return unreadableToo(needTerminalToCreate(ws, "the wizard", takenSlugs(choices)), choices)
		}
		return needTerminal(ws, "the wizard")
	}
	opts := m.uiOptions()
	opts.Sessions, opts.Catalog = choices, chosen
	return runWizard(ctx, std, g, ws, m, opts)
}

// unreadableToo adds to e what is wrong with each listed session that
// cannot be read, with its fix, so a damaged file is not passed over.
func unreadableToo(e noTerminalError, choices []ui.SessionChoice) noTerminalError {
	for _, c := range choices {
		if c.Problem != "" {
			// A line of its own: instead ends with a command.
			e.instead += fmt.Sprintf("\n  session %s cannot be opened: %s", c.Slug, c.Problem)
		}
	}
	return e
}

// takenSlugs are the slugs of the listed sessions.
func takenSlugs(choices []ui.SessionChoice) map[string]bool {
	taken := make(map[string]bool, len(choices))
	for _, c := range choices {
		taken[c.Slug] = true
	}
	return taken
}

func newNewCmd(std stdio, g *globalFlags) *cobra.Command {
	var cf catalogFlags
	cmd := &cobra.Command{
		Use:   "new [slug]",
		Short: "Start a new session (the form asks for the catalog and the model's slug)",
		Long: `Start a new cycle-zero session for a model in this repository.

Without arguments a form asks where the catalog is and for the model's slug;
with --local, or --host and --catalog, it asks only the slug. With a slug
(and optionally --host and --catalog; the embedded local catalog is the
default) the session is created directly, which also works without a
terminal (for scripts).`,
		Args:              maxArgs(1, "the slug"),
		ValidArgsFunction: cobra.NoFileCompletions, // a new slug: nothing to offer
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			slug := firstArg(args)
			var chosen *state.CatalogLocation
			if slug == "" {
				var err error
				if chosen, err = chosenCatalog(&cf); err != nil {
					return err
				}
			}
			if err := steps.RequireGit(needGitForSession); err != nil {
				return err // before the form: it could only end in this error
			}
			ws, err := locate(ctx, g)
			if err != nil {
				return err
			}
			m := newSessions(ws)
			if slug == "" {
				choices, err := m.choices()
				if err != nil {
					return err
				}
				switch {
				case !std.interactive(g) && chosen != nil:
					// No form to ask the slug in: name the command with
					// one, on the catalog the flags chose.
					return needTerminalOnCatalog(ws, "new (without a slug)", choices, &cf)
				case !std.interactive(g):
					return needTerminalToCreate(ws, "new (without a slug)", takenSlugs(choices))
				}
				opts := m.uiOptions()
				opts.Sessions, opts.StartNew, opts.Catalog = choices, true, chosen
				return runWizard(ctx, std, g, ws, m, opts)
			}
			if err := state.ValidateSlug(slug); err != nil {
				return usageError{err}
			}
			loc, err := cf.location()
			if err != nil {
				return err
			}
			s, err := m.create(ctx, ui.NewSession{Slug: slug, Catalog: loc})
			if err != nil {
				return err
			}
			fmt.Fprintf(std.out, "Created session %s.\nCatalog: %s\n", s.Slug, describeCatalog(s.Catalog))
			// Opened only in a terminal, even in accessible mode: a script
			// running new SLUG in a loop must not have its stdin read as
			// the session view's commands.
			if !std.terminal() {
				m.release(std.err)
				fmt.Fprint(std.out, resumeHint(ws, s.Slug))
				return nil
			}
			return runWizard(ctx, std, g, ws, m, m.wizardOptions(ctx, s, false, ""))
		},
	}
	cf.register(cmd)
	return cmd
}

func newResumeCmd(std stdio, g *globalFlags) *cobra.Command {
	var cf catalogFlags
	cmd := &cobra.Command{
		Use:   "resume [slug]",
		Short: "Re-open a session where you left it (without a slug, the one used last)",
		Long: `Re-open a saved session at the phase you were on when you left it, with every
answer and result restored; if an earlier phase has gone stale since, it opens
there instead, since that phase needs attention first.

Without a slug it opens the session of this repository used most recently:
opening a session and moving between its phases save it, so that is the last
one you had open. Sessions whose file cannot be read are skipped with a
warning. If another cyclezero has the session open, this one opens it
read-only and says so.

With --host and --catalog it first points the session, which must be on a
Deriva server, at its catalog's new place (a server that moved), once the
catalog there answers, and says what changed; without a terminal it stops
there. The session is named: resume SLUG --host HOST --catalog ID.`,
		Args:              maxArgs(1, "the slug"),
		ValidArgsFunction: g.completeSlug,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			repoint := cf.host != "" || cf.catalogID != ""
			var loc state.CatalogLocation
			if repoint {
				var err error
				if loc, err = cf.location(); err != nil {
					return err
				}
				if len(args) == 0 {
					return usagef("--host and --catalog point a session at its catalog's new place: name the session: %s",
						g.command(append([]string{"resume", "SLUG"}, cf.args()...)...))
				}
			}
			ws, err := locate(ctx, g)
			if err != nil {
				return err
			}
			ws.headless = !std.interactive(g)
			slug, err := ws.pickSlug(firstArg(args), std.err)
			if err != nil {
				return err // before the terminal check: a wrong slug is said as such
			}
			if repoint {
				if err := newSessions(ws).repoint(ctx, std, slug, loc, &cf); err != nil {
					return err
				}
				if !std.interactive(g) { // the change was asked for; opening it needs a terminal
					fmt.Fprint(std.out, resumeHint(ws, slug))
					return nil
				}
			}
			if !std.interactive(g) {
				if len(args) > 0 {
					if _, err := ws.load(slug); err != nil {
						return err // status --plain would only fail the same way
					}
				}
				return needTerminal(ws, "resume", args...)
			}
			m := newSessions(ws)
			s, ro, reason, err := m.open(ctx, slug)
			if err != nil {
				return err
			}
			return runWizard(ctx, std, g, ws, m, m.wizardOptions(ctx, s, ro, reason))
		},
	}
	f := cmd.Flags()
	f.StringVar(&cf.host, "host", "", "point the session at its server catalog's new place: Deriva server (name or https://name)")
	f.StringVar(&cf.catalogID, "catalog", "", "with --host: the catalog id or alias there")
	return cmd
}
