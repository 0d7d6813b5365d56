package local_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/local"
)

// dirBytes is every file in dir with its bytes, to show that opening wrote
// nothing (nor left -wal or -shm files behind).
func dirBytes(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		if e.IsDir() {
			out[e.Name()+"/"] = ""
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		out[e.Name()] = string(b)
	}
	return out
}

// execSQLite runs statements on path with the plain driver, as another
// program would.
func execSQLite(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	for _, q := range stmts {
		_, err := db.Exec(q)
		require.NoError(t, err, q)
	}
}

// notCatalogs makes, in dir, one file for each problem OpenExisting refuses.
func notCatalogs(t *testing.T, dir string) map[local.Problem]string {
	t.Helper()
	paths := map[local.Problem]string{
		local.FileMissing:       filepath.Join(dir, "missing.db"),
		local.FileIsDirectory:   filepath.Join(dir, "adir"),
		local.FileEmpty:         filepath.Join(dir, "empty.db"),
		local.FileEmptyDatabase: filepath.Join(dir, "no-tables.db"),
		local.FileNotSQLite:     filepath.Join(dir, "notes.txt"),
		local.FileForeign:       filepath.Join(dir, "other.db"),
	}
	require.NoError(t, os.Mkdir(paths[local.FileIsDirectory], 0o755))
	require.NoError(t, os.WriteFile(paths[local.FileEmpty], nil, 0o644))
	require.NoError(t, os.WriteFile(paths[local.FileNotSQLite], []byte("hello, not a database\n"), 0o644))
	execSQLite(t, paths[local.FileEmptyDatabase], `PRAGMA user_version = 7`)
	execSQLite(t, paths[local.FileForeign], `CREATE TABLE notes (body TEXT)`, `INSERT INTO notes VALUES ('keep me')`)
	return paths
}

func TestOpenExistingRefusesWhatIsNotACatalogAndWritesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	paths := notCatalogs(t, dir)
	before := dirBytes(t, dir)
	for problem, path := range paths {
		for _, ro := range []bool{true, false} {
			s, err := local.OpenExisting(path, local.Options{ReadOnly: ro})
			require.Error(t, err, path)
			assert.Nil(t, s)
			var fe *local.FileError
			require.ErrorAs(t, err, &fe, path)
			assert.Equal(t, problem, fe.Problem, path)
			assert.Equal(t, path, fe.Path)
			assert.ErrorIs(t, err, catalog.ErrNotFound, "%s: no catalog there", path)
			assert.Contains(t, err.Error(), path)
			assert.Contains(t, catalog.Hint(err), "cyclezero catalog seed-demo --db", "the fix says how to make a catalog")
		}
	}
	assert.Equal(t, before, dirBytes(t, dir), "no file was created, changed or left behind")
}

func TestOpenExistingFixes(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "my files")
	require.NoError(t, os.Mkdir(dir, 0o755))
	paths := notCatalogs(t, dir)
	_, err := local.OpenExisting(paths[local.FileEmpty], local.Options{})
	assert.EqualError(t, err, "open local catalog: "+paths[local.FileEmpty]+" is an empty file, not a local catalog yet")
	assert.Equal(t, "create it, with the demo domain, with: cyclezero catalog seed-demo --db '"+paths[local.FileEmpty]+"'",
		catalog.Hint(err), "the path is quoted for the shell")
	_, err = local.OpenExisting(paths[local.FileForeign], local.Options{})
	assert.EqualError(t, err, "open local catalog: "+paths[local.FileForeign]+
		" is an SQLite database of another program, not a cyclezero local catalog")
	assert.Contains(t, catalog.Hint(err), "choose another file")
}

// Open creates over nothing (no file, an empty file, a database without
// tables) but refuses the rest as OpenExisting does, before writing: the
// WAL journal mode it sets would rewrite another program's file header.
func TestOpenRefusesWhatItCannotCreateOverAndWritesNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	paths := notCatalogs(t, dir)
	before := dirBytes(t, dir)
	for _, p := range []local.Problem{local.FileIsDirectory, local.FileNotSQLite, local.FileForeign} {
		_, err := local.Open(paths[p], local.Options{})
		var fe *local.FileError
		require.ErrorAs(t, err, &fe, paths[p])
		assert.Equal(t, p, fe.Problem)
	}
	assert.Equal(t, before, dirBytes(t, dir))

	// A foreign database in WAL mode is left as it was too.
	walDir := t.TempDir()
	wal := filepath.Join(walDir, "wal.db")
	execSQLite(t, wal, `PRAGMA journal_mode = WAL`, `CREATE TABLE t (x)`)
	before = dirBytes(t, walDir)
	_, err := local.OpenExisting(wal, local.Options{ReadOnly: true})
	require.ErrorIs(t, err, catalog.ErrNotFound)
	_, err = local.Open(wal, local.Options{})
	require.ErrorIs(t, err, catalog.ErrNotFound)
	assert.Equal(t, before, dirBytes(t, walDir))

	for _, p := range []local.Problem{local.FileMissing, local.FileEmpty, local.FileEmptyDatabase} {
		s, err := local.Open(paths[p], local.Options{})
		require.NoError(t, err, paths[p])
		require.NoError(t, s.Close())
		head := make([]byte, 20)
		f, err := os.Open(paths[p])
		require.NoError(t, err)
		_, err = f.Read(head)
		f.Close()
		require.NoError(t, err)
		assert.Equal(t, []byte{2, 2}, head[18:20], "%s: a new catalog is in WAL mode", paths[p])
		s, err = local.OpenExisting(paths[p], local.Options{ReadOnly: true})
		require.NoError(t, err, "Open made %s a catalog", paths[p])
		require.NoError(t, s.Close())
	}
}

