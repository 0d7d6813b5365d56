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

func demoRef(table string) catalog.TableRef { return catalog.TableRef{Schema: "demo", Table: table} }
func mlRef(table string) catalog.TableRef {
	return catalog.TableRef{Schema: derivaml.MLSchema, Table: table}
}

func rowCount(t *testing.T, store catalog.Store, ref catalog.TableRef, where catalog.Filter) int64 {
	t.Helper()
	n, err := store.Count(context.Background(), catalog.GroupQuery{Table: ref, Where: where})
	require.NoError(t, err)
	return n[0].Count
}

// A catalog whose seed finished but whose demo rows were deleted since —
// what a purge of every demo table, racing a running seed, once left — is
// reported as incomplete, with a fix, by Seeded and Seed alike; it is not
// "already seeded" with 0 images, and Seed writes nothing into it.
func TestSeededReportsAnEmptiedDemoAsIncomplete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := localtest.Open(t, local.Options{})
	_, err := demo.Seed(ctx, store, smallDemo)
	require.NoError(t, err)
	for _, table := range []string{"Execution_Image_Diagnosis", "Dataset_Image", "Image_Execution", "Image_Asset_Type", "Image", "Subject"} {
		require.NoError(t, store.Delete(ctx, demoRef(table), nil))
	}

	_, ok, err := demo.Seeded(ctx, store, smallDemo)
	require.ErrorIs(t, err, demo.ErrIncomplete)
	assert.False(t, ok)
	var ie *demo.IncompleteError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, []string{"0 of 4 subjects", "0 of 12 images", "0 of 12 labels", "0 of 12 members of dataset " + datasetOf(t, store)}, ie.Missing)
	assert.Contains(t, err.Error(), "move the catalog file aside and seed a new one")

	_, err = demo.Seed(ctx, store, demo.Options{})
	require.ErrorIs(t, err, demo.ErrIncomplete, "the standard options check against the seed's own record")
	assert.NotErrorIs(t, err, demo.ErrAlreadySeeded)
	assert.Zero(t, rowCount(t, store, demoRef("Image"), nil), "Seed does not write over a damaged demo")
}

// seedWrites is how many writes a seed of smallDemo makes.
func seedWrites(t *testing.T) int {
	t.Helper()
	counter := &crashingStore{Store: localtest.Open(t, local.Options{})}
	_, err := demo.Seed(context.Background(), counter, smallDemo)
	require.NoError(t, err)
	return counter.writes
}

// datasetOf is the RID of the one dataset in store.
func datasetOf(t *testing.T, store catalog.Store) string {
	t.Helper()
	rows, err := store.Query(context.Background(), catalog.Query{Table: mlRef("Dataset"), Limit: 2})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	return rows[0].RID()
}

