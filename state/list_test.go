package state

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestList(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	empty, err := List(dir)
	require.NoError(t, err)
	assert.Empty(t, empty, "sessions in a new state dir")

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
	require.NoError(t, os.Chtimes(SessionPath(dir, "broken"), time.Time{}, fixedTime.Add(4*time.Hour)))
	require.NoError(t, os.Chtimes(SessionPath(dir, "future"), time.Time{}, fixedTime))
	// Things that are not sessions.
	sd := SessionsDir(dir)
	require.NoError(t, os.WriteFile(BackupPath(dir, "gone"), []byte("{}"), fileMode))
	require.NoError(t, os.WriteFile(filepath.Join(sd, ".old.json.tmp-1"), []byte("x"), fileMode))
	require.NoError(t, os.WriteFile(filepath.Join(sd, "Bad Name.json"), []byte("{}"), fileMode))
	require.NoError(t, os.WriteFile(LockPath(dir, "old"), nil, fileMode))
	require.NoError(t, os.Mkdir(filepath.Join(sd, "dir.json"), dirMode))
	require.NoError(t, os.Mkdir(SessionDir(dir, "old"), dirMode))

	list, err := List(dir)
	require.NoError(t, err)
	var slugs []string
	for _, s := range list {
		slugs = append(slugs, s.Slug)
	}
	assert.Equal(t, []string{"broken", "newest", "middle", "old", "future"}, slugs, "listed slugs")
	bySlug := map[string]Summary{}
	for _, s := range list {
		bySlug[s.Slug] = s
	}
	mustDamaged(t, bySlug["broken"].Err)
	require.ErrorIs(t, bySlug["future"].Err, ErrNewerSchema)
	assert.Truef(t, bySlug["broken"].UpdatedAt.Equal(fixedTime.Add(4*time.Hour)), "damaged session time %v", bySlug["broken"].UpdatedAt)
	n := bySlug["newest"]
	assert.NoError(t, n.Err, "newest.Err")
	assert.Equal(t, "phase-newest", n.Current, "newest.Current")
	assert.Equal(t, CatalogERMrest, n.Catalog.Kind, "newest.Catalog.Kind")
	assert.Equal(t, SessionPath(dir, "newest"), n.Path, "newest.Path")
	assert.Equal(t, fixedTime.Add(3*time.Hour), n.UpdatedAt, "newest.UpdatedAt")
}

func TestListUnreadableDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(SessionsDir(dir), nil, fileMode)) // a file where the dir should be
	_, err := List(dir)
	assert.Truef(t, err != nil && !errors.Is(err, os.ErrNotExist), "List of a broken state dir: %v", err)
}