func TestOpenExistingReadsWithoutWriting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "c.db")
	closedLab(t, path, catalog.Row{"Name": "alpha"})
	before := dirBytes(t, dir)

	r, err := local.OpenExisting(path, local.Options{ReadOnly: true, Client: catalog.Identity{ID: "reader"}})
	require.NoError(t, err)
	rows, err := r.Query(ctx, catalog.Query{Table: termRef, Limit: 10})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	_, err = r.Insert(ctx, termRef, []catalog.Row{{"Name": "beta"}}, catalog.InsertOptions{})
	require.ErrorIs(t, err, catalog.ErrForbidden, "a read-only Store refuses writes")
	assert.Contains(t, err.Error(), "is open read-only")
	require.NoError(t, r.Close())
	assert.Equal(t, before, dirBytes(t, dir), "reading wrote nothing and left no -wal or -shm behind")

	_, err = local.Open(path, local.Options{ReadOnly: true})
	assert.ErrorContains(t, err, "use OpenExisting", "Open creates, so it is never read-only")
}

// A read-only Store (catalog serve) keeps seeing what another process
// commits.
func TestReadOnlyStoreSeesAnotherWriter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	w := openLab(t, path, local.Options{Client: me})
	r, err := local.OpenExisting(path, local.Options{ReadOnly: true})
	require.NoError(t, err)
	t.Cleanup(func() { _ = r.Close() })
	require.NoError(t, w.Create(ctx, labModel()))
	mustInsert(t, w, termRef, catalog.Row{"Name": "alpha"})
	rows, err := r.Query(ctx, catalog.Query{Table: termRef, Limit: 10})
	require.NoError(t, err, "the reader sees the table created after it opened")
	assert.Len(t, rows, 1)
	mustInsert(t, w, termRef, catalog.Row{"Name": "beta"})
	rows, err = r.Query(ctx, catalog.Query{Table: termRef, Limit: 10})
	require.NoError(t, err)
	assert.Len(t, rows, 2)
}

// A catalog of another layout version is refused, not migrated, by both
// opens; the message says which way the versions differ.
func TestOtherLayoutFormatIsRefusedUnchanged(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		format int
		fix    string
	}{{2, "upgrade cyclezero"}, {0, "open it with the cyclezero that wrote it"}} {
		dir := t.TempDir()
		path := filepath.Join(dir, "c.db")
		s, err := local.Open(path, local.Options{})
		require.NoError(t, err)
		require.NoError(t, s.Close())
		execSQLite(t, path, `UPDATE _meta SET v = `+map[int]string{0: "0", 2: "2"}[tc.format]+` WHERE k = 'format'`)
		before := dirBytes(t, dir)
		for _, open := range []func(string, local.Options) (*local.Store, error){local.Open, local.OpenExisting} {
			_, err := open(path, local.Options{})
			var fe *local.FileError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, local.FileOtherFormat, fe.Problem)
			assert.Equal(t, tc.format, fe.Format)
			assert.True(t, errors.Is(err, catalog.ErrBadResponse) && !errors.Is(err, catalog.ErrNotFound),
				"the catalog is there, in a layout this version does not read")
			assert.Contains(t, catalog.Hint(err), tc.fix)
		}
		assert.Equal(t, before, dirBytes(t, dir))
	}
}

// Stores opening one new file at once (two processes starting together)
// all get the one catalog that the first of them creates.
func TestConcurrentOpensCreateOneCatalog(t *testing.T) {
	t.Parallel()
	for range 5 {
		path := filepath.Join(t.TempDir(), "c.db")
		var wg sync.WaitGroup
		stores := make([]*local.Store, 4)
		errs := make([]error, len(stores))
		for i := range stores {
			wg.Go(func() { stores[i], errs[i] = local.Open(path, local.Options{}) })
		}
		wg.Wait()
		snaps := map[string]bool{}
		for i, s := range stores {
			require.NoError(t, errs[i])
			snap, err := s.Snapshot(context.Background())
			require.NoError(t, err)
			snaps[snap] = true
			require.NoError(t, s.Close())
		}
		assert.Len(t, snaps, 1, "one creator won; the others opened its catalog")
	}
}
