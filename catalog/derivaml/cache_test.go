package derivaml_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// cacheIndex fabricates deriva-py's BagCacheIndex file (schema version 1)
// and keeps a writer connection open, as a running deriva-ml would.
type cacheIndex struct {
	dir string
	db  *sql.DB
}

func newCacheIndex(t *testing.T, version int) *cacheIndex {
	t.Helper()
	dir := t.TempDir()
	db, err := sql.Open("sqlite", filepath.Join(dir, "index.sqlite")+"?_pragma=journal_mode(WAL)")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	for _, stmt := range []string{
		`CREATE TABLE schema_meta (version INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL DEFAULT (datetime('now')))`,
		`CREATE TABLE bags (checksum TEXT PRIMARY KEY, profile_id TEXT, built_at TEXT NOT NULL, anchor_summary_json TEXT, size_bytes INTEGER)`,
		`CREATE TABLE bag_anchor_rids (checksum TEXT NOT NULL, "table" TEXT NOT NULL, rid TEXT NOT NULL,
			PRIMARY KEY (checksum, "table", rid), FOREIGN KEY (checksum) REFERENCES bags(checksum) ON DELETE CASCADE)`,
		`CREATE INDEX bag_anchor_rids_table_rid_idx ON bag_anchor_rids ("table", rid)`,
	} {
		_, err := db.Exec(stmt)
		require.NoError(t, err)
	}
	_, err = db.Exec(`INSERT INTO schema_meta(version) VALUES (?)`, version)
	require.NoError(t, err)
	return &cacheIndex{dir: dir, db: db}
}

// record adds a bag anchored on a dataset, built at a time.
func (c *cacheIndex) record(t *testing.T, checksum, rid, builtAt string) {
	t.Helper()
	_, err := c.db.Exec(`INSERT INTO bags (checksum, profile_id, built_at, anchor_summary_json, size_bytes) VALUES (?, NULL, ?, '{"version": "0.2.0"}', 10)`,
		checksum, builtAt)
	require.NoError(t, err)
	_, err = c.db.Exec(`INSERT INTO bag_anchor_rids (checksum, "table", rid) VALUES (?, 'Dataset', ?)`, checksum, rid)
	require.NoError(t, err)
}

// bag writes a bag directory; fetched lists the fetch.txt entries present
// on disk, missing those absent.
func (c *cacheIndex) bag(t *testing.T, checksum, rid string, structural bool, fetched, missing []string) string {
	t.Helper()
	dir := filepath.Join(c.dir, "bags", checksum, "Dataset_"+rid)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "data"), 0o755))
	if structural {
		write(t, filepath.Join(dir, "bagit.txt"), "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n")
		write(t, filepath.Join(dir, "manifest-md5.txt"), "")
	}
	var fetch strings.Builder
	for _, f := range append(append([]string{}, fetched...), missing...) {
		fetch.WriteString("https://example.org/hatrac/" + f + "\t10\t" + f + "\n")
	}
	for _, f := range fetched {
		write(t, filepath.Join(dir, filepath.FromSlash(f)), "bytes")
	}
	if fetch.Len() > 0 {
		write(t, filepath.Join(dir, "fetch.txt"), fetch.String())
	}
	return dir
}

func write(t *testing.T, path, content string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func TestCacheStatus(t *testing.T) {
	t.Parallel()
	idx := newCacheIndex(t, 1)
	// Materialized: every fetch.txt file is on disk.
	idx.record(t, "aaa1", "1-AAAA", "2026-06-01T10:00:00+00:00")
	path := idx.bag(t, "aaa1", "1-AAAA", true, []string{"data/assets/Image/a.png"}, nil)
	// Holey: the newer bag misses a file; an older materialized one exists.
	idx.record(t, "bbb1", "1-BBBB", "2026-06-01T10:00:00+00:00")
	idx.bag(t, "bbb1", "1-BBBB", true, []string{"data/a.png"}, nil)
	idx.record(t, "bbb2", "1-BBBB", "2026-06-02T10:00:00+00:00")
	holey := idx.bag(t, "bbb2", "1-BBBB", true, []string{"data/a.png"}, []string{"data/b.png"})
	// The newest bag's directory is gone.
	idx.record(t, "ccc1", "1-CCCC", "2026-06-01T10:00:00+00:00")
	idx.bag(t, "ccc1", "1-CCCC", true, nil, nil)
	idx.record(t, "ccc2", "1-CCCC", "2026-06-03T10:00:00+00:00")
	// Not a valid bag (no bagit.txt): reported holey, as DerivaML does.
	idx.record(t, "ddd1", "1-DDDD", "2026-06-01T10:00:00+00:00")
	idx.bag(t, "ddd1", "1-DDDD", false, nil, nil)

	cases := []struct {
		rid, status string
		path        string
		versions    []string
	}{
		{"1-AAAA", "cached_materialized", path, []string{"aaa1"}},
		{"1-BBBB", "cached_holey", holey, []string{"bbb2", "bbb1"}},
		{"1-CCCC", "not_cached", "", []string{"ccc2", "ccc1"}},
		{"1-DDDD", "cached_holey", filepath.Join(idx.dir, "bags", "ddd1", "Dataset_1-DDDD"), []string{"ddd1"}},
		{"1-EEEE", "not_cached", "", []string{}},
	}
	for _, c := range cases {
		info, err := derivaml.CacheStatus(idx.dir, c.rid)
		require.NoError(t, err, c.rid)
		assert.Equal(t, c.status, info.Status, c.rid)
		assert.Equal(t, c.versions, info.VersionsCached, c.rid)
		if c.path == "" {
			assert.Nil(t, info.CachePath, c.rid)
		} else if assert.NotNil(t, info.CachePath, c.rid) {
			assert.Equal(t, c.path, *info.CachePath, c.rid)
		}
	}
}

func TestCacheStatusWithoutAnIndex(t *testing.T) {
	t.Parallel()
	info, err := derivaml.CacheStatus(filepath.Join(t.TempDir(), "nothing-here"), "1-AAAA")
	require.NoError(t, err)
	assert.Equal(t, "not_cached", info.Status)
	assert.Equal(t, []string{}, info.VersionsCached)
}

func TestCacheStatusRefusesANewerIndex(t *testing.T) {
	t.Parallel()
	idx := newCacheIndex(t, 2)
	_, err := derivaml.CacheStatus(idx.dir, "1-AAAA")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "schema version 2, newer than version 1")

	dir := t.TempDir()
	write(t, filepath.Join(dir, "index.sqlite"), "not a database at all, just text padding it out to a page")
	_, err = derivaml.CacheStatus(dir, "1-AAAA")
	assert.Error(t, err)
}

