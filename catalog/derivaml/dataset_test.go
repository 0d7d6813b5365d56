package derivaml_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

func TestDatasetVersionLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	images := imageDomain(t, ml, 5)
	exe := runningExecution(t, ml, "curator")

	ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Types: []string{"Training", "Labeled"}, Description: "dev set", Execution: exe})
	require.NoError(t, err)
	assert.Equal(t, "0.1.0", ds.Version)
	h, err := ml.DatasetHistory(ctx, ds.RID)
	require.NoError(t, err)
	require.Len(t, h, 1)
	initial := h[0]
	assert.Equal(t, "Initial dataset creation.", initial.Description)
	assert.Equal(t, exe, initial.Execution)
	assert.NotEmpty(t, initial.Snapshot, "a release pins a snapshot")
	row := datasetRow(t, ml, ds.RID)
	assert.Equal(t, initial.RID, row.String("Version"), "Dataset.Version points at the version row")
	assert.Equal(t, false, row["Deleted"])

	_, err = ml.Release(ctx, ds.RID, derivaml.Minor, "nothing changed", "")
	assert.EqualError(t, err, "Dataset "+ds.RID+" has no dev period to release (current_version=0.1.0). To release a no-op change, "+
		"call mark_dev() first to declare a dev period, then release() to promote it.")

	require.NoError(t, ml.AddDatasetMembers(ctx, ds.RID, map[string][]string{"Image": images[:3]}, derivaml.MemberOptions{}))
	h, err = ml.DatasetHistory(ctx, ds.RID)
	require.NoError(t, err)
	require.Len(t, h, 2)
	dev := h[1]
	assert.Equal(t, "0.1.0.post1.dev1", dev.Version.String())
	assert.Empty(t, dev.Snapshot, "dev rows track the live catalog")
	assert.Equal(t, "Updated dataset via add_dataset_members", dev.Description)
	assert.Equal(t, dev.RID, datasetRow(t, ml, ds.RID).String("Version"))

	require.NoError(t, ml.AddDatasetMembers(ctx, ds.RID, map[string][]string{"Image": images[3:4]},
		derivaml.MemberOptions{Description: "one more", Execution: exe}))
	h, err = ml.DatasetHistory(ctx, ds.RID)
	require.NoError(t, err)
	require.Len(t, h, 2, "the dev row is updated in place")
	assert.Equal(t, dev.RID, h[1].RID)
	assert.Equal(t, "0.1.0.post1.dev2", h[1].Version.String())
	assert.Equal(t, "one more", h[1].Description)
	assert.Equal(t, exe, h[1].Execution)
	cur, err := ml.CurrentVersion(ctx, ds.RID)
	require.NoError(t, err)
	assert.Equal(t, "0.1.0.post1.dev2", cur.String())

	v, err := ml.Release(ctx, ds.RID, derivaml.Minor, "four images", exe)
	require.NoError(t, err)
	assert.Equal(t, "0.2.0", v.String())
	h, err = ml.DatasetHistory(ctx, ds.RID)
	require.NoError(t, err)
	require.Len(t, h, 2)
	rel := h[1]
	assert.Equal(t, dev.RID, rel.RID, "release promotes the dev row in place")
	assert.Equal(t, "0.2.0", rel.Version.String())
	assert.Equal(t, "four images", rel.Description)
	assert.NotEmpty(t, rel.Snapshot)

	// After the release, removing members opens a new dev period; the
	// released version still lists what it had.
	require.NoError(t, ml.DeleteDatasetMembers(ctx, ds.RID, images[:2], derivaml.MemberOptions{}))
	cur, err = ml.CurrentVersion(ctx, ds.RID)
	require.NoError(t, err)
	assert.Equal(t, "0.2.0.post1.dev1", cur.String())
	live, err := ml.ListMembers(ctx, ds.RID, "")
	require.NoError(t, err)
	assert.ElementsMatch(t, images[2:4], ridsOf(live["Image"]))
	at020, err := ml.ListMembers(ctx, ds.RID, "0.2.0")
	require.NoError(t, err)
	assert.ElementsMatch(t, images[:4], ridsOf(at020["Image"]))
	for _, label := range []string{"0.2", "v0.2.0"} {
		at, err := ml.ListMembers(ctx, ds.RID, label)
		require.NoError(t, err, "the released 0.2.0 spelled %q", label)
		assert.ElementsMatch(t, images[:4], ridsOf(at["Image"]), "members at %q", label)
	}
	at010, err := ml.ListMembers(ctx, ds.RID, "0.1.0")
	require.NoError(t, err)
	assert.Empty(t, at010["Image"], "0.1.0 was released empty")
	_, err = ml.ListMembers(ctx, ds.RID, "9.9.9")
	assert.ErrorContains(t, err, "Version '9.9.9' does not exist for dataset")

	v, err = ml.Release(ctx, ds.RID, derivaml.Major, "two images", "")
	require.NoError(t, err)
	assert.Equal(t, "1.0.0", v.String())
	require.NoError(t, ml.MarkDev(ctx, ds.RID, "new labels on members", exe))
	cur, err = ml.CurrentVersion(ctx, ds.RID)
	require.NoError(t, err)
	assert.Equal(t, "1.0.0.post1.dev1", cur.String())
	v, err = ml.Release(ctx, ds.RID, derivaml.Patch, "relabelled", "")
	require.NoError(t, err)
	assert.Equal(t, "1.0.1", v.String())

	got, err := ml.LookupDataset(ctx, ds.RID)
	require.NoError(t, err)
	assert.Equal(t, "1.0.1", got.Version)
	assert.ElementsMatch(t, []string{"Training", "Labeled"}, got.Types)
}

