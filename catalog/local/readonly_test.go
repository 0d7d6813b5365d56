package local

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	sqlite3 "modernc.org/sqlite/lib"
)

var roTerm = catalog.TableRef{Schema: "lab", Table: "Term"}

// roCatalog makes a closed catalog at path with one Term row, alpha.
func roCatalog(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(path, Options{})
	require.NoError(t, err)
	term := catalog.DefineTable(catalog.TableDef{Schema: "lab", Name: "Term",
		Columns: []catalog.ColumnDef{{Name: "Name", Type: catalog.TypeText}}})
	require.NoError(t, s.Create(ctx, catalog.ModelChange{Schemas: []catalog.SchemaDef{{Name: "lab"}}, Tables: []*catalog.Table{term}}))
	_, err = s.Insert(ctx, roTerm, []catalog.Row{{"Name": "alpha"}}, catalog.InsertOptions{})
	require.NoError(t, err)
	require.NoError(t, s.Close())
}

// readAlpha opens path read-only and reads its Term rows.
func readAlpha(path string, opts Options) ([]catalog.Row, error) {
	opts.ReadOnly = true
	s, err := OpenExisting(path, opts)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Query(context.Background(), catalog.Query{Table: roTerm, Limit: 10})
}

// blockSHM makes the -shm file of path impossible to open or create, as on
// a read-only medium; root writes anywhere, so it is a dangling symlink.
func blockSHM(t *testing.T, path string) {
	t.Helper()
	require.NoError(t, os.Symlink(filepath.Join(filepath.Dir(path), "nowhere", "shm"), path+"-shm"))
}

// SQLite cannot make the -shm file beside a WAL catalog on a read-only
// medium: the test blocks it (blockSHM) and says the directory is
// read-only.
func TestReadOnlyStoreOnReadOnlyMediumOpensImmutable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "c.db")
	roCatalog(t, path)
	blockSHM(t, path)
	readOnly := func(d string) bool { assert.Equal(t, dir, d); return true }
	writable := func(string) bool { return false }

	rows, err := readAlpha(path, Options{readOnlyDir: readOnly})
	require.NoError(t, err, "read as immutable")
	require.Len(t, rows, 1)
	assert.Equal(t, "alpha", rows[0]["Name"])

	_, err = readAlpha(path, Options{readOnlyDir: writable})
	require.Error(t, err, "a directory that can be written is not a read-only medium: SQLite's error stands")
	assert.Contains(t, err.Error(), "unable to open database file")

	_, err = OpenExisting(path, Options{readOnlyDir: readOnly})
	require.Error(t, err, "a writable Store is never immutable")
}

// Immutable reading would ignore commits still in the -wal file, so a
// catalog that has some is refused, saying what to do.
func TestReadOnlyMediumWithPendingWALIsRefused(t *testing.T) {
	t.Parallel()
	src := filepath.Join(t.TempDir(), "c.db")
	roCatalog(t, src)
	w, err := Open(src, Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = w.Close() })
	_, err = w.Insert(context.Background(), roTerm, []catalog.Row{{"Name": "beta"}}, catalog.InsertOptions{})
	require.NoError(t, err)
	// A copy taken while the writer is open: beta is only in the -wal.
	dir := t.TempDir()
	path := filepath.Join(dir, "c.db")
	for _, suffix := range []string{"", "-wal"} {
		b, err := os.ReadFile(src + suffix)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path+suffix, b, 0o644))
	}
	blockSHM(t, path)

	_, err = readAlpha(path, Options{readOnlyDir: func(string) bool { return true }})
	require.Error(t, err)
	assert.Contains(t, err.Error(), path+"-wal that are not merged into it yet")
	assert.Contains(t, catalog.Hint(err), "copy "+path+" and "+path+"-wal together")
	assert.NotContains(t, strings.ToLower(strings.ReplaceAll(err.Error(), path, "PATH")), "server")
}

func TestImmutableRetryDecides(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "missing", "c.db")+"?mode=ro")
	require.NoError(t, err)
	cantOpen := db.Ping()
	require.NoError(t, db.Close())
	require.Equal(t, sqlite3.SQLITE_CANTOPEN, sqliteCode(cantOpen)&0xff, "%v", cantOpen)
	_, notSQLite := OpenExisting(filepath.Join(t.TempDir(), "missing.db"), Options{ReadOnly: true})
	for _, tc := range []struct {
		name     string
		err      error
		readOnly bool
		retry    bool
	}{
		{"cannot open, read-only directory", cantOpen, true, true},
		{"cannot open, writable directory", cantOpen, false, false},
		{"not an SQLite error", notSQLite, true, false},
		{"any other error", errors.New("boom"), true, false},
	} {
		retry, refusal := immutableRetry(path, tc.err, func(string) bool { return tc.readOnly })
		assert.Equal(t, tc.retry, retry, tc.name)
		assert.NoError(t, refusal, tc.name)
	}
	assert.Equal(t, "file:"+path+"?mode=ro&immutable=1&"+dsnParams(true, busyTimeout), immutableDSN(path))
}

// The real thing, where the test may mount: a catalog made on a tmpfs
// that is then remounted read-only is still read by a read-only Store.
func TestReadOnlyMount(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root; the directory-blocked -shm test covers the retry")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v: %s); the directory-blocked -shm test covers the retry", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	path := filepath.Join(dir, "c.db")
	roCatalog(t, path)
	out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput()
	require.NoError(t, err, "%s", out)
	require.True(t, readOnlyDir(dir), "access(2) says the mount is read-only")

	_, err = readAlpha(path, Options{readOnlyDir: func(string) bool { return false }})
	require.Error(t, err, "without the retry SQLite cannot read it")
	rows, err := readAlpha(path, Options{})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, "alpha", rows[0]["Name"])
	_, err = os.Stat(path + "-shm")
	assert.ErrorIs(t, err, os.ErrNotExist)
}
