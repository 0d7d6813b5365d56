package derivaml_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

var (
	datasetTable = catalog.TableRef{Schema: "deriva-ml", Table: "Dataset"}
	nestingTable = catalog.TableRef{Schema: "deriva-ml", Table: "Dataset_Dataset"}
)

// newDatasets creates n datasets with no types.
func newDatasets(t *testing.T, ml *derivaml.ML, n int) []string {
	t.Helper()
	out := make([]string, n)
	for i := range out {
		ds, err := ml.CreateDataset(context.Background(), derivaml.NewDataset{Description: "dataset"})
		require.NoError(t, err)
		out[i] = ds.RID
	}
	return out
}

// nest records children as nested datasets of parent, as DerivaML does.
func nest(t *testing.T, ml *derivaml.ML, parent string, children ...string) {
	t.Helper()
	require.NoError(t, ml.AddDatasetMembers(context.Background(), parent, map[string][]string{"Dataset": children}, derivaml.MemberOptions{}))
}

// deletedFlags reads the Deleted column of each dataset, by RID.
func deletedFlags(t *testing.T, ml *derivaml.ML) map[string]bool {
	t.Helper()
	rows, err := ml.Store().Query(context.Background(), catalog.Query{Table: datasetTable, Select: []string{catalog.ColRID, "Deleted"}, Limit: 1000})
	require.NoError(t, err)
	out := map[string]bool{}
	for _, r := range rows {
		d, _ := r["Deleted"].(bool)
		out[r.RID()] = d
	}
	return out
}

// A dataset that other datasets contain is not deleted: DerivaML's
// delete_dataset refuses it in its own words, naming every parent (a
// deleted one too), and nothing is written.
func checkNestedDeleteRefused(t *testing.T, ml *derivaml.ML) {
	ctx := context.Background()
	ds := newDatasets(t, ml, 3)
	child := ds[0]
	parents := slices.Sorted(slices.Values(ds[1:]))
	nest(t, ml, parents[1], child)
	nest(t, ml, parents[0], child)

	before := catalogState(t, ml.Store())
	fs := &failingStore{Store: ml.Store()}
	err := derivaml.New(fs, "demo").DeleteDataset(ctx, child)
	require.Error(t, err)
	assert.EqualError(t, err, `Dataset "`+child+`" is in a nested dataset: ['`+parents[0]+`', '`+parents[1]+`']. `+
		"Remove it from those datasets first, or delete a containing dataset together with its nested datasets.")
	var nested *derivaml.NestedDatasetError
	require.True(t, errors.As(err, &nested))
	assert.Equal(t, child, nested.RID)
	assert.Equal(t, parents, nested.Parents)
	assert.ErrorIs(t, err, catalog.ErrConflict)
	assert.Zero(t, fs.writes.Load(), "nothing was written")
	assertSameState(t, before, catalogState(t, ml.Store()), "refused delete")

	err = ml.DeleteDatasetRecursive(ctx, child)
	require.True(t, errors.As(err, &nested), "recursion does not lift the refusal")

	// A parent with no parents of its own is deleted alone; its child
	// stays live and is still refused, the deleted parent named too.
	require.NoError(t, ml.DeleteDataset(ctx, parents[0]))
	flags := deletedFlags(t, ml)
	assert.True(t, flags[parents[0]])
	assert.False(t, flags[child])
	err = ml.DeleteDataset(ctx, child)
	require.True(t, errors.As(err, &nested))
	assert.Equal(t, parents, nested.Parents)
}

func TestDeleteNestedDatasetRefused(t *testing.T) {
	t.Parallel()
	checkNestedDeleteRefused(t, newML(t))
}

