package derivaml_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

// Member RIDs no element table holds are looked for table by table when
// they outnumber the tables (no RID lookup each): unknown ones are
// reported missing, and one in a table that is not an element type is
// named with its table.
func TestMemberRIDsResolvedByTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := &countingStore{Store: localtest.Open(t, local.Options{})}
	ml := derivaml.New(store, "demo")
	require.NoError(t, ml.CreateMLSchema(ctx))
	images := imageDomain(t, ml, 1)
	ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "d"})
	require.NoError(t, err)
	var unknown []string
	for i := range 60 {
		unknown = append(unknown, catalog.EncodeRID(int64(1<<40+2*i)))
	}
	store.resolves.Store(0)
	err = ml.AddDatasetMemberRIDs(ctx, ds.RID, append([]string{images[0]}, unknown...), derivaml.MemberOptions{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "RIDs not found in catalog: ['"+unknown[0]+"', ")
	assert.Zero(t, store.resolves.Load(), "no RID lookup each")

	history, err := ml.DatasetHistory(ctx, ds.RID)
	require.NoError(t, err)
	err = ml.AddDatasetMemberRIDs(ctx, ds.RID, append([]string{history[0].RID}, unknown...), derivaml.MemberOptions{})
	assert.EqualError(t, err, "RID table: Dataset_Version not part of dataset_table")
	assert.Zero(t, store.resolves.Load())

	err = ml.AddDatasetMemberRIDs(ctx, ds.RID, []string{history[0].RID}, derivaml.MemberOptions{})
	assert.EqualError(t, err, "RID table: Dataset_Version not part of dataset_table", "one miss: a RID lookup")
	assert.Equal(t, int64(1), store.resolves.Load())
}
