package derivaml_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// countingStore counts the reads a validation makes.
type countingStore struct {
	catalog.Store
	queries, resolves atomic.Int64
}

func (c *countingStore) Query(ctx context.Context, q catalog.Query) ([]catalog.Row, error) {
	c.queries.Add(1)
	return c.Store.Query(ctx, q)
}

func (c *countingStore) ResolveRID(ctx context.Context, rid, at string) (catalog.RIDInfo, error) {
	c.resolves.Add(1)
	return c.Store.ResolveRID(ctx, rid, at)
}

// validationCatalog holds a dataset d1 released at 0.1.0 and 0.2.0, a
// deleted dataset d2, a dataset d3, images and a workflow.
type validationCatalog struct {
	ml             *derivaml.ML
	d1, d2, d3, wf string
	images         []string
}

func newValidationCatalog(t *testing.T) validationCatalog {
	t.Helper()
	ctx := context.Background()
	ml := newML(t)
	v := validationCatalog{ml: ml, images: imageDomain(t, ml, 4)}
	d1, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "training images"})
	require.NoError(t, err)
	require.NoError(t, ml.AddDatasetMembers(ctx, d1.RID, map[string][]string{"Image": v.images[:2]}, derivaml.MemberOptions{}))
	_, err = ml.Release(ctx, d1.RID, derivaml.Minor, "two images", "")
	require.NoError(t, err)
	d2, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "old"})
	require.NoError(t, err)
	require.NoError(t, ml.DeleteDataset(ctx, d2.RID))
	d3, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "third"})
	require.NoError(t, err)
	v.d1, v.d2, v.d3, v.wf = d1.RID, d2.RID, d3.RID, mustWorkflow(t, ml)
	return v
}

func TestValidateEveryReasonCode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	v := newValidationCatalog(t)
	img := v.images[0]
	cfg := derivaml.Config{
		Datasets: []derivaml.DatasetSpec{
			{RID: v.d1, Version: "0.2"},   // valid, resolved as 0.2.0
			{RID: v.d1, Version: "9.9.9"}, // version_not_found, and a version_conflict with the line above
			{RID: v.d2, Version: "0.1.0"}, // valid, dataset_deleted warning
			{RID: v.d3, Version: "0.1.0"}, // valid, but listed twice: duplicate_rid
			{RID: v.d3, Version: "0.1.0"},
			{RID: img, Version: "0.1.0"},      // not_a_dataset (Image)
			{RID: "1-ZZZZ", Version: "0.1.0"}, // rid_not_found
		},
		Assets:   assetSpecs(img, v.d1, "2-ZZZZ", img),
		Workflow: v.wf,
	}
	rep, err := v.ml.ValidateExecutionConfiguration(ctx, cfg)
	require.NoError(t, err)
	assert.False(t, rep.AllValid)
	ds := rep.DatasetResults
	require.Len(t, ds, 7)
	assert.True(t, ds[0].Valid)
	assert.Equal(t, "0.2.0", *ds[0].ResolvedVersion)
	assert.Equal(t, derivaml.DatasetSpec{RID: v.d1, Version: "0.2.0"}, ds[0].Spec, "the spec is echoed as coerced")
	assert.Equal(t, "training images", *ds[0].DatasetName)
	assert.Equal(t, []string{"version_not_found"}, ds[1].Reasons)
	assert.Equal(t, []string{"0.2.0", "0.1.0"}, ds[1].AvailableVersions, "newest first")
	assert.True(t, ds[2].Valid)
	assert.Equal(t, []string{"dataset_deleted"}, ds[2].Warnings)
	assert.True(t, ds[3].Valid)
	assert.Equal(t, []string{"not_a_dataset"}, ds[5].Reasons)
	assert.Equal(t, "Image", *ds[5].ActualTable)
	assert.Equal(t, []string{"rid_not_found"}, ds[6].Reasons)

	as := rep.AssetResults
	require.Len(t, as, 4)
	assert.True(t, as[0].Valid)
	assert.Equal(t, "Image", *as[0].AssetTable)
	assert.Equal(t, "img0.png", *as[0].Filename)
	assert.Equal(t, []string{"not_an_asset"}, as[1].Reasons)
	assert.Equal(t, "Dataset", *as[1].ActualTable)
	assert.Equal(t, []string{"rid_not_found"}, as[2].Reasons)

	require.NotNil(t, rep.WorkflowResult)
	assert.True(t, rep.WorkflowResult.Valid)
	assert.Equal(t, "w", *rep.WorkflowResult.WorkflowName)

	assert.Equal(t, []derivaml.CrossSpecIssue{
		{Issue: "version_conflict", RIDs: []string{v.d1}, Detail: "Dataset " + v.d1 + " listed with conflicting versions: ['0.2.0', '9.9.9']."},
		{Issue: "duplicate_rid", RIDs: []string{v.d3}, Detail: "Dataset " + v.d3 + " listed 2 times with the same version '0.1.0'."},
		{Issue: "duplicate_rid", RIDs: []string{img}, Detail: "Asset " + img + " listed 2 times in the configuration."},
	}, rep.CrossSpecIssues)

	text := rep.Text()
	assert.True(t, strings.HasPrefix(text, "FAIL Validation failed with 8 error(s)\n\nErrors:\n"), text)
	for _, line := range []string{
		// The runner lists the whole history, oldest first.
		"  - Dataset '" + v.d1 + "' does not have version '9.9.9'. Current version: 0.2.0. Available versions: ['0.1.0', '0.2.0']",
		"  - RID '" + img + "' specified as dataset but found in table 'demo.Image'",
		"  - Dataset RID '1-ZZZZ' does not exist in catalog",
		"  - Asset RID '2-ZZZZ' does not exist in catalog",
		"  - RID '" + v.d1 + "' specified as asset but found in table 'deriva-ml.Dataset', which is not an asset table",
		"\n\nWarnings:\n  WARN Dataset '" + v.d2 + "' is marked deleted",
	} {
		assert.Contains(t, text, line)
	}

	raw, err := json.Marshal(rep)
	require.NoError(t, err)
	var generic map[string]any
	require.NoError(t, json.Unmarshal(raw, &generic))
	assert.ElementsMatch(t, []string{"all_valid", "dataset_results", "asset_results", "workflow_result", "cross_spec_issues"}, keys(generic))
	first := generic["dataset_results"].([]any)[0].(map[string]any)
	assert.ElementsMatch(t, []string{"spec", "valid", "reasons", "warnings", "actual_table", "available_versions",
		"resolved_version", "dataset_name"}, keys(first))
	assert.Nil(t, first["actual_table"])
}

