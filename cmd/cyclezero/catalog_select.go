package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// catalogOpts are the flags every `catalog` subcommand takes.
type catalogOpts struct {
	catalogFlags
	db      string // local catalog file
	session string // take the catalog of this session
	asJSON  bool
	// chosen is the catalog location last resolved, so errors can say
	// which one it was when no flag named it; nil before.
	chosen *catalogChoice
}

func (o *catalogOpts) register(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.BoolVar(&o.local, "local", false, "use an embedded catalog: the newest session's, else this repository's own")
	f.StringVar(&o.host, "host", "", "Deriva server: name or https://name (http://127.0.0.1:PORT for a local server)")
	f.StringVar(&o.catalogID, "catalog", "", "catalog id or alias on --host; ID@SNAPSHOT reads that snapshot")
	f.StringVar(&o.db, "db", "", "an embedded catalog's SQLite file (implies --local)")
	f.StringVar(&o.session, "session", "", "use the catalog of this session (by slug)")
	f.BoolVar(&o.asJSON, "json", false, "print JSON for scripts")
}

// catalogSource says how the catalog was chosen, for errors about it.
type catalogSource int

const (
	fromDB      catalogSource = iota // --db FILE
	fromHost                         // --host and --catalog
	fromSession                      // a session's catalog
	fromRepo                         // the repository's own embedded catalog
)

// catalogChoice is the catalog the flags select, and why.
type catalogChoice struct {
	loc    state.CatalogLocation
	source catalogSource
	slug   string // fromSession: whose catalog
	place  string // fromRepo: "this repository", or outside git "this directory (DIR)"
	// fromSession: the catalog is the demo's (seed-demo makes it again),
	// or the session's own embedded one (opening the session makes it
	// again, empty); hints never suggest the demo for a real model.
	demo, own bool
	resume    string // fromSession: the command that opens the session
	// implicit: no flag named the catalog (the newest session's, or the
	// repository's own); local: with --local, which skips sessions on a
	// server. Errors then say which catalog was taken.
	implicit, local bool
}

// location resolves the flags to a catalog: --db, --host/--catalog and
// --session name one; otherwise the newest session's catalog (with --local,
// the newest session with an embedded one), and when there is none the
// repository's own embedded catalog, so --local works in a fresh repo.
// Sessions skipped because they cannot be read are reported on warn.
func (o *catalogOpts) location(ctx context.Context, g *globalFlags, warn io.Writer) (catalogChoice, error) {
	c, err := o.resolve(ctx, g, warn)
	if err == nil {
		o.chosen = &c
	}
	return c, err
}

// resolve is location without recording the choice.
func (o *catalogOpts) resolve(ctx context.Context, g *globalFlags, warn io.Writer) (catalogChoice, error) {
	remote := o.host != "" || o.catalogID != ""
	switch {
	case o.session != "" && (o.db != "" || remote):
		return catalogChoice{}, usagef("--session and --db/--host/--catalog are exclusive")
	case o.db != "" && remote:
		return catalogChoice{}, usagef("--db and --host/--catalog are exclusive")
	case o.db != "":
		return catalogChoice{loc: state.CatalogLocation{Kind: state.CatalogLocal, Path: o.db}, source: fromDB}, nil
	case remote: // the catalog commands only read: a snapshot will do
		loc, err := o.catalogFlags.readLocation()
		return catalogChoice{loc: loc, source: fromHost}, err
	}
	ws, err := locate(ctx, g)
	if err != nil {
		return catalogChoice{}, err
	}
	if o.session != "" {
		if err := state.ValidateSlug(o.session); err != nil {
			return catalogChoice{}, usageError{fmt.Errorf("--session: %w", err)}
		}
		s, err := ws.load(o.session)
		if errors.Is(err, state.ErrNotFound) {
			// A wrong argument, like a --db that is not there; the message
			// lists the sessions there are and how to start this one.
			return catalogChoice{}, usageError{fmt.Errorf("--session: %w", err)}
		}
		if err != nil {
			return catalogChoice{}, err
		}
		if o.local && s.Catalog.Kind != state.CatalogLocal {
			return catalogChoice{}, usagef("session %s uses %s, not an embedded catalog: drop --local, or pass --db FILE",
				o.session, describeCatalog(s.Catalog))
		}
		return sessionChoice(ws, s), nil
	}
	sum, ok, err := ws.newestSession(warn, func(s state.Summary) bool {
		return !o.local || s.Catalog.Kind == state.CatalogLocal
	})
	if err != nil {
		return catalogChoice{}, err
	}
	if ok {
		c := sessionChoice(ws, &state.Session{Slug: sum.Slug, Catalog: sum.Catalog})
		c.implicit, c.local = true, o.local
		return c, nil
	}
	loc := state.CatalogLocation{Kind: state.CatalogLocal, Path: state.RepoCatalogPath(ws.StateDir)}
	place := "this repository"
	if !ws.InGit {
		place = "this directory (" + ws.RepoRoot + ")"
	}
	return catalogChoice{loc: loc, source: fromRepo, place: place, implicit: true, local: o.local}, nil
}

// sessionChoice is the catalog of session s in ws.
func sessionChoice(ws workspace, s *state.Session) catalogChoice {
	return catalogChoice{loc: s.Catalog, source: fromSession, slug: s.Slug,
		demo: steps.IsDemoSession(ws.RepoRoot, s.Slug), own: ws.ownsCatalog(s), resume: ws.command("resume", state.ShellQuote(s.Slug))}
}