func TestDefaultDirs(t *testing.T) {
	t.Parallel()
	home, err := os.UserHomeDir()
	require.NoError(t, err)
	wd, err := derivaml.DefaultWorkingDir("data.example.org", "1")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(home, ".deriva-ml", "data.example.org", "1"), wd)
	cd, err := derivaml.DefaultCacheDir("data.example.org", "1")
	require.NoError(t, err)
	assert.Equal(t, filepath.Join(wd, "cache"), cd)
}

// A dataset is found in the cache however its RID is spelled, in the
// question or in the index.
func TestCacheStatusNormalizesRIDs(t *testing.T) {
	t.Parallel()
	idx := newCacheIndex(t, 1)
	idx.record(t, "aaa1", "1-ABC2", "2026-06-01T10:00:00+00:00")
	path := idx.bag(t, "aaa1", "1-ABC2", true, []string{"data/a.png"}, nil)
	idx.record(t, "bbb1", "1-def4", "2026-06-01T10:00:00+00:00") // the index keeps the spelling deriva-ml was given
	other := idx.bag(t, "bbb1", "1-DEF4", true, nil, nil)        // a bag directory named canonically
	for _, c := range []struct{ rid, path, version string }{
		{"1-ABC2", path, "aaa1"}, {"1-abc2", path, "aaa1"}, {"1ABC2", path, "aaa1"}, {"1abc2", path, "aaa1"},
		{"1-DEF4", other, "bbb1"}, {"1def4", other, "bbb1"},
	} {
		info, err := derivaml.CacheStatus(idx.dir, c.rid)
		require.NoError(t, err, c.rid)
		assert.Equal(t, "cached_materialized", info.Status, c.rid)
		assert.Equal(t, []string{c.version}, info.VersionsCached, c.rid)
		if assert.NotNil(t, info.CachePath, c.rid) {
			assert.Equal(t, c.path, *info.CachePath, c.rid)
		}
	}
}

// fetch.txt is read as DerivaML's _is_fully_materialized reads it: each
// stripped line split on tabs, a line of fewer than three fields skipped,
// and the third field checked as written, without BagIt's percent-decoding;
// a path leaving the bag never counts as present.
func TestCacheStatusReadsFetchTxtAsDerivaML(t *testing.T) {
	t.Parallel()
	idx := newCacheIndex(t, 1)
	status := func(name, fetch string, files ...string) string {
		t.Helper()
		idx.record(t, name, "1-"+name, "2026-06-01T10:00:00+00:00")
		dir := idx.bag(t, name, "1-"+name, true, nil, nil)
		for _, f := range files {
			write(t, filepath.Join(dir, filepath.FromSlash(f)), "bytes")
		}
		write(t, filepath.Join(dir, "fetch.txt"), fetch)
		info, err := derivaml.CacheStatus(idx.dir, "1-"+name)
		require.NoError(t, err, name)
		return info.Status
	}
	url := "https://example.org/hatrac/x"
	assert.Equal(t, "cached_materialized", status("AAA2", url+"  10   data/missing.png\n"),
		"a space-separated line has fewer than three tab fields, so DerivaML skips it")
	assert.Equal(t, "cached_holey", status("BBB2", url+"\t10\tdata/missing.png\r\n"))
	assert.Equal(t, "cached_materialized", status("CCC2", url+"\t10\tdata/with space.png\n", "data/with space.png"))
	assert.Equal(t, "cached_materialized", status("DDD2", url+"\t10\tdata/100%25 done.png\n\n", "data/100%25 done.png"),
		"the path is checked as written")
	assert.Equal(t, "cached_holey", status("EEE2", url+"\t10\tdata/100%25 done.png\n", "data/100% done.png"),
		"not percent-decoded")
	assert.Equal(t, "cached_materialized", status("FFF2", url+"\t10\tdata/a.png\textra\n", "data/a.png"),
		"only the third field is the path")
	assert.Equal(t, "cached_holey", status("GGG2", url+"\t10\t../../escape.png\n", "../../escape.png"))
}
