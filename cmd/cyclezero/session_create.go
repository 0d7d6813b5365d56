package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
	"github.com/cyclezero/cyclezero/ui"
)

// create makes the session and, for the embedded catalog, the catalog file
// with the deriva-ml and domain schemas; a server catalog is checked to be
// reachable first, so a typo fails here and not three phases later.
func (m *sessions) create(ctx context.Context, ns ui.NewSession) (*state.Session, error) {
	if err := state.ValidateSlug(ns.Slug); err != nil {
		return nil, err
	}
	if err := steps.RequireGit(needGitForSession); err != nil {
		return nil, err
	}
	loc := ns.Catalog
	switch loc.Kind {
	case state.CatalogLocal:
		// A taken slug is said before the catalog is made: the path is
		// that session's own catalog, which is not new's to write. A
		// session whose file was deleted but whose backup loads is taken.
		if _, err := os.Lstat(state.SessionPath(m.ws.StateDir, ns.Slug)); err == nil {
			return nil, m.exists(ns.Slug)
		}
		if _, err := state.Load(m.ws.StateDir, ns.Slug); errors.As(err, new(*state.OnlyBackupError)) {
			return nil, m.exists(ns.Slug)
		}
		loc.Path = state.LocalCatalogPath(m.ws.StateDir, ns.Slug)
		made := absentCatalogPaths(m.ws.StateDir, ns.Slug)
		if err := prepareLocalCatalog(ctx, loc.Path, steps.ProjectName(m.ws.RepoRoot)); err != nil {
			// The catalog is the first thing made under the state dir, so
			// a git dir or XDG state home that cannot be written is met
			// here: say whose permissions to check.
			return nil, made.remove(fmt.Errorf("create the embedded catalog of session %s: %w", ns.Slug,
				state.ExplainPermission(m.ws.StateDir, err)))
		}
		var s *state.Session
		err := ctx.Err() // cancelled (esc in the form) while the catalog was made: create nothing
		if err == nil {
			s, err = m.createWith(ns.Slug, loc)
		}
		if err != nil && !errors.Is(err, state.ErrExists) {
			// No session names the catalog just made: take it away
			// again. A session made meanwhile by another cyclezero
			// (ErrExists) uses it, so then it stays.
			return nil, made.remove(err)
		}
		return s, err
	case state.CatalogERMrest:
		if err := checkServerCatalog(ctx, loc, nil); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("new session: choose the embedded local catalog or a Deriva server")
	}
	if err := ctx.Err(); err != nil {
		return nil, err // cancelled once the server had answered: nothing is recorded
	}
	return m.createWith(ns.Slug, loc)
}

// prepareLocalCatalog makes a new session's embedded catalog. A variable
// so that a test can fail it as an unwritable state dir would (root, which
// tests may run as, ignores file modes).
var prepareLocalCatalog = steps.PrepareLocalCatalog

// needGitForSession is what a session needs git for, said when it is missing.
const needGitForSession = "start a session (DerivaML records the code version of every run from git, " +
	"and cyclezero keeps sessions in the repository's git directory)"

// createWith records a new session for a catalog that is ready.
func (m *sessions) createWith(slug string, loc state.CatalogLocation) (*state.Session, error) {
	now := time.Now()
	h, err := state.Create(m.ws.StateDir, &state.Session{
		Slug: slug, RepoRoot: m.ws.RepoRoot, Catalog: loc, CreatedAt: now, UpdatedAt: now,
		Current: string(steps.Phases[0].ID),
	})
	if errors.Is(err, state.ErrExists) {
		return nil, m.exists(slug)
	}
	if err != nil {
		return nil, err // "create session "SLUG": …" already
	}
	m.adopt(h)
	return h.Session(), nil
}

// exists is the refusal of a slug that has a session already. When that
// session cannot be read, resume would fail on it: its own fix is given.
func (m *sessions) exists(slug string) error {
	if _, err := m.ws.load(slug); err != nil && !errors.Is(err, state.ErrNotFound) {
		return existsError{slug: slug, problem: err.Error(), where: m.ws.where()}
	}
	return existsError{slug: slug, resume: m.ws.command("resume", state.ShellQuote(slug)), where: m.ws.where()}
}

// missingCatalogError is a server that answered but has no such catalog:
// said in one sentence with its fix, rather than the request that found
// out; it still matches catalog.ErrNotFound (the form blames the catalog
// id by it) and exits 1.
type missingCatalogError struct {
	loc state.CatalogLocation
	err error
}

func (e missingCatalogError) Error() string {
	if fix := catalog.Hint(e.err); fix != "" {
		return fix // "there is no catalog "99" on host; check --catalog"
	}
	return fmt.Sprintf("there is no catalog %s on %s; check the catalog id (--catalog)", e.loc.CatalogID, e.loc.Host)
}
func (e missingCatalogError) Unwrap() error { return e.err }

// existsError is Create's refusal of a slug that has a session, said once
// with one fix; it matches state.ErrExists, by which the UI puts it at
// the slug field.
// problem, when set, is why that session cannot be opened, with its fix.
// where is the workspace's where(): "this repository" or, outside git,
// "this directory (PATH)".
type existsError struct{ slug, resume, problem, where string }

func (e existsError) Error() string {
	if e.problem != "" {
		return fmt.Sprintf("a session %s already exists in %s but cannot be opened: %s", e.slug, e.where, e.problem)
	}
	return fmt.Sprintf("a session %s already exists in %s; open it with: %s", e.slug, e.where, e.resume)
}
func (e existsError) Unwrap() error { return state.ErrExists }

// checkServerCatalog checks that the server catalog at loc answers, as
// new and a repointing resume do before recording it (so a typo fails
// now, not three phases later); a catalog the server does not have is a
// missingCatalogError, which says how to find the right one. retrying,
// when set, hears that a silent server is being asked again.
func checkServerCatalog(ctx context.Context, loc state.CatalogLocation, retrying func(notice string)) error {
	err := steps.CheckCatalog(ctx, loc, steps.ReadOptions{Command: commandLine(""), Retrying: retrying})
	if errors.Is(err, catalog.ErrNotFound) {
		return missingCatalogError{loc: loc, err: err}
	}
	return err
}