// flagArgs are the catalog-selecting flags as given, for hints that must
// reach the same catalog.
func (o *catalogOpts) flagArgs() []string {
	var args []string
	switch {
	case o.db != "":
		args = append(args, "--db", state.ShellQuote(o.db))
	case o.host != "" || o.catalogID != "":
		args = append(args, "--host", state.ShellQuote(o.host), "--catalog", state.ShellQuote(o.catalogID))
	case o.session != "":
		args = append(args, "--session", state.ShellQuote(o.session))
	}
	if o.local && o.db == "" {
		args = append(args, "--local")
	}
	return args
}

// command spells a cyclezero command on the same catalog for a hint.
func (o *catalogOpts) command(g *globalFlags, args ...string) string {
	return g.command(append(args, o.flagArgs()...)...)
}

// open connects to the selected catalog for reading: an embedded file must
// already be a catalog, and is neither created, migrated nor written.
func (o *catalogOpts) open(ctx context.Context, g *globalFlags, warn io.Writer) (catalog.Store, error) {
	store, _, err := o.openAt(ctx, g, warn)
	return store, err
}

// openAt is open that also says where the catalog is.
func (o *catalogOpts) openAt(ctx context.Context, g *globalFlags, warn io.Writer) (catalog.Store, state.CatalogLocation, error) {
	c, err := o.location(ctx, g, warn)
	if err != nil {
		return nil, c.loc, err
	}
	store, err := o.openChoice(g, c, warn)
	return store, c.loc, err
}

// openChoice opens the catalog c, resolved already, for reading.
func (o *catalogOpts) openChoice(g *globalFlags, c catalogChoice, warn io.Writer) (catalog.Store, error) {
	// A silent server takes up to a minute and a half to give up on: say
	// why nothing is happening rather than hang quietly.
	store, err := steps.OpenCatalogToRead(c.loc, steps.ReadOptions{Command: commandLine(""), Retrying: func(notice string) {
		fmt.Fprintln(warn, "cyclezero: "+notice)
	}})
	if err != nil {
		return nil, o.fileError(g, c, err)
	}
	return store, nil
}

// seedTarget is the embedded catalog seed-demo writes. Without a server,
// seeding means --local: only embedded catalogs are seeded. A catalog
// reached implicitly (no --session or --db) that is a real model's session
// catalog is refused: the demo's fake domain does not belong there unless
// the user names it.
func (o *catalogOpts) seedTarget(ctx context.Context, g *globalFlags, warn io.Writer) (catalogChoice, error) {
	if o.host == "" && o.catalogID == "" && o.db == "" && o.session == "" {
		o.local = true // no flag named a catalog: only an embedded one will do
	}
	c, err := o.location(ctx, g, warn)
	if err != nil {
		return c, err
	}
	if c.loc.Kind != state.CatalogLocal {
		return c, usagef("seed-demo only writes embedded catalogs: use --local or --db FILE")
	}
	if c.implicit && c.source == fromSession && !c.demo {
		return c, namesCatalog{usagef("seed-demo would seed the catalog of session %s (the newest with an embedded catalog, %s), "+
			"a real model's, not the demo's, and fill it with the demo's fake imaging domain; "+
			"to seed that catalog anyway: %s\n  or to seed a separate file: %s%s",
			c.slug, c.loc.Path, g.command("catalog", "seed-demo", "--session", state.ShellQuote(c.slug)),
			g.command("catalog", "seed-demo", "--db", "FILE"), demoAlternative(ctx, g))}
	}
	return c, o.refuseNotOurs(g, c)
}

// demoAlternative is the refusal's third way out in a demo workspace whose
// demo session is there, a newer session having hidden it: the demo's own
// catalog. "" elsewhere.
func demoAlternative(ctx context.Context, g *globalFlags) string {
	ws, err := locate(ctx, g)
	if err != nil || !steps.IsDemoWorkspace(ws.RepoRoot) {
		return ""
	}
	if _, err := os.Stat(state.SessionPath(ws.StateDir, steps.DemoSlug)); err != nil {
		return ""
	}
	return "\n  or the demo's own catalog: " + g.command("catalog", "seed-demo", "--session", steps.DemoSlug)
}

// refuseNotOurs refuses, before the seed takes its lock (a file beside the
// catalog), a path that holds something that is no catalog and never
// becomes one — a directory, a file that is not SQLite, another program's
// database — so nothing is added next to a file that is not cyclezero's.
// Anything else, a file that is missing or a catalog with a problem, is
// for the seed to open and report.
func (o *catalogOpts) refuseNotOurs(g *globalFlags, c catalogChoice) error {
	if _, err := os.Lstat(c.loc.Path); err != nil {
		return nil // missing (the seed creates it), or the seed says why not
	}
	store, err := steps.OpenCatalogToRead(c.loc, steps.ReadOptions{})
	if err == nil {
		return store.Close()
	}
	var fe *local.FileError
	if errors.As(err, &fe) {
		switch fe.Problem {
		case local.FileIsDirectory, local.FileNotSQLite, local.FileForeign:
			return o.fileError(g, c, err)
		}
	}
	return nil
}
