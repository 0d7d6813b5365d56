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
// and does not fail the listing; so is a document deleted by hand whose
// backup loads (Err is then an *OnlyBackupError saying how to restore it),
// since starting that slug over would lose the backup. A state dir with no
// sessions yet gives an empty list. List never takes locks or writes.
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
	for _, c := range sessionFiles(entries) {
		sum := Summary{Slug: c.slug, Path: SessionPath(stateDir, c.slug)}
		s, err := Load(stateDir, c.slug)
		switch {
		case errors.Is(err, ErrNotFound):
			continue // removed while we listed, or a backup that does not load
		case err != nil:
			sum.Err = err
			if info, ierr := c.entry.Info(); ierr == nil {
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

// sessionFile is a slug List looks at, with the file that names it: the
// document, or its backup when the document is missing.
type sessionFile struct {
	slug  string
	entry os.DirEntry
}

// sessionFiles picks the sessions out of a sessions dir's entries: each
// <slug>.json, and each <slug>.json.bak without one. Temp files, locks,
// per-session dirs and the copies kept on migration are not sessions.
func sessionFiles(entries []os.DirEntry) []sessionFile {
	docs := map[string]bool{}
	var out, backups []sessionFile
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		name := e.Name()
		if slug, ok := strings.CutSuffix(name, ".json"); ok && ValidateSlug(slug) == nil {
			docs[slug] = true
			out = append(out, sessionFile{slug, e})
		} else if slug, ok := strings.CutSuffix(name, ".json.bak"); ok && ValidateSlug(slug) == nil {
			backups = append(backups, sessionFile{slug, e})
		}
	}
	for _, b := range backups {
		if !docs[b.slug] {
			out = append(out, b)
		}
	}
	return out
}