// DeleteDatasetRecursive marks the dataset and every live dataset nested
// in it, at any depth, deleted; datasets outside it and nested datasets
// already deleted are left as they are, and a nesting cycle written by
// another client does not trap the walk.
func checkDeleteRecursive(t *testing.T, ml *derivaml.ML) {
	ctx := context.Background()
	ds := newDatasets(t, ml, 6)
	root, c1, c2, grand, gone, other := ds[0], ds[1], ds[2], ds[3], ds[4], ds[5]
	nest(t, ml, root, c1, c2, gone)
	nest(t, ml, c1, grand)
	// A cycle below the root, as another client could write it.
	_, err := ml.Store().Insert(ctx, nestingTable, []catalog.Row{{"Dataset": grand, "Nested_Dataset": c1}}, catalog.InsertOptions{})
	require.NoError(t, err)
	_, err = ml.Store().Update(ctx, datasetTable, catalog.UpdateSpec{Match: []string{catalog.ColRID}, Set: []string{"Deleted"}},
		[]catalog.Row{{catalog.ColRID: gone, "Deleted": true}})
	require.NoError(t, err)
	goneRow, err := ml.Store().Query(ctx, catalog.Query{Table: datasetTable, Where: catalog.Eq{Column: catalog.ColRID, Value: gone}, Limit: 1})
	require.NoError(t, err)

	require.NoError(t, ml.DeleteDatasetRecursive(ctx, root))
	flags := deletedFlags(t, ml)
	for _, d := range []string{root, c1, c2, grand, gone} {
		assert.True(t, flags[d], "%s is deleted", d)
	}
	assert.False(t, flags[other], "a dataset outside the tree stays live")
	after, err := ml.Store().Query(ctx, catalog.Query{Table: datasetTable, Where: catalog.Eq{Column: catalog.ColRID, Value: gone}, Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, goneRow[0].String(catalog.ColRMT), after[0].String(catalog.ColRMT), "an already deleted dataset is not rewritten")

	err = ml.DeleteDatasetRecursive(ctx, root)
	assert.EqualError(t, err, "Dataset "+root+" not found.", "a deleted dataset is not found")
	assert.ErrorIs(t, err, catalog.ErrNotFound)
}

func TestDeleteDatasetRecursive(t *testing.T) {
	t.Parallel()
	checkDeleteRecursive(t, newML(t))
}

// DatasetHistory of a RID that is no dataset's fails in dataset_history's
// words, whether the RID is another table's or unknown; a deleted
// dataset's history still reads.
func checkHistoryOfNonDataset(t *testing.T, ml *derivaml.ML) {
	ctx := context.Background()
	exe := runningExecution(t, ml, "history")
	for _, rid := range []string{exe, "1-ZZZZ"} {
		_, err := ml.DatasetHistory(ctx, rid)
		require.Error(t, err, rid)
		assert.EqualError(t, err, "RID is not for a data set: "+rid)
		var nd *derivaml.NotADatasetError
		require.True(t, errors.As(err, &nd), rid)
		assert.Equal(t, rid, nd.RID)
		assert.ErrorIs(t, err, catalog.ErrNotFound, rid)
		_, err = ml.CurrentVersion(ctx, rid)
		assert.EqualError(t, err, "RID is not for a data set: "+rid, "CurrentVersion reads the history")
	}
	ds := newDatasets(t, ml, 1)[0]
	require.NoError(t, ml.DeleteDataset(ctx, ds))
	h, err := ml.DatasetHistory(ctx, ds)
	require.NoError(t, err)
	require.Len(t, h, 1)
	assert.Equal(t, "0.1.0", h[0].Version.String())
}

func TestHistoryOfNonDataset(t *testing.T) {
	t.Parallel()
	checkHistoryOfNonDataset(t, newML(t))
}

// The same behaviour through the ERMrest client and fake.
func TestDatasetDeleteAndHistoryOverERMrest(t *testing.T) {
	t.Parallel()
	ml, _ := overHTTP(t)
	t.Run("nested refused", func(t *testing.T) { checkNestedDeleteRefused(t, ml) })
	t.Run("recursive", func(t *testing.T) { checkDeleteRecursive(t, ml) })
	t.Run("history", func(t *testing.T) { checkHistoryOfNonDataset(t, ml) })
}
