package state

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// v0Doc is a legacy document as cyclezero's pre-releases wrote it: no
// schema_version, "phase" instead of "current", catalog fields flat.
const v0Doc = `{
  "slug": "m",
  "created_at": "2024-11-02T10:00:00Z",
  "updated_at": "2024-11-03T10:00:00Z",
  "repo_root": "/home/u/m",
  "phase": "dev-dataset",
  "host": "https://www.example.org",
  "catalog_id": "7",
  "answers": {"specify": {"goal": "classify"}},
  "dev_dataset": {"dataset_rid": "1-X", "version": "0.2.0", "seed": 9007199254740993, "query": "q", "members": ["1-A"], "hash": "h"},
  "runs": [{"id": "r1", "tier": 1, "argv": ["uv"], "dir": "runs/r1", "started_at": "2024-11-03T09:00:00Z", "status": "passed", "fingerprint": {}}]
}`

func TestMigrateV0(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeRaw(t, dir, "m", []byte(v0Doc))

	s, err := Load(dir, "m")
	require.NoError(t, err)
	assert.Equal(t, SchemaVersion, s.SchemaVersion, "SchemaVersion after migration")
	assert.Equal(t, "dev-dataset", s.Current, "Current from v0 phase")
	assert.Equal(t, CatalogLocation{Kind: CatalogERMrest, Host: "https://www.example.org", CatalogID: "7"}, s.Catalog, "Catalog from v0 fields")
	assert.Equal(t, "classify", s.Answers["specify"]["goal"], "answers kept")
	assert.Equal(t, int64(9007199254740993), s.DevDataset.Seed, "a seed beyond float64 precision survives")
	assert.Len(t, s.Runs, 1, "runs kept")
	assert.Equal(t, v0Doc, string(readFile(t, SessionPath(dir, "m"))), "Load rewrote the file")

	h, err := Open(dir, "m")
	require.NoError(t, err)
	from, migrated := h.MigratedFrom()
	assert.Equal(t, 0, from, "MigratedFrom version")
	assert.True(t, migrated, "migrated")
	require.NoError(t, h.Save(h.Session()))
	require.NoError(t, h.Close())

	assert.Equal(t, v0Doc, string(readFile(t, BackupPath(dir, "m"))), "the v0 file is kept as the backup")
	var raw map[string]any
	require.NoError(t, json.Unmarshal(readFile(t, SessionPath(dir, "m")), &raw))
	assert.Equal(t, any(float64(SchemaVersion)), raw["schema_version"], "schema_version on disk")
	for _, gone := range []string{"phase", "host", "catalog_id"} {
		if _, ok := raw[gone]; ok {
			t.Errorf("legacy field %q still written", gone)
		}
	}
}

func TestMigrateV0Shapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		doc  string
		want CatalogLocation
		cur  string
	}{
		{"local catalog", `{"slug":"m","catalog_path":"/x/c.sqlite","phase":"specify"}`,
			CatalogLocation{Kind: CatalogLocal, Path: "/x/c.sqlite"}, "specify"},
		{"no phase", `{"slug":"m","catalog_path":"/x/c.sqlite"}`, CatalogLocation{Kind: CatalogLocal, Path: "/x/c.sqlite"}, ""},
		{"explicit version 0", `{"schema_version":0,"slug":"m","phase":null,"host":"https://h","catalog_id":"2"}`,
			CatalogLocation{Kind: CatalogERMrest, Host: "https://h", CatalogID: "2"}, ""},
		{"catalog object wins", `{"slug":"m","catalog":{"kind":"local","path":"/p"},"host":"https://h"}`,
			CatalogLocation{Kind: CatalogLocal, Path: "/p"}, ""},
		{"current wins", `{"slug":"m","phase":"old","current":"new","catalog_path":"/p"}`,
			CatalogLocation{Kind: CatalogLocal, Path: "/p"}, "new"},
	}
	for _, c := range cases {
		s, from, err := decode([]byte(c.doc), "m", "")
		require.NoError(t, err)
		assert.Equal(t, 0, from, c.name+": from")
		assert.Equal(t, c.want, s.Catalog, c.name+": catalog")
		assert.Equal(t, c.cur, s.Current, c.name+": current")
	}
	for _, bad := range []string{`{"slug":"m","phase":5}`, `{"slug":"m","host":["h"]}`} {
		dir := t.TempDir()
		writeRaw(t, dir, "m", []byte(bad))
		_, err := Load(dir, "m")
		mustDamaged(t, err)
		assert.Contains(t, err.Error(), "migrate from schema 0 to 1")
	}
	// A v0 document that names no catalog cannot be opened: no file or
	// server to use, so it is damaged rather than a session that fails
	// later.
	dir := t.TempDir()
	writeRaw(t, dir, "m", []byte(`{"slug":"m","phase":"specify"}`))
	_, err := Load(dir, "m")
	mustDamaged(t, err)
	assert.Contains(t, err.Error(), "it names no catalog")
}

// Every version below the current one has a step, so no document is stuck.
func TestMigrationTableComplete(t *testing.T) {
	t.Parallel()
	for v := 0; v < SchemaVersion; v++ {
		if migrations[v] == nil {
			t.Errorf("no migration from schema %d", v)
		}
	}
	for v := range migrations {
		if v >= SchemaVersion {
			t.Errorf("migration from schema %d, which is not older than %d", v, SchemaVersion)
		}
	}
	doc := map[string]any{"slug": "m"}
	require.NoError(t, migrate(doc, 0, ""))
	assert.Equal(t, any(SchemaVersion), doc["schema_version"], "schema_version after migrate")
}

func TestMigratedFileNotWrittenByReadOnly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeRaw(t, dir, "m", []byte(v0Doc))
	w, err := Open(dir, "m")
	require.NoError(t, err)
	r, err := Open(dir, "m")
	require.NoError(t, err)
	assert.True(t, r.ReadOnly(), "second handle ReadOnly")
	require.ErrorIs(t, r.Save(r.Session()), ErrReadOnly)
	require.NoError(t, r.Close())
	require.NoError(t, w.Close())
	assert.Equal(t, v0Doc, string(readFile(t, SessionPath(dir, "m"))), "file after read-only use")
	_, err = os.Stat(BackupPath(dir, "m"))
	assert.True(t, os.IsNotExist(err), "a backup appeared without a save")
}