func TestDatasetMembershipRules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	images := imageDomain(t, ml, 3)
	_, err := ml.CreateTable(ctx, subjectDef)
	require.NoError(t, err)
	ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "d"})
	require.NoError(t, err)

	err = ml.AddDatasetMembers(ctx, ds.RID, map[string][]string{"Subject": {"1-AAAA"}}, derivaml.MemberOptions{})
	assert.EqualError(t, err, "RID table: Subject not part of dataset_table", "Subject is not an element type")

	require.NoError(t, ml.AddDatasetMemberRIDs(ctx, ds.RID, images[:1], derivaml.MemberOptions{}))
	err = ml.AddDatasetMembers(ctx, ds.RID, map[string][]string{"Image": images[:2]}, derivaml.MemberOptions{})
	assert.EqualError(t, err, "Attempting to add existing member to dataset_table "+ds.RID+": {'"+images[0]+"'}")
	require.NoError(t, ml.AddDatasetMembers(ctx, ds.RID, map[string][]string{"Image": images[:2]},
		derivaml.MemberOptions{SkipValidation: true}), "without validation a repeat is skipped")

	err = ml.AddDatasetMemberRIDs(ctx, ds.RID, []string{"7-ZZZZ"}, derivaml.MemberOptions{})
	assert.EqualError(t, err, "RIDs not found in catalog: ['7-ZZZZ']")

	err = ml.AddDatasetMembers(ctx, ds.RID, map[string][]string{"Dataset": {ds.RID}}, derivaml.MemberOptions{})
	assert.ErrorContains(t, err, "Creating cycle of datasets is not allowed: ['"+ds.RID+"', '"+ds.RID+"']")
	child, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "child"})
	require.NoError(t, err)
	require.NoError(t, ml.AddDatasetMemberRIDs(ctx, ds.RID, []string{child.RID}, derivaml.MemberOptions{}))
	members, err := ml.ListMembers(ctx, ds.RID, "")
	require.NoError(t, err)
	assert.Equal(t, []string{child.RID}, ridsOf(members["Dataset"]))
	assert.ElementsMatch(t, images[:2], ridsOf(members["Image"]))

	h, err := ml.DatasetHistory(ctx, ds.RID)
	require.NoError(t, err)
	assert.Equal(t, "0.1.0.post1.dev3", h[len(h)-1].Version.String(), "three membership changes, one dev row")

	assert.EqualError(t, ml.AddDatasetTypes(ctx, ds.RID, "Dev"), "Invalid term Dev in vocabulary Dataset_Type: Term doesn't exist.")
}

func TestCreateDatasetChecksTypesFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	_, err := ml.CreateDataset(ctx, derivaml.NewDataset{Types: []string{"Training", "Development"}, Description: "x"})
	var invalid *derivaml.InvalidTermError
	require.True(t, errors.As(err, &invalid))
	assert.EqualError(t, err, "Invalid term Development in vocabulary Dataset_Type: Term doesn't exist.")
	all, err := ml.FindDatasets(ctx, true)
	require.NoError(t, err)
	assert.Empty(t, all, "nothing is written for a rejected dataset")

	// A failure after the first write (a missing execution) is undone.
	_, err = ml.CreateDataset(ctx, derivaml.NewDataset{Types: []string{"Training"}, Execution: "1-XXXX"})
	require.Error(t, err)
	for _, table := range []string{"Dataset", "Dataset_Version", "Dataset_Dataset_Type", "Dataset_Execution"} {
		rows, err := ml.Store().Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: "deriva-ml", Table: table}, Limit: 5})
		require.NoError(t, err)
		assert.Empty(t, rows, "%s is left clean", table)
	}

	_, err = ml.AddTerm(ctx, "Dataset_Type", "Development", "dev subsets", []string{"Dev"})
	require.NoError(t, err)
	ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Types: []string{"Dev"}, Description: "y"})
	require.NoError(t, err)
	assert.Equal(t, []string{"Development"}, ds.Types, "a synonym is stored as the term name")
	require.NoError(t, ml.AddDatasetTypes(ctx, ds.RID, "Training", "Development"))
	require.NoError(t, ml.RemoveDatasetType(ctx, ds.RID, "Training"))
	h, err := ml.DatasetHistory(ctx, ds.RID)
	require.NoError(t, err)
	last := h[len(h)-1]
	assert.Equal(t, "0.1.0.post1.dev2", last.Version.String())
	assert.Equal(t, "Removed dataset type: Training", last.Description)

	require.NoError(t, ml.DeleteDataset(ctx, ds.RID))
	visible, err := ml.FindDatasets(ctx, false)
	require.NoError(t, err)
	assert.Empty(t, visible)
	deleted, err := ml.FindDatasets(ctx, true)
	require.NoError(t, err)
	require.Len(t, deleted, 1)
	assert.True(t, deleted[0].Deleted)
}

func datasetRow(t *testing.T, ml *derivaml.ML, rid string) catalog.Row {
	t.Helper()
	rows, err := ml.Store().Query(context.Background(), catalog.Query{Table: catalog.TableRef{Schema: "deriva-ml", Table: "Dataset"},
		Where: catalog.Eq{Column: "RID", Value: rid}, Limit: 1})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	return rows[0]
}

func ridsOf(rows []catalog.Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.RID()
	}
	return out
}
