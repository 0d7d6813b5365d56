package derivaml_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

func mlRows(t *testing.T, ml *derivaml.ML, table string, where catalog.Filter) []catalog.Row {
	t.Helper()
	rows, err := ml.Store().Query(context.Background(), catalog.Query{Table: catalog.TableRef{Schema: "deriva-ml", Table: table},
		Where: where, Limit: 100})
	require.NoError(t, err)
	return rows
}

// The creating execution is the dataset's producer, recorded on the
// initial version row only; Dataset_Execution holds input edges, and an
// execution that declared no input gets the unknown-provenance File as
// one, as DerivaML's create_dataset does.
func TestCreateDatasetRecordsProducerNotConsumer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	exe := runningExecution(t, ml, "producer")
	ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "out", Execution: exe})
	require.NoError(t, err)
	h, err := ml.DatasetHistory(ctx, ds.RID)
	require.NoError(t, err)
	assert.Equal(t, exe, h[0].Execution)
	assert.Empty(t, mlRows(t, ml, "Dataset_Execution", nil), "the producer is not recorded as a consumer")

	sentinel := mlRows(t, ml, "File", catalog.Eq{Column: "URL", Value: derivaml.SentinelFileURL})
	require.Len(t, sentinel, 1)
	links := mlRows(t, ml, "File_Execution", catalog.Eq{Column: "Execution", Value: exe})
	require.Len(t, links, 1)
	assert.Equal(t, sentinel[0].RID(), links[0].String("File"))
	assert.Equal(t, "Input", links[0].String("Asset_Role"))
	tags := mlRows(t, ml, "File_Asset_Type", catalog.Eq{Column: "File", Value: sentinel[0].RID()})
	assert.Equal(t, []string{"Input_File"}, stringsOf(tags, "Asset_Type"))

	// A second dataset by the same execution links the sentinel once.
	_, err = ml.CreateDataset(ctx, derivaml.NewDataset{Description: "out 2", Execution: exe})
	require.NoError(t, err)
	assert.Len(t, mlRows(t, ml, "File_Execution", catalog.Eq{Column: "Execution", Value: exe}), 1)

	// An execution with a declared input gets no sentinel.
	other := runningExecution(t, ml, "consumer")
	require.NoError(t, ml.AddExecutionInputs(ctx, other, map[string]string{ds.RID: h[0].RID}))
	_, err = ml.CreateDataset(ctx, derivaml.NewDataset{Description: "derived", Execution: other})
	require.NoError(t, err)
	assert.Empty(t, mlRows(t, ml, "File_Execution", catalog.Eq{Column: "Execution", Value: other}))
	inputs := mlRows(t, ml, "Dataset_Execution", nil)
	require.Len(t, inputs, 1, "only the declared input edge")
	assert.Equal(t, other, inputs[0].String("Execution"))

	_, err = ml.CreateDataset(ctx, derivaml.NewDataset{Description: "x", Execution: "1-XXXX"})
	assert.ErrorContains(t, err, "create dataset: Execution 1-XXXX not found")
}

func stringsOf(rows []catalog.Row, col string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.String(col)
	}
	return out
}
