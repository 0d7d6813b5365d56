// Package localtest opens embedded catalogs for tests, so that the packages
// testing over one do not each repeat the open-in-a-temporary-directory
// and close-at-the-end. It is imported by tests only.
package localtest

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/cyclezero/cyclezero/catalog/local"
)

// Open opens a new, empty embedded catalog in t.TempDir with opts and
// closes it when t ends. Failing to open fails t.
func Open(t testing.TB, opts local.Options) *local.Store {
	t.Helper()
	s, err := local.Open(filepath.Join(t.TempDir(), "catalog.db"), opts)
	if err != nil {
		t.Fatalf("open a local catalog: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// HoldWriteLock takes the write lock of the catalog file at path from a
// connection of its own, as another process's write does (BEGIN
// IMMEDIATE), and holds it until release is called or t ends. A Store's
// writes meanwhile wait out their busy timeout (Options.BusyTimeout) and
// fail with catalog.ErrUnavailable. Failing to take it fails t.
func HoldWriteLock(t testing.TB, path string) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatalf("open %s to hold its lock: %v", path, err)
	}
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err == nil {
		_, err = conn.ExecContext(ctx, "BEGIN IMMEDIATE")
	}
	if err != nil {
		_ = db.Close()
		t.Fatalf("take the write lock of %s: %v", path, err)
	}
	done := false
	release = func() {
		if done {
			return
		}
		done = true
		_, _ = conn.ExecContext(ctx, "ROLLBACK")
		_ = conn.Close()
		_ = db.Close()
	}
	t.Cleanup(release)
	return release
}
