package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
	"github.com/cyclezero/cyclezero/ui"
)

// workspace is the working tree a command runs in and where its sessions live.
type workspace struct {
	state.Location
}

func locate(ctx context.Context, g *globalFlags) (workspace, error) {
	loc, err := state.Locate(ctx, g.repo)
	if err != nil {
		return workspace{}, fmt.Errorf("find the sessions for %s: %w", g.repo, err)
	}
	return workspace{loc}, nil
}

// designPath is the model design doc of slug, relative to the repo root.
func designPath(slug string) string {
	return filepath.Join("docs", "design", "model", slug+".md")
}

// errNoSessions is returned when a command needs a session and the repo has none.
var errNoSessions = errors.New("no cyclezero sessions in this repository; start one with: cyclezero new (or try: cyclezero demo)")

// pickSlug returns slug when given, else the most recently updated readable
// session of the workspace.
func (w workspace) pickSlug(slug string) (string, error) {
	if slug != "" {
		if err := state.ValidateSlug(slug); err != nil {
			return "", usageError{err}
		}
		return slug, nil
	}
	sums, err := state.List(w.StateDir)
	if err != nil {
		return "", fmt.Errorf("list sessions: %w", err)
	}
	for _, s := range sums { // newest first
		if s.Err == nil {
			return s.Slug, nil
		}
	}
	if len(sums) > 0 {
		return "", fmt.Errorf("every session in %s is unreadable: %w", w.StateDir, sums[0].Err)
	}
	return "", errNoSessions
}

// load reads a session without locking or writing anything.
func (w workspace) load(slug string) (*state.Session, error) {
	s, err := state.Load(w.StateDir, slug)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no session %q in this repository (sessions live in %s); list them with: cyclezero status", slug, w.StateDir)
	}
	return s, err
}

// fingerprint is what s's phases are judged against now: the repository
// as it is, and the catalog half as the session last recorded it.
func (w workspace) fingerprint(ctx context.Context, s *state.Session) (state.Fingerprint, error) {
	fp, err := steps.CurrentFingerprint(ctx, w.RepoRoot, designPath(s.Slug))
	if err != nil {
		return fp, fmt.Errorf("read the repository's state: %w", err)
	}
	fp.SchemaHash, fp.DatasetVersion = lastCatalogFingerprint(s)
	return fp, nil
}

// evaluate computes the phase statuses of s against the repo as it is now.
func (w workspace) evaluate(ctx context.Context, s *state.Session) ([]steps.PhaseState, error) {
	fp, err := w.fingerprint(ctx, s)
	if err != nil {
		return nil, err
	}
	return steps.Evaluate(s, fp), nil
}

// lastCatalogFingerprint returns the catalog half of the fingerprint as the
// session last saw it (the newest phase record that has one).
func lastCatalogFingerprint(s *state.Session) (schema, dataset string) {
	for _, p := range steps.Phases {
		rec := s.Phases[string(p.ID)]
		if rec == nil {
			continue
		}
		if rec.Fingerprint.SchemaHash != "" {
			schema = rec.Fingerprint.SchemaHash
		}
		if rec.Fingerprint.DatasetVersion != "" {
			dataset = rec.Fingerprint.DatasetVersion
		}
	}
	return schema, dataset
}

// describeCatalog renders a catalog location for people, with the file of
// an embedded catalog (the UI header shows it without).
func describeCatalog(c state.CatalogLocation) string {
	if c.Kind == state.CatalogLocal && c.Path != "" {
		return ui.DescribeCatalog(c) + " (" + c.Path + ")"
	}
	return ui.DescribeCatalog(c)
}
