package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// foreignDB writes an SQLite database of another program into dir and
// returns its path.
func foreignDB(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "foreign.db")
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec(`CREATE TABLE t (x); INSERT INTO t VALUES (1)`)
	require.NoError(t, err)
	return path
}

// dirFiles is every file of dir with its bytes: what a refused command
// must leave as it was (no catalog tables added, no WAL header, no -wal).
func dirFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		out[e.Name()] = string(b)
	}
	return out
}

// Another program's SQLite database given as --db is refused by every
// catalog command, read or seed, and left byte for byte as it was.
func TestCatalogDBThatIsAnotherProgramsDatabase(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	db := foreignDB(t, dir)
	before := dirFiles(t, dir)
	for _, args := range [][]string{
		{"catalog", "ls", "--db", db},
		{"catalog", "show", "T", "--db", db},
		{"catalog", "validate-config", "-", "--db", db},
		{"catalog", "whoami", "--db", db},
		{"catalog", "serve", "--db", db},
		{"catalog", "seed-demo", "--db", db},
	} {
		out, errOut, code := cli(t, `{"datasets":[]}`, args...)
		assert.Equal(t, exitUsage, code, "%v: %s", args, errOut)
		assert.Contains(t, errOut, db+" is an SQLite database of another program, not an embedded catalog; choose another --db", args)
		assert.Empty(t, out, args)
	}
	assert.Equal(t, before, dirFiles(t, dir), "the database is unchanged and nothing was added next to it")
}

// An SQLite database without tables is, like an empty file, not a catalog
// yet: reading refuses it unchanged, seeding makes it one.
func TestCatalogDBThatIsAnEmptyDatabase(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "blank.db")
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	_, err = db.Exec(`PRAGMA user_version = 3`)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	before := dirFiles(t, dir)
	_, errOut, code := cli(t, "", "catalog", "ls", "--db", path)
	assert.Equal(t, exitUsage, code, errOut)
	assert.Contains(t, errOut, path+" is an empty SQLite database, not an embedded catalog yet; choose another --db, "+
		"or seed the demo into it with: cyclezero catalog seed-demo --db "+path)
	assert.Equal(t, before, dirFiles(t, dir))
	_, errOut, code = cli(t, "", "catalog", "seed-demo", "--db", path)
	require.Equal(t, exitOK, code, errOut)
	_, errOut, code = cli(t, "", "catalog", "ls", "--db", path)
	assert.Equal(t, exitOK, code, errOut)
}

// A session's catalog file replaced by another program's database is
// refused unchanged, saying how to get a catalog there again.
func TestCatalogOfASessionThatIsAnotherProgramsDatabase(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "mine")
	path := sessionCatalog(t, dir, "mine")
	require.NoError(t, os.Remove(path))
	foreign := foreignDB(t, t.TempDir())
	b, err := os.ReadFile(foreign)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o600))
	_, errOut, code := cli(t, "", "-C", dir, "catalog", "ls")
	assert.Equal(t, exitError, code, errOut)
	assert.Contains(t, errOut, path+" is an SQLite database of another program, not an embedded catalog; "+
		"restore it from a backup, or move it aside and create it again, empty, "+
		"by opening the session: mv "+path+" "+path+".damaged && cyclezero -C "+dir+" resume mine\n")
	assert.NotContains(t, errOut, "seed-demo", "a real model's catalog is never offered the demo")
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, b, after, "ls wrote nothing")
	assert.NoFileExists(t, path+"-wal")
}
