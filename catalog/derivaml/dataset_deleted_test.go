package derivaml_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// A deleted dataset is not found by LookupDataset, in DerivaML's words, as
// lookup_dataset(rid) refuses it; LookupDatasetIncludingDeleted
// (deleted=True) still finds it.
func TestLookupSkipsDeletedDatasets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, ds, images, _ := memberCatalog(t)
	require.NoError(t, ml.AddDatasetTypes(ctx, ds, "Training"))
	require.NoError(t, ml.AddDatasetMembers(ctx, ds, map[string][]string{"Image": images[:2]}, derivaml.MemberOptions{}))
	require.NoError(t, ml.DeleteDataset(ctx, ds))

	_, err := ml.LookupDataset(ctx, ds)
	require.Error(t, err)
	assert.EqualError(t, err, "Dataset "+ds+" not found.")
	assert.NotContains(t, err.Error(), ".:")
	assert.ErrorIs(t, err, catalog.ErrNotFound)

	got, err := ml.LookupDatasetIncludingDeleted(ctx, ds)
	require.NoError(t, err)
	assert.Equal(t, ds, got.RID)
	assert.True(t, got.Deleted)
	assert.Equal(t, []string{"Training"}, got.Types)
	assert.Equal(t, "0.1.0.post1.dev2", got.Version)

	_, err = ml.LookupDatasetIncludingDeleted(ctx, "1-ZZZZ")
	assert.EqualError(t, err, "Dataset 1-ZZZZ not found.", "a RID no dataset has is not found either way")
}

// Every change to a deleted dataset fails as not found before writing
// anything, as in DerivaML, where the change acts on a dataset that
// lookup_dataset returned. Reads still work: a deleted dataset can be an
// execution's input, and its versions stay citable.
func TestChangesRefuseDeletedDatasets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, ds, images, subjects := memberCatalog(t)
	require.NoError(t, ml.AddDatasetMembers(ctx, ds, map[string][]string{"Image": images[:2]}, derivaml.MemberOptions{}))
	_, err := ml.Release(ctx, ds, derivaml.Minor, "two images", "")
	require.NoError(t, err)
	require.NoError(t, ml.DeleteDataset(ctx, ds))

	before := catalogState(t, ml.Store())
	fs := &failingStore{Store: ml.Store()}
	m := derivaml.New(fs, "demo")
	for name, op := range map[string]func() error{
		"AddDatasetTypes":   func() error { return m.AddDatasetTypes(ctx, ds, "Training") },
		"RemoveDatasetType": func() error { return m.RemoveDatasetType(ctx, ds, "Training") },
		"AddDatasetMembers": func() error {
			return m.AddDatasetMembers(ctx, ds, map[string][]string{"Image": images[2:3]}, derivaml.MemberOptions{})
		},
		"AddDatasetMemberRIDs": func() error { return m.AddDatasetMemberRIDs(ctx, ds, subjects[:1], derivaml.MemberOptions{}) },
		"DeleteDatasetMembers": func() error { return m.DeleteDatasetMembers(ctx, ds, images[:1], derivaml.MemberOptions{}) },
		"MarkDev":              func() error { return m.MarkDev(ctx, ds, "drift", "") },
		"Release":              func() error { _, err := m.Release(ctx, ds, derivaml.Patch, "notes", ""); return err },
		"DeleteDataset":        func() error { return m.DeleteDataset(ctx, ds) },
	} {
		err := op()
		assert.EqualError(t, err, "Dataset "+ds+" not found.", name)
		assert.ErrorIs(t, err, catalog.ErrNotFound, name)
	}
	assert.Zero(t, fs.writes.Load(), "nothing was written")
	assertSameState(t, before, catalogState(t, ml.Store()), "changes to a deleted dataset")

	h, err := ml.DatasetHistory(ctx, ds)
	require.NoError(t, err)
	assert.Equal(t, "0.2.0", h[len(h)-1].Version.String())
	members, err := ml.ListMembers(ctx, ds, "0.2.0")
	require.NoError(t, err)
	assert.ElementsMatch(t, images[:2], ridsOf(members["Image"]))
}

// A dataset whose Deleted is NULL is live, as DerivaML's filter
// (Deleted == False) | (Deleted == None) has it.
func TestNullDeletedIsLive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, ds, _, _ := memberCatalog(t)
	_, err := ml.Store().Update(ctx, catalog.TableRef{Schema: "deriva-ml", Table: "Dataset"},
		catalog.UpdateSpec{Match: []string{catalog.ColRID}, Set: []string{"Deleted"}}, []catalog.Row{{catalog.ColRID: ds, "Deleted": nil}})
	require.NoError(t, err)
	got, err := ml.LookupDataset(ctx, ds)
	require.NoError(t, err)
	assert.False(t, got.Deleted)
	require.NoError(t, ml.AddDatasetTypes(ctx, ds, "Training"))
}
