package derivaml_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

func TestPreviewJoinsNewestFeatureValues(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	images := imageDomain(t, ml, 6)
	first := runningExecution(t, ml, "first")
	second := runningExecution(t, ml, "second")
	label := func(exe string, img, class string) {
		_, err := ml.AddFeatureValues(ctx, exe, []derivaml.FeatureRecord{{Target: "Image", Feature: "Diagnosis",
			Values: catalog.Row{"Image": img, "Diagnosis": class, "Grade": int64(1), "Confidence": 0.5}}})
		require.NoError(t, err)
	}
	label(first, images[0], "Normal")
	label(second, images[0], "Malignant")
	label(first, images[1], "Benign")
	ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "preview"})
	require.NoError(t, err)
	require.NoError(t, ml.AddDatasetMembers(ctx, ds.RID, map[string][]string{"Image": images[:3]}, derivaml.MemberOptions{}))
	_, err = ml.Release(ctx, ds.RID, derivaml.Minor, "three", "")
	require.NoError(t, err)
	require.NoError(t, ml.AddDatasetMembers(ctx, ds.RID, map[string][]string{"Image": images[3:]}, derivaml.MemberOptions{}))

	counting := &countingStore{Store: ml.Store()}
	view := derivaml.New(counting, "demo")
	_, err = view.Model(ctx)
	require.NoError(t, err)
	before := counting.queries.Load()
	p, err := view.Preview(ctx, derivaml.PreviewRequest{Table: "Image", Feature: "Diagnosis", Dataset: ds.RID, Version: "0.2.0", Limit: 20})
	require.NoError(t, err)
	// Dataset_Version (the version's snapshot), membership, elements, values.
	assert.LessOrEqual(t, counting.queries.Load()-before, int64(4), "batched, not one query per row")

	assert.Equal(t, []string{"Image.RID", "Image.URL", "Image.Filename", "Image.Description", "Image.Length", "Image.MD5",
		"Execution_Image_Diagnosis.Execution", "Execution_Image_Diagnosis.Diagnosis",
		"Execution_Image_Diagnosis.Confidence", "Execution_Image_Diagnosis.Grade"}, p.Columns)
	require.Len(t, p.Rows, 3, "0.2.0 has three members")
	labels := map[string]any{}
	for _, r := range p.Rows {
		labels[r["Image.RID"].(string)] = r["Execution_Image_Diagnosis.Diagnosis"]
		assert.Len(t, r, len(p.Columns))
	}
	assert.Equal(t, map[string]any{images[0]: "Malignant", images[1]: "Benign", images[2]: nil}, labels)

	live, err := ml.Preview(ctx, derivaml.PreviewRequest{Table: "Image", Feature: "Diagnosis", Dataset: ds.RID, Limit: 4})
	require.NoError(t, err)
	assert.Len(t, live.Rows, 4, "the live dataset has six members, limited to four")

	some, err := ml.Preview(ctx, derivaml.PreviewRequest{Table: "Image", Members: []string{images[5], images[1]}})
	require.NoError(t, err)
	assert.Len(t, some.Rows, 2)
	assert.Len(t, some.Columns, 6, "no feature, element columns only")

	all, err := ml.Preview(ctx, derivaml.PreviewRequest{Table: "Image", Feature: "Diagnosis"})
	require.NoError(t, err)
	assert.Len(t, all.Rows, 6)

	_, err = ml.Preview(ctx, derivaml.PreviewRequest{Table: "Diagnosis", Dataset: ds.RID})
	assert.ErrorContains(t, err, "not a dataset element type")
	_, err = ml.Preview(ctx, derivaml.PreviewRequest{Table: "Image", Feature: "Nope"})
	assert.Error(t, err)
}
