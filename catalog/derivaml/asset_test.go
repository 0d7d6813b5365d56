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

func TestExecutionOutputsAndNesting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	parent := runningExecution(t, ml, "sweep")
	child1, child2 := runningExecution(t, ml, "job-1"), runningExecution(t, ml, "job-2")

	rids, err := ml.AddAssets(ctx, "Execution_Asset", []derivaml.Asset{
		{URL: "/hatrac/metadata/aa.model.pt", Filename: "model.pt", Length: 1234, MD5: "aa"},
		{URL: "/hatrac/metadata/bb.metrics.jsonl", Filename: "metrics.jsonl", Length: 56, MD5: "bb"},
	}, derivaml.AssetLink{Execution: child1, Types: []string{"Model_File", "Output_File"}})
	require.NoError(t, err)
	require.Len(t, rids, 2)
	got, err := ml.ExecutionAssets(ctx, child1)
	require.NoError(t, err)
	require.Len(t, got, 2)
	for _, a := range got {
		assert.Equal(t, "Output", a.Role)
		assert.Equal(t, catalog.TableRef{Schema: "deriva-ml", Table: "Execution_Asset"}, a.Table)
	}
	tags, err := ml.Store().Count(ctx, catalog.GroupQuery{Table: catalog.TableRef{Schema: "deriva-ml", Table: "Execution_Asset_Asset_Type"}})
	require.NoError(t, err)
	assert.Equal(t, int64(4), tags[0].Count, "two assets × two types")

	_, err = ml.AddAssets(ctx, "Execution_Asset", []derivaml.Asset{{URL: "/x", Length: 1, MD5: "cc"}},
		derivaml.AssetLink{Execution: child1, Types: []string{"Spreadsheet"}})
	assert.EqualError(t, err, "Invalid term Spreadsheet in vocabulary Asset_Type: Term doesn't exist.")
	_, err = ml.AddAssets(ctx, "Execution_Asset", []derivaml.Asset{{URL: "/y", Length: 1, MD5: "dd"}},
		derivaml.AssetLink{Execution: "1-GONE"})
	require.Error(t, err, "a missing execution fails the link")
	n, err := ml.Store().Count(ctx, catalog.GroupQuery{Table: catalog.TableRef{Schema: "deriva-ml", Table: "Execution_Asset"},
		Where: catalog.Eq{Column: "URL", Value: "/y"}})
	require.NoError(t, err)
	assert.Zero(t, n[0].Count, "the asset row is removed when its link fails")
	_, err = ml.AddAssets(ctx, "Workflow", []derivaml.Asset{{URL: "/z"}}, derivaml.AssetLink{})
	assert.EqualError(t, err, "Table Workflow is not of type asset.")

	require.NoError(t, ml.AddNestedExecution(ctx, parent, child2, 1))
	require.NoError(t, ml.AddNestedExecution(ctx, parent, child1, 0))
	kids, err := ml.NestedExecutions(ctx, parent)
	require.NoError(t, err)
	require.Len(t, kids, 2)
	assert.Equal(t, []string{child1, child2}, []string{kids[0].RID, kids[1].RID}, "in Sequence order")

	wf, err := ml.LookupExecution(ctx, child1)
	require.NoError(t, err)
	runs, err := ml.FindExecutions(ctx, wf.Workflow)
	require.NoError(t, err)
	require.Len(t, runs, 1)
	assert.Equal(t, child1, runs[0].RID)
}

func TestOpenPicksTheDomainSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := localtest.Open(t, local.Options{})
	_, err := derivaml.Open(ctx, store, "")
	assert.ErrorContains(t, err, "not a DerivaML catalog")
	ml := derivaml.New(store, "demo")
	require.NoError(t, ml.CreateMLSchema(ctx))
	_, err = derivaml.Open(ctx, store, "")
	assert.ErrorContains(t, err, "no domain schema")
	require.NoError(t, ml.CreateDomainSchema(ctx, ""))
	opened, err := derivaml.Open(ctx, store, "")
	require.NoError(t, err)
	assert.Equal(t, "demo", opened.DomainSchema())
	require.NoError(t, derivaml.New(store, "other").CreateDomainSchema(ctx, ""))
	_, err = derivaml.Open(ctx, store, "")
	assert.ErrorContains(t, err, "several domain schemas (demo, other)")
	named, err := derivaml.Open(ctx, store, "other")
	require.NoError(t, err)
	assert.Equal(t, "other", named.ProjectName())
}
