package steps

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/state"
)

// Reading a catalog never creates one; CheckCatalog, a read, neither.
func TestOpenCatalogToReadCreatesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := state.CatalogLocation{Kind: state.CatalogLocal, Path: filepath.Join(t.TempDir(), "c.sqlite")}
	_, err := OpenCatalogToRead(loc)
	require.ErrorIs(t, err, catalog.ErrNotFound)
	require.ErrorIs(t, CheckCatalog(ctx, loc), catalog.ErrNotFound)
	assert.NoFileExists(t, loc.Path)

	require.NoError(t, PrepareLocalCatalog(ctx, loc.Path, "proj"))
	require.NoError(t, CheckCatalog(ctx, loc))
	store, err := OpenCatalogToRead(loc)
	require.NoError(t, err)
	defer store.Close()
	m, err := store.Model(ctx, "")
	require.NoError(t, err)
	assert.NotNil(t, m.Schemas["proj"], "it reads the catalog there")
	err = store.Create(ctx, catalog.ModelChange{Schemas: []catalog.SchemaDef{{Name: "more"}}})
	assert.ErrorIs(t, err, catalog.ErrForbidden, "and does not write to it")
}
