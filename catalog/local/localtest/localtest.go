// Package localtest opens embedded catalogs for tests, so that the packages
// testing over one do not each repeat the open-in-a-temporary-directory
// and close-at-the-end. It is imported by tests only.
package localtest

import (
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
