package local_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/local"
)

// bigCatalog is a closed catalog whose lab tables span many pages.
func bigCatalog(t *testing.T, path string) {
	t.Helper()
	rows := make([]catalog.Row, 600)
	for i := range rows {
		rows[i] = catalog.Row{"Name": fmt.Sprintf("term %04d %s", i, strings.Repeat("x", 60))}
	}
	closedLab(t, path, rows...)
}

// overwriteRootPages fills the first page of each lab table (live and
// history) with bytes that are no b-tree page, as a disk fault would.
func overwriteRootPages(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	require.NoError(t, err)
	var pageSize int64
	require.NoError(t, db.QueryRow(`PRAGMA page_size`).Scan(&pageSize))
	rs, err := db.Query(`SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\_%' ESCAPE '\' AND rootpage > 1`)
	require.NoError(t, err)
	var roots []int64
	for rs.Next() {
		var r int64
		require.NoError(t, rs.Scan(&r))
		roots = append(roots, r)
	}
	require.NoError(t, rs.Err())
	require.NoError(t, db.Close())
	require.NotEmpty(t, roots)
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	require.NoError(t, err)
	defer f.Close()
	for _, r := range roots {
		_, err := f.WriteAt(bytes.Repeat([]byte{0xA5}, int(pageSize)), (r-1)*pageSize)
		require.NoError(t, err)
	}
}

// requireDamaged checks that err is the damaged-file refusal of path,
// which names neither a server nor a fix one cannot act on.
func requireDamaged(t *testing.T, err error, path, msg string) {
	t.Helper()
	var fe *local.FileError
	require.ErrorAs(t, err, &fe, msg)
	assert.Equal(t, local.FileDamaged, fe.Problem, msg)
	assert.Equal(t, path, fe.Path, msg)
	assert.NotEmpty(t, fe.Cause, msg)
	assert.ErrorIs(t, err, catalog.ErrBadResponse, msg)
	assert.NotErrorIs(t, err, catalog.ErrNotFound, msg)
	assert.Contains(t, err.Error(), "the embedded catalog file "+path+" is damaged ("+fe.Cause+")", msg)
	assert.NotContains(t, err.Error(), "(11)", "%s: SQLite's words, without the driver's code", msg)
	assert.Equal(t, "restore it from a backup, or move it aside (mv "+path+" "+path+".damaged) and create the catalog again",
		catalog.Hint(err), msg)
	assert.NotContains(t, strings.ToLower(strings.ReplaceAll(err.Error()+catalog.Hint(err), path, "PATH")), "server", msg)
}

// A catalog file with broken pages, wherever they are, is reported as
// damaged (typed, with what to do), both when opening and when a later
// read or write reaches the pages.
func TestDamagedFileIsTyped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	opens := map[string]func(string) (*local.Store, error){
		"Open":                  func(p string) (*local.Store, error) { return local.Open(p, local.Options{}) },
		"OpenExisting":          func(p string) (*local.Store, error) { return local.OpenExisting(p, local.Options{}) },
		"OpenExisting ReadOnly": func(p string) (*local.Store, error) { return local.OpenExisting(p, local.Options{ReadOnly: true}) },
	}
	damages := map[string]func(t *testing.T, path string){
		"table pages overwritten": overwriteRootPages,
		"truncated to half": func(t *testing.T, path string) {
			st, err := os.Stat(path)
			require.NoError(t, err)
			require.NoError(t, os.Truncate(path, st.Size()/2))
		},
		"truncated inside the header": func(t *testing.T, path string) { require.NoError(t, os.Truncate(path, 60)) },
		"header overwritten": func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			require.NoError(t, err)
			_, err = f.WriteAt(bytes.Repeat([]byte{0xA5}, 84), 16) // after "SQLite format 3\0"
			require.NoError(t, err)
			require.NoError(t, f.Close())
		},
	}
	for dname, damage := range damages {
		path := filepath.Join(t.TempDir(), "c.db")
		bigCatalog(t, path)
		damage(t, path)
		for oname, open := range opens {
			msg := dname + ", " + oname
			s, err := open(path)
			if err != nil {
				requireDamaged(t, err, path, msg)
				assert.True(t, strings.HasPrefix(err.Error(), "open local catalog: "), "%s: %v", msg, err)
				continue
			}
			_, err = s.Query(ctx, catalog.Query{Table: termRef, Limit: 1000})
			requireDamaged(t, err, path, msg+": Query")
			if oname == "Open" {
				_, err = s.Insert(ctx, termRef, []catalog.Row{{"Name": "new"}}, catalog.InsertOptions{})
				requireDamaged(t, err, path, msg+": Insert")
			}
			require.NoError(t, s.Close())
		}
	}
}
