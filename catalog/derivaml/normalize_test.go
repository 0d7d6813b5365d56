package derivaml_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// messy spells a RID as a user might type it: lower case, no dashes.
func messy(rid string) string { return strings.ToLower(strings.ReplaceAll(rid, "-", "")) }

// Every RID argument is normalized before it filters or is written (ERMrest
// matches the plain-text columns holding RIDs exactly, e.g.
// Dataset_Version.Dataset): a dataset, execution and workflow used through
// lower-case, dash-less spellings behave as through canonical ones, and
// what is stored is canonical.
func TestRIDArgumentsAreNormalized(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	images := imageDomain(t, ml, 4)
	wf := mustWorkflow(t, ml)
	exe, err := ml.CreateExecution(ctx, messy(wf), "run")
	require.NoError(t, err)
	assert.Equal(t, wf, exe.Workflow)
	_, err = ml.UpdateStatus(ctx, messy(exe.RID), derivaml.StatusRunning, "")
	require.NoError(t, err)
	e := messy(exe.RID)

	ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "d", Execution: e})
	require.NoError(t, err)
	d := messy(ds.RID)
	require.NoError(t, ml.AddDatasetMembers(ctx, d, map[string][]string{"Image": {messy(images[0]), images[1]}},
		derivaml.MemberOptions{Execution: e}))
	require.NoError(t, ml.AddDatasetMemberRIDs(ctx, d, []string{messy(images[2])}, derivaml.MemberOptions{}))
	require.NoError(t, ml.AddDatasetTypes(ctx, d, "Training"))
	require.NoError(t, ml.RemoveDatasetType(ctx, d, "Training"))
	v, err := ml.Release(ctx, d, derivaml.Minor, "three images", e)
	require.NoError(t, err)
	assert.Equal(t, "0.2.0", v.String())

	history, err := ml.DatasetHistory(ctx, d)
	require.NoError(t, err)
	require.Len(t, history, 2)
	assert.Equal(t, ds.RID, history[1].Dataset)
	assert.Equal(t, exe.RID, history[1].Execution, "the execution is stored canonically")
	cur, err := ml.CurrentVersion(ctx, d)
	require.NoError(t, err)
	assert.Equal(t, "0.2.0", cur.String())
	members, err := ml.ListMembers(ctx, d, "0.2.0")
	require.NoError(t, err)
	assert.ElementsMatch(t, images[:3], ridsOf(members["Image"]))

	rows, err := ml.AddFeatureValues(ctx, e, []derivaml.FeatureRecord{{Target: "Image", Feature: "Diagnosis",
		Values: catalog.Row{"Image": messy(images[0]), "Diagnosis": "Normal", "Grade": int64(1)}}})
	require.NoError(t, err)
	assert.Equal(t, images[0], rows[0].String("Image"))
	counts, err := ml.FeatureClassCounts(ctx, "Image", "Diagnosis", derivaml.ClassCountOptions{Dataset: d})
	require.NoError(t, err)
	assert.Equal(t, int64(1), counts.Labelled)
	assert.Equal(t, int64(2), counts.Unlabelled)
	p, err := ml.Preview(ctx, derivaml.PreviewRequest{Table: "Image", Feature: "Diagnosis", Dataset: d})
	require.NoError(t, err)
	assert.Len(t, p.Rows, 3)

	runs, err := ml.FindExecutions(ctx, messy(wf))
	require.NoError(t, err)
	assert.Equal(t, []string{exe.RID}, rids(runs))
	require.NoError(t, ml.AddExecutionInputs(ctx, e, map[string]string{d: messy(history[1].RID)}))
	inputs, err := ml.Store().Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: "deriva-ml", Table: "Dataset_Execution"},
		Where: catalog.Eq{Column: "Execution", Value: exe.RID}, Limit: 5})
	require.NoError(t, err)
	require.Len(t, inputs, 1)
	assert.Equal(t, ds.RID, inputs[0].String("Dataset"))
	assert.Equal(t, history[1].RID, inputs[0].String("Dataset_Version"))
	require.NoError(t, ml.AddInputAssets(ctx, e, []string{messy(images[3])}))
	assets, err := ml.ExecutionAssets(ctx, e)
	require.NoError(t, err)
	var inputImages []string
	for _, a := range assets {
		if a.Table.Table == "Image" {
			inputImages = append(inputImages, a.Row.RID())
		}
	}
	assert.Equal(t, []string{images[3]}, inputImages)

	require.NoError(t, ml.DeleteDatasetMembers(ctx, d, []string{messy(images[0])}, derivaml.MemberOptions{}))
	live, err := ml.ListMembers(ctx, d, "")
	require.NoError(t, err)
	assert.ElementsMatch(t, images[1:3], ridsOf(live["Image"]))
	require.NoError(t, ml.MarkDev(ctx, d, "touched", e))
	require.NoError(t, ml.DeleteDataset(ctx, d))
	_, err = ml.LookupDataset(ctx, d)
	assert.EqualError(t, err, "Dataset "+ds.RID+" not found.", "deleted, and named as the catalog spells it")
	got, err := ml.LookupDatasetIncludingDeleted(ctx, d)
	require.NoError(t, err)
	assert.Equal(t, ds.RID, got.RID)
	assert.True(t, got.Deleted)
}
