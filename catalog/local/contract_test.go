package local_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/storetest"
)

// openTemp opens a fresh catalog in a temporary directory.
func openTemp(t testing.TB, opts local.Options) *local.Store {
	t.Helper()
	s, err := local.Open(filepath.Join(t.TempDir(), "catalog.db"), opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestContract(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) catalog.Store {
		return openTemp(t, local.Options{Client: catalog.Identity{ID: "testuser", DisplayName: "Test User"}})
	})
}
