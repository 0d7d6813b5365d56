package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// ownsCatalog reports whether the session's catalog is the embedded one
// new (or demo) made for it in the state dir, which opening the session
// creates again when it is missing: a file the user named elsewhere is
// never made behind their back.
func (w workspace) ownsCatalog(s *state.Session) bool {
	return s.Catalog.Kind == state.CatalogLocal && s.Catalog.Path == state.LocalCatalogPath(w.StateDir, s.Slug)
}

// restoreCatalog creates the open session's own embedded catalog again
// when it is missing or holds nothing (deleted, or moved aside because it
// was damaged), as new made it: the deriva-ml and domain schemas and no
// data, or, for the demo's session, the demo domain. A catalog that is
// there, damaged or not, is left alone.
func (m *sessions) restoreCatalog(ctx context.Context, s *state.Session) error {
	if !m.ws.ownsCatalog(s) || !catalogAbsent(s.Catalog) {
		return nil
	}
	if steps.IsDemoSession(m.ws.RepoRoot, s.Slug) {
		if _, err := steps.SeedLocalDemo(ctx, s.Catalog.Path, steps.SeedOptions{}); err != nil {
			return fmt.Errorf("create the demo catalog of session %s again: %w", s.Slug, state.ExplainPermission(m.ws.StateDir, err))
		}
		return nil
	}
	root := s.RepoRoot
	if root == "" {
		root = m.ws.RepoRoot
	}
	// The project name new gave the domain schema, from the same root.
	if err := steps.PrepareLocalCatalog(ctx, s.Catalog.Path, steps.ProjectName(root)); err != nil {
		return fmt.Errorf("create the embedded catalog of session %s again: %w", s.Slug, state.ExplainPermission(m.ws.StateDir, err))
	}
	return nil
}

// catalogAbsent reports whether the embedded catalog at loc is missing or
// holds nothing yet (an empty file or SQLite database), looking without
// writing.
func catalogAbsent(loc state.CatalogLocation) bool {
	store, err := steps.OpenCatalogToRead(loc, steps.ReadOptions{Command: commandLine("")})
	if err == nil {
		_ = store.Close() // read-only: nothing to flush
		return false
	}
	var fe *local.FileError
	if !errors.As(err, &fe) {
		return false
	}
	switch fe.Problem {
	case local.FileMissing, local.FileEmpty, local.FileEmptyDatabase:
		return true
	}
	return false
}

// createdPaths are the files and directories of a new session's embedded
// catalog that did not exist before new made it, files before the
// directories that hold them.
type createdPaths []string

// absentCatalogPaths lists which of the paths making the embedded catalog
// of a new session slug would create are missing now: the catalog file,
// its SQLite companions and setup lock, and the session's directory and
// its parents up to the state dir.
func absentCatalogPaths(stateDir, slug string) createdPaths {
	cat := state.LocalCatalogPath(stateDir, slug)
	var missing createdPaths
	for _, p := range []string{cat, cat + "-wal", cat + "-shm", cat + "-journal", steps.SeedLockPath(cat),
		state.SessionDir(stateDir, slug), state.SessionsDir(stateDir), stateDir} {
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, p)
		}
	}
	return missing
}

// remove takes away what the failed create made and returns its error,
// with any failure to remove a file. A directory that is not empty (it
// holds something this call did not make) is left.
func (c createdPaths) remove(cause error) error {
	errs := []error{cause}
	for _, p := range c {
		fi, err := os.Lstat(p)
		if err != nil {
			continue // not made after all
		}
		if fi.IsDir() {
			_ = os.Remove(p) // fails when not empty: then it is not only ours
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("remove %s, made for the session: %w", p, err))
		}
	}
	if len(errs) == 1 {
		return cause
	}
	return errors.Join(errs...)
}