func TestValidateWorkflowReasons(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	v := newValidationCatalog(t)
	rep, err := v.ml.ValidateExecutionConfiguration(ctx, derivaml.Config{Workflow: v.d1})
	require.NoError(t, err)
	assert.Equal(t, []string{"not_a_workflow"}, rep.WorkflowResult.Reasons)
	assert.Equal(t, "Dataset", *rep.WorkflowResult.ActualTable)
	rep, err = v.ml.ValidateExecutionConfiguration(ctx, derivaml.Config{Workflow: "3-ZZZZ"})
	require.NoError(t, err)
	assert.Equal(t, []string{"rid_not_found"}, rep.WorkflowResult.Reasons)
	assert.Equal(t, "FAIL Validation failed with 1 error(s)\n\nErrors:\n  - Workflow RID '3-ZZZZ' does not exist in catalog\n", rep.Text())

	rep, err = v.ml.ValidateExecutionConfiguration(ctx, derivaml.Config{
		Datasets: []derivaml.DatasetSpec{{RID: v.d1, Version: "0.2.0"}}, Assets: assetSpecs(v.images[1])})
	require.NoError(t, err)
	assert.True(t, rep.AllValid)
	assert.Nil(t, rep.WorkflowResult, "no workflow in the config, none checked")
	assert.Equal(t, "OK Validation passed\n  Validated 2 RID(s)\n", rep.Text())

	// A Workflow object's RID is its workflow_rid; one without is not checked.
	cfg, err := derivaml.ParseConfig(strings.NewReader(`{"workflow":{"name":"x","workflow_type":"Training","workflow_rid":"ZZZZ"}}`))
	require.NoError(t, err)
	rep, err = v.ml.ValidateExecutionConfiguration(ctx, cfg)
	require.NoError(t, err)
	require.NotNil(t, rep.WorkflowResult)
	assert.Equal(t, []string{"rid_not_found"}, rep.WorkflowResult.Reasons)
	assert.Equal(t, "ZZZZ", rep.WorkflowResult.RID)
	cfg, err = derivaml.ParseConfig(strings.NewReader(`{"workflow":{"name":"x","workflow_type":"Training"}}`))
	require.NoError(t, err)
	rep, err = v.ml.ValidateExecutionConfiguration(ctx, cfg)
	require.NoError(t, err)
	assert.Nil(t, rep.WorkflowResult)

	// An AssetSpec's cache flag is echoed in the report's spec as given.
	cfg, err = derivaml.ParseConfig(strings.NewReader(`{"assets":[{"rid":"` + v.images[1] + `","cache":true},"` + v.images[2] + `"]}`))
	require.NoError(t, err)
	rep, err = v.ml.ValidateExecutionConfiguration(ctx, cfg)
	require.NoError(t, err)
	raw, err := json.Marshal(rep.AssetResults)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"spec":{"rid":"`+v.images[1]+`","cache":true}`)
	assert.Contains(t, string(raw), `"spec":{"rid":"`+v.images[2]+`","cache":false}`)

	// As ValidationResult.__repr__: no count line when no RID was resolved.
	rep, err = v.ml.ValidateExecutionConfiguration(ctx, derivaml.Config{})
	require.NoError(t, err)
	assert.Equal(t, "OK Validation passed\n", rep.Text())
}

// TestValidateBatchesLookups checks that the number of reads does not grow
// with the number of RIDs: one query per expected table and one RID
// lookup per RID no query placed.
func TestValidateBatchesLookups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	v := newValidationCatalog(t)
	counting := &countingStore{Store: v.ml.Store()}
	ml := derivaml.New(counting, "demo")
	_, err := ml.Model(ctx)
	require.NoError(t, err)

	cfg := derivaml.Config{Workflow: v.wf}
	for range 25 {
		cfg.Datasets = append(cfg.Datasets, derivaml.DatasetSpec{RID: v.d1, Version: "0.2.0"},
			derivaml.DatasetSpec{RID: v.d3, Version: "0.1.0"})
	}
	cfg.Assets = assetSpecs(v.images...)
	cfg.Datasets = append(cfg.Datasets, derivaml.DatasetSpec{RID: v.images[0], Version: "0.1.0"},
		derivaml.DatasetSpec{RID: "4-ZZZZ", Version: "0.1.0"})
	_, err = ml.ValidateExecutionConfiguration(ctx, cfg)
	require.NoError(t, err)
	// Dataset, Dataset_Version, Workflow and Image: every image is placed
	// by the first asset table, so the other three are not asked.
	assert.Equal(t, int64(4), counting.queries.Load())
	// images[0], listed as a dataset, is placed by the asset query; only
	// the unknown 4-ZZZZ needs a RID lookup.
	assert.Equal(t, int64(1), counting.resolves.Load())
}

// A dev label validates, as in DerivaML, but the report warns that it
// does not reproduce; the JSON report keeps DerivaML's shape.
func TestValidateDevVersionWarns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	v := newValidationCatalog(t)
	require.NoError(t, v.ml.MarkDev(ctx, v.d1, "relabelled", ""))
	rep, err := v.ml.ValidateExecutionConfiguration(ctx, derivaml.Config{Datasets: []derivaml.DatasetSpec{
		{RID: v.d1, Version: "0.2.0.post1.dev1"}, {RID: strings.ToLower(v.d3), Version: "0.1.0"}}})
	require.NoError(t, err)
	assert.True(t, rep.AllValid, "a pinned dev label is valid")
	assert.Equal(t, []string{}, rep.DatasetResults[0].Warnings)
	assert.True(t, rep.DatasetResults[1].Valid, "any spelling of a RID")
	assert.Equal(t, "OK Validation passed\n  Validated 2 RID(s)\n\nWarnings:\n  WARN Dataset '"+v.d1+"' is pinned to dev version "+
		"'0.2.0.post1.dev1': a dev version tracks the live catalog, so runs that use it are not reproducible. "+
		"Release the dataset and pin the released version.\n", rep.Text())

	rep, err = v.ml.ValidateExecutionConfiguration(ctx, derivaml.Config{Datasets: []derivaml.DatasetSpec{{RID: v.d1, Version: "0.3.0"}}})
	require.NoError(t, err)
	assert.Equal(t, []string{"0.2.0", "0.1.0", "0.2.0.post1.dev1"}, rep.DatasetResults[0].AvailableVersions,
		"DerivaML's order: releases newest first, dev labels after")
	assert.Contains(t, rep.Text(), "Current version: 0.2.0.post1.dev1. Available versions: ['0.1.0', '0.2.0', '0.2.0.post1.dev1']")
}

// A missing version lists at most 20 labels, newest first (numerically:
// 0.1.10 after 0.1.9), as DerivaML caps available_versions.
func TestValidateCapsAvailableVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "many releases"})
	require.NoError(t, err)
	for range 21 {
		require.NoError(t, ml.MarkDev(ctx, ds.RID, "again", ""))
		_, err := ml.Release(ctx, ds.RID, derivaml.Patch, "again", "")
		require.NoError(t, err)
	}
	rep, err := ml.ValidateExecutionConfiguration(ctx, derivaml.Config{Datasets: []derivaml.DatasetSpec{{RID: ds.RID, Version: "9.9.9"}}})
	require.NoError(t, err)
	r := rep.DatasetResults[0]
	assert.Equal(t, []string{"version_not_found"}, r.Reasons)
	var want []string
	for p := 21; p >= 2; p-- {
		want = append(want, fmt.Sprintf("0.1.%d", p))
	}
	assert.Equal(t, want, r.AvailableVersions, "the 20 newest of 22 versions, newest first")
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
