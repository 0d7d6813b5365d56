package state

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestList(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	empty, err := List(dir)
	must(t, err)
	wantEq(t, len(empty), 0, "sessions in a new state dir")

	for i, slug := range []string{"old", "newest", "middle"} {
		s := sampleSession(slug, "A", 1)
		s.SchemaVersion = SchemaVersion
		s.UpdatedAt = fixedTime.Add(time.Duration([]int{1, 3, 2}[i]) * time.Hour)
		s.Current = "phase-" + slug
		writeDoc(t, dir, s)
	}
	writeRaw(t, dir, "broken", []byte(`{"slug": "broken", `))
	writeRaw(t, dir, "future", []byte(`{"schema_version": 9, "slug": "future"}`))
	// Unreadable sessions sort by their file's mtime.
	must(t, os.Chtimes(SessionPath(dir, "broken"), time.Time{}, fixedTime.Add(4*time.Hour)))
	must(t, os.Chtimes(SessionPath(dir, "future"), time.Time{}, fixedTime))
	// Things that are not sessions.
	sd := SessionsDir(dir)
	must(t, os.WriteFile(BackupPath(dir, "gone"), []byte("{}"), fileMode))
	must(t, os.WriteFile(filepath.Join(sd, ".old.json.tmp-1"), []byte("x"), fileMode))
	must(t, os.WriteFile(filepath.Join(sd, "Bad Name.json"), []byte("{}"), fileMode))
	must(t, os.WriteFile(LockPath(dir, "old"), nil, fileMode))
	must(t, os.Mkdir(filepath.Join(sd, "dir.json"), dirMode))
	must(t, os.Mkdir(SessionDir(dir, "old"), dirMode))

	list, err := List(dir)
	must(t, err)
	var slugs []string
	for _, s := range list {
		slugs = append(slugs, s.Slug)
	}
	wantEq(t, slugs, []string{"broken", "newest", "middle", "old", "future"}, "listed slugs")
	bySlug := map[string]Summary{}
	for _, s := range list {
		bySlug[s.Slug] = s
	}
	mustDamaged(t, bySlug["broken"].Err)
	mustIs(t, bySlug["future"].Err, ErrNewerSchema)
	wantTrue(t, bySlug["broken"].UpdatedAt.Equal(fixedTime.Add(4*time.Hour)), "damaged session time %v", bySlug["broken"].UpdatedAt)
	n := bySlug["newest"]
	wantEq(t, n.Err, error(nil), "newest.Err")
	wantEq(t, n.Current, "phase-newest", "newest.Current")
	wantEq(t, n.Catalog.Kind, CatalogERMrest, "newest.Catalog.Kind")
	wantEq(t, n.Path, SessionPath(dir, "newest"), "newest.Path")
	wantEq(t, n.UpdatedAt, fixedTime.Add(3*time.Hour), "newest.UpdatedAt")
}

func TestListUnreadableDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	must(t, os.WriteFile(SessionsDir(dir), nil, fileMode)) // a file where the dir should be
	_, err := List(dir)
	wantTrue(t, err != nil && !errors.Is(err, os.ErrNotExist), "List of a broken state dir: %v", err)
}
