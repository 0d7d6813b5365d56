package demo_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/catalog/derivaml/demo"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

// Seeded reads back exactly what Seed reported, and only for a complete
// demo: not for an empty catalog, an unfinished seed or a foreign schema.
func TestSeededReadsBackTheSummary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := localtest.Open(t, local.Options{})
	_, ok, err := demo.Seeded(ctx, store, smallDemo)
	require.NoError(t, err)
	assert.False(t, ok, "an empty catalog has no demo")

	want, err := demo.Seed(ctx, store, smallDemo)
	require.NoError(t, err)
	got, ok, err := demo.Seeded(ctx, store, smallDemo)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, want, got)

	unfinished := localtest.Open(t, local.Options{})
	_, err = demo.Seed(ctx, &crashingStore{Store: unfinished, failAt: 40}, smallDemo)
	require.ErrorIs(t, err, errInjected)
	_, ok, err = demo.Seeded(ctx, unfinished, smallDemo)
	require.NoError(t, err)
	assert.False(t, ok, "an unfinished seed is not a demo yet")

	foreign := localtest.Open(t, local.Options{})
	ml := derivaml.New(foreign, "demo")
	require.NoError(t, ml.EnsureMLSchema(ctx))
	_, err = ml.CreateTable(ctx, catalog.TableDef{Name: "Image", Columns: []catalog.ColumnDef{{Name: "Path", Type: catalog.TypeText}}})
	require.NoError(t, err)
	_, ok, err = demo.Seeded(ctx, foreign, smallDemo)
	require.NoError(t, err)
	assert.False(t, ok, "a schema the demo did not make")
}