// Rows a user added to the demo tables of an unfinished seed are left
// alone when the next seed removes what the unfinished one wrote.
func TestSeedRecoveryLeavesTheUsersRows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := localtest.Open(t, local.Options{})
	// Everything written but the last status: the most an unfinished seed
	// leaves behind.
	_, err := demo.Seed(ctx, &crashingStore{Store: store, failAt: seedWrites(t)}, smallDemo)
	require.ErrorIs(t, err, errInjected)

	ml := derivaml.New(store, "demo")
	_, err = store.Insert(ctx, demoRef("Subject"), []catalog.Row{{"Name": "P001"}}, catalog.InsertOptions{})
	require.NoError(t, err)
	wf, err := ml.AddWorkflow(ctx, derivaml.Workflow{Name: "Mine", Types: []string{"Ingest"}, Checksum: "mine"})
	require.NoError(t, err)
	exe, err := ml.CreateExecution(ctx, wf, "my own upload")
	require.NoError(t, err)
	_, err = ml.UpdateStatus(ctx, exe.RID, derivaml.StatusRunning, "uploading")
	require.NoError(t, err)
	mine, err := ml.AddAssets(ctx, "Image", []derivaml.Asset{{URL: "/hatrac/mine.png", Filename: "mine.png", Length: 1,
		MD5: "0123456789abcdef0123456789abcdef"}}, derivaml.AssetLink{Execution: exe.RID})
	require.NoError(t, err)
	_, err = ml.AddFeatureValues(ctx, exe.RID, []derivaml.FeatureRecord{{Target: "Image", Feature: "Diagnosis",
		Values: catalog.Row{"Image": mine[0], "Diagnosis": "Benign"}}})
	require.NoError(t, err)

	sum, err := demo.Seed(ctx, store, smallDemo)
	require.NoError(t, err, "the next seed finishes the job")
	assert.Equal(t, 12, sum.Images)
	assert.Equal(t, int64(13), rowCount(t, store, demoRef("Image"), nil), "the seed's 12 images and the user's")
	assert.Equal(t, int64(5), rowCount(t, store, demoRef("Subject"), nil))
	assert.Equal(t, int64(1), rowCount(t, store, demoRef("Image_Execution"), catalog.Eq{Column: "Execution", Value: exe.RID}))
	assert.Equal(t, int64(1), rowCount(t, store, demoRef("Execution_Image_Diagnosis"), catalog.Eq{Column: "Image", Value: mine[0]}))
	assert.Equal(t, int64(2), rowCount(t, store, demoRef("Image_Asset_Type"), catalog.Eq{Column: "Image", Value: mine[0]}),
		"the user's image keeps its tags")
	_, err = ml.LookupExecution(ctx, exe.RID)
	assert.NoError(t, err, "the user's execution stays")
	_, err = ml.LookupWorkflow(ctx, wf)
	assert.NoError(t, err, "the user's workflow stays")
	assert.Equal(t, int64(1), rowCount(t, store, mlRef("Workflow"), catalog.Eq{Column: "Checksum", Value: "cyclezero-demo-seed-v1"}))
	got, ok, err := demo.Seeded(ctx, store, smallDemo)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, sum.Execution, got.Execution)
}

// The Execution, Workflow and Workflow_Workflow_Type rows half-made seeds
// left (two seeds that raced once made a second workflow) are removed
// when the next seed finishes the job: one seed workflow, one execution.
func TestSeedRecoveryRemovesHalfMadeWorkflows(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := localtest.Open(t, local.Options{})
	_, err := demo.Seed(ctx, &crashingStore{Store: store, failAt: seedWrites(t) / 2}, smallDemo)
	require.ErrorIs(t, err, errInjected)
	extra, err := store.Insert(ctx, mlRef("Workflow"), []catalog.Row{{"Name": "Demo catalog seed", "Description": "a racing seed's",
		"Checksum": "cyclezero-demo-seed-v1"}}, catalog.InsertOptions{})
	require.NoError(t, err)
	_, err = store.Insert(ctx, mlRef("Workflow_Workflow_Type"), []catalog.Row{{"Workflow": extra[0].RID(), "Workflow_Type": "Ingest"}},
		catalog.InsertOptions{})
	require.NoError(t, err)
	_, err = store.Insert(ctx, mlRef("Execution"), []catalog.Row{{"Workflow": extra[0].RID(), "Status": "Created",
		"Description": "Seed the demo catalog (schema demo): images and Diagnosis labels."}}, catalog.InsertOptions{})
	require.NoError(t, err)

	sum, err := demo.Seed(ctx, store, smallDemo)
	require.NoError(t, err)
	fresh := localtest.Open(t, local.Options{})
	_, err = demo.Seed(ctx, fresh, smallDemo)
	require.NoError(t, err)
	for _, table := range []string{"Workflow", "Workflow_Workflow_Type", "Execution"} {
		assert.Equal(t, rowCount(t, fresh, mlRef(table), nil), rowCount(t, store, mlRef(table), nil), "%s rows as a fresh seed leaves", table)
	}
	assert.Equal(t, int64(1), rowCount(t, store, mlRef("Workflow"), catalog.Eq{Column: "Checksum", Value: "cyclezero-demo-seed-v1"}))
	assert.Equal(t, int64(1), rowCount(t, store, mlRef("Execution"), catalog.Eq{Column: "Workflow", Value: sum.Workflow}))
	exe, err := derivaml.New(store, "demo").LookupExecution(ctx, sum.Execution)
	require.NoError(t, err)
	assert.Equal(t, derivaml.StatusUploaded, exe.Status)
}
