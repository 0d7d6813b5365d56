package demo_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog/derivaml/demo"
	"github.com/cyclezero/cyclezero/catalog/local"
)

func openLocal(t testing.TB) *local.Store {
	t.Helper()
	s, err := local.Open(filepath.Join(t.TempDir(), "demo.db"), local.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSeedWritesTheDemoDomain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := openLocal(t)
	sum, err := demo.Seed(ctx, store, demo.Options{})
	require.NoError(t, err)
	t.Logf("%+v", sum)
}
