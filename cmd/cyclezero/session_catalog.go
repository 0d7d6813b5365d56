package main

import (
	"context"
	"errors"
	"fmt"

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
		if _, err := steps.SeedDemoCatalog(ctx, s.Catalog.Path); err != nil {
			return fmt.Errorf("create the demo catalog of session %s again: %w", s.Slug, err)
		}
		return nil
	}
	root := s.RepoRoot
	if root == "" {
		root = m.ws.RepoRoot
	}
	// The project name new gave the domain schema, from the same root.
	if err := steps.PrepareLocalCatalog(ctx, s.Catalog.Path, steps.ProjectName(root)); err != nil {
		return fmt.Errorf("create the embedded catalog of session %s again: %w", s.Slug, err)
	}
	return nil
}

// catalogAbsent reports whether the embedded catalog at loc is missing or
// holds nothing yet (an empty file or SQLite database), looking without
// writing.
func catalogAbsent(loc state.CatalogLocation) bool {
	store, err := steps.OpenCatalogToRead(loc, steps.ReadOptions{})
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
