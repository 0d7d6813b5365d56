package state

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// catalogOnDisk is the "catalog" object of slug's document as stored.
func catalogOnDisk(t *testing.T, stateDir, slug string) map[string]any {
	t.Helper()
	var raw map[string]any
	require.NoError(t, json.Unmarshal(readFile(t, SessionPath(stateDir, slug)), &raw))
	cat, ok := raw["catalog"].(map[string]any)
	require.True(t, ok, "catalog object in %v", raw)
	return cat
}

// A session's own catalog is stored without a path and found again under
// the state dir it is read from, so moving the state dir (a repository
// moved or copied with its .git) carries the catalog along.
func TestOwnCatalogFollowsTheStateDir(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	old := filepath.Join(base, "old", ".git", "cyclezero")
	s := sampleSession("m", "A", 0)
	s.Catalog = CatalogLocation{Kind: CatalogLocal, Path: LocalCatalogPath(old, "m")}
	s.RepoRoot = filepath.Join(base, "old")
	h, err := Create(old, s)
	require.NoError(t, err)
	assert.Equal(t, LocalCatalogPath(old, "m"), h.Session().Catalog.Path, "in memory the path is absolute")
	require.NoError(t, h.Close())
	assert.NotContains(t, catalogOnDisk(t, old, "m"), "path", "the own catalog is stored without a path")
	assert.Contains(t, string(readFile(t, SessionPath(old, "m"))), `"repo_root": ""`, "the main worktree is stored as \"\"")

	moved := filepath.Join(base, "moved", ".git", "cyclezero")
	require.NoError(t, os.Rename(filepath.Join(base, "old"), filepath.Join(base, "moved")))

	got, err := Load(moved, "m")
	require.NoError(t, err)
	assert.Equal(t, LocalCatalogPath(moved, "m"), got.Catalog.Path, "Load resolves it under the new state dir")
	assert.Equal(t, filepath.Join(base, "moved"), got.RepoRoot, "and the root is where the repository is now")
	sums, err := List(moved)
	require.NoError(t, err)
	require.Len(t, sums, 1)
	assert.Equal(t, LocalCatalogPath(moved, "m"), sums[0].Catalog.Path, "List too")

	h, err = Open(moved, "m")
	require.NoError(t, err)
	assert.Equal(t, LocalCatalogPath(moved, "m"), h.Session().Catalog.Path, "Open too")
	require.NoError(t, h.Save(h.Session()))
	require.NoError(t, h.Close())
	assert.NotContains(t, catalogOnDisk(t, moved, "m"), "path", "saving keeps it without a path")
	assert.NoDirExists(t, filepath.Join(base, "old"), "nothing is made at the old place")
}

// A catalog file a person pointed the session at is stored as it is.
func TestOtherCatalogKeepsItsPath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	other := filepath.Join(t.TempDir(), "shared.sqlite")
	s := sampleSession("m", "A", 0)
	s.Catalog = CatalogLocation{Kind: CatalogLocal, Path: other}
	h, err := Create(dir, s)
	require.NoError(t, err)
	require.NoError(t, h.Close())
	assert.Equal(t, other, catalogOnDisk(t, dir, "m")["path"])
	got, err := Load(dir, "m")
	require.NoError(t, err)
	assert.Equal(t, other, got.Catalog.Path)
}

// Version 1 recorded the own catalog's absolute path, under whatever state
// dir the session was created in; such a path is read as the session's
// own, here, and any other path is kept.
func TestMigrateV1OwnCatalog(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, path string
		own        bool
	}{
		{"git state dir elsewhere", "/r/.git/cyclezero/sessions/m/catalog.sqlite", true},
		{"xdg state dir", "/home/u/.local/state/cyclezero/repo-0123456789ab/sessions/m/catalog.sqlite", true},
		{"another slug's", "/tmp/x/d3/.git/cyclezero/sessions/n/catalog.sqlite", false},
		{"not a state dir", "/data/sessions/m/catalog.sqlite", false},
		{"a file of the user's", "/data/catalog.sqlite", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			root := filepath.Join(t.TempDir(), "moved")
			dir := filepath.Join(root, ".git", "cyclezero")
			doc := `{"schema_version": 1, "slug": "m", "repo_root": "/r", "catalog": {"kind": "local", "path": "` + c.path + `"}}`
			writeRaw(t, dir, "m", []byte(doc))
			want := c.path
			if c.own {
				want = LocalCatalogPath(dir, "m")
			}
			s, err := Load(dir, "m")
			require.NoError(t, err)
			assert.Equal(t, want, s.Catalog.Path)
			if c.name == "git state dir elsewhere" {
				assert.Equal(t, root, s.RepoRoot, "/r was the main worktree holding the old state dir: it moved too")
			} else {
				assert.Equal(t, "/r", s.RepoRoot, "no sign the root moved with the state dir")
			}

			h, err := Open(dir, "m")
			require.NoError(t, err)
			from, migrated := h.MigratedFrom()
			assert.True(t, migrated)
			assert.Equal(t, 1, from)
			require.NoError(t, h.Save(h.Session()))
			require.NoError(t, h.Close())
			assert.Equal(t, doc, string(readFile(t, BackupPath(dir, "m"))), "the v1 file is kept as the backup")
			if c.own {
				assert.NotContains(t, catalogOnDisk(t, dir, "m"), "path")
			} else {
				assert.Equal(t, c.path, catalogOnDisk(t, dir, "m")["path"])
			}
		})
	}
}
