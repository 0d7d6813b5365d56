package state

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

// Summary is one session in a listing.
type Summary struct {
	Slug string
	Path string
	// UpdatedAt is the session's last save; for a session that cannot be
	// read it is the file's modification time, so it still sorts sensibly.
	UpdatedAt time.Time
	Current   string
	Catalog   CatalogLocation
	// Err is why the session cannot be loaded (a *DamagedError, or
	// ErrNewerSchema); the other fields are then only Slug, Path, UpdatedAt.
	Err error
}

// List returns every session in stateDir, most recently updated first. A
// session that cannot be read is listed with Err set rather than dropped,
// and does not fail the listing. A state dir with no sessions yet gives an
// empty list. List never takes locks or writes.
func List(stateDir string) ([]Summary, error) {
	dir := SessionsDir(stateDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list sessions in %s: %w", dir, inTheWay(stateDir, dir, true, err))
	}
	var out []Summary
	for _, e := range entries {
		slug, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() || ValidateSlug(slug) != nil {
			continue // temp files, backups, locks, per-session dirs
		}
		sum := Summary{Slug: slug, Path: SessionPath(stateDir, slug)}
		s, err := Load(stateDir, slug)
		switch {
		case errors.Is(err, ErrNotFound):
			continue // removed while we listed
		case err != nil:
			sum.Err = err
			if info, ierr := e.Info(); ierr == nil {
				sum.UpdatedAt = info.ModTime()
			}
		default:
			sum.UpdatedAt, sum.Current, sum.Catalog = s.UpdatedAt, s.Current, s.Catalog
		}
		out = append(out, sum)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].UpdatedAt.Equal(out[j].UpdatedAt) {
			return out[i].UpdatedAt.After(out[j].UpdatedAt)
		}
		return out[i].Slug < out[j].Slug
	})
	return out, nil
}
