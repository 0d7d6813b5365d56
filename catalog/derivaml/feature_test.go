package derivaml_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// imageDomain creates Image (asset), Diagnosis (vocabulary with three
// terms) and the Diagnosis feature with an optional Confidence column and
// a required Grade column, and inserts n images.
func imageDomain(t testing.TB, ml *derivaml.ML, n int) []string {
	t.Helper()
	ctx := context.Background()
	p, err := ml.NewPlan(ctx)
	require.NoError(t, err)
	_, err = p.AssetTable("Image", derivaml.AssetOptions{})
	require.NoError(t, err)
	_, err = p.Vocabulary("Diagnosis", "classes")
	require.NoError(t, err)
	_, err = p.Feature(derivaml.FeatureSpec{Target: "Image", Name: "Diagnosis", Terms: []string{"Diagnosis"},
		Metadata: []catalog.ColumnDef{{Name: "Confidence", Type: catalog.TypeFloat4}, {Name: "Grade", Type: catalog.TypeInt4}},
		Optional: []string{"Confidence"}, Comment: "ground truth"})
	require.NoError(t, err)
	_, err = p.ElementType("Image")
	require.NoError(t, err)
	require.NoError(t, p.Apply(ctx))
	for _, c := range []string{"Normal", "Benign", "Malignant"} {
		_, err := ml.AddTerm(ctx, "Diagnosis", c, c+" tissue", []string{c[:3]})
		require.NoError(t, err)
	}
	rows := make([]catalog.Row, n)
	for i := range rows {
		rows[i] = catalog.Row{"URL": fmt.Sprintf("/hatrac/Image/%032x.img%d.png", i, i), "Filename": fmt.Sprintf("img%d.png", i),
			"Length": int64(100 + i), "MD5": fmt.Sprintf("%032x", i)}
	}
	out, err := ml.Store().Insert(ctx, catalog.TableRef{Schema: "demo", Table: "Image"}, rows, catalog.InsertOptions{})
	require.NoError(t, err)
	rids := make([]string, len(out))
	for i, r := range out {
		rids[i] = r.RID()
	}
	return rids
}

// runningExecution creates a workflow and a Running execution of it.
func runningExecution(t testing.TB, ml *derivaml.ML, name string) string {
	t.Helper()
	ctx := context.Background()
	wf, err := ml.AddWorkflow(ctx, derivaml.Workflow{Name: name, Types: []string{"Training"}, Checksum: "sum-" + name})
	require.NoError(t, err)
	exe, err := ml.CreateExecution(ctx, wf, name)
	require.NoError(t, err)
	_, err = ml.UpdateStatus(ctx, exe.RID, derivaml.StatusRunning, "")
	require.NoError(t, err)
	return exe.RID
}

func TestCreateFeatureStructure(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	imageDomain(t, ml, 0)
	model, err := ml.Model(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"col Execution text NOT NULL", "col Image text NOT NULL", `col Feature_Name text NOT NULL default "Diagnosis"`,
		"col Diagnosis text NOT NULL", "col Confidence float4 null", "col Grade int4 NOT NULL",
		"key Execution_Image_Diagnosis_RID_key (RID)",
		"key Execution_Image_Diagnosis_assoc_key (Execution,Image,Feature_Name)",
		"fk Execution_Image_Diagnosis_RCB_fkey (RCB) -> public:ERMrest_Client(ID) NO ACTION/NO ACTION",
		"fk Execution_Image_Diagnosis_RMB_fkey (RMB) -> public:ERMrest_Client(ID) NO ACTION/NO ACTION",
		"fk Execution_Image_Diagnosis_Execution_fkey (Execution) -> deriva-ml:Execution(RID) CASCADE/CASCADE",
		"fk Execution_Image_Diagnosis_Image_fkey (Image) -> demo:Image(RID) CASCADE/CASCADE",
		"fk Execution_Image_Diagnosis_Feature_Name_fkey (Feature_Name) -> deriva-ml:Feature_Name(Name) CASCADE/CASCADE",
		"fk Execution_Image_Diagnosis_Diagnosis_fkey (Diagnosis) -> demo:Diagnosis(Name) CASCADE/CASCADE",
	}, describe(mustTable(t, model, "demo", "Execution_Image_Diagnosis")))

	term, err := ml.LookupTerm(ctx, "Feature_Name", "Diagnosis")
	require.NoError(t, err, "create_feature adds the feature name")
	assert.Equal(t, "ground truth", term.Description)

	fs, err := ml.FindFeatures(ctx, "Image")
	require.NoError(t, err)
	require.Len(t, fs, 1)
	f := fs[0]
	assert.Equal(t, "Diagnosis", f.Name)
	assert.Equal(t, catalog.TableRef{Schema: "demo", Table: "Image"}, f.Target)
	assert.Equal(t, "Image", f.TargetColumn())
	assert.Equal(t, []derivaml.FeatureColumn{
		{Name: "Diagnosis", Kind: derivaml.KindTerm, Type: catalog.TypeText, Required: true,
			References: catalog.TableRef{Schema: "demo", Table: "Diagnosis"}},
		{Name: "Confidence", Kind: derivaml.KindValue, Type: catalog.TypeFloat4},
		{Name: "Grade", Kind: derivaml.KindValue, Type: catalog.TypeInt4, Required: true},
	}, f.Columns)
	all, err := ml.FindFeatures(ctx, "")
	require.NoError(t, err)
	assert.Len(t, all, 1)
	inv, err := ml.Inspect(ctx)
	require.NoError(t, err)
	require.Len(t, inv.Features, 1)
}

func TestCreateFeatureRejectsBadTablesAndWritesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	imageDomain(t, ml, 0)
	_, err := ml.CreateFeature(ctx, derivaml.FeatureSpec{Target: "Image", Name: "Quality", Terms: []string{"Image", "Nope"}})
	assert.EqualError(t, err, "Invalid create_feature vocabulary table(s): ['Image', 'Nope']. "+
		"Each entry of `terms` must be a controlled vocabulary table.")
	_, err = ml.CreateFeature(ctx, derivaml.FeatureSpec{Target: "Image", Name: "Quality", Assets: []string{"Diagnosis"}})
	assert.EqualError(t, err, "Invalid create_feature asset table(s): ['Diagnosis']. "+
		"Each entry of `assets` must be a registered asset table.")
	_, err = ml.CreateFeature(ctx, derivaml.FeatureSpec{Target: "Image", Name: "Diagnosis"})
	assert.EqualError(t, err, "Table Execution_Image_Diagnosis already exists.")
	_, err = ml.CreateFeature(ctx, derivaml.FeatureSpec{Target: "Image", Name: "Quality", Optional: []string{"Missing"}})
	assert.ErrorContains(t, err, "optional column Missing")
	_, err = ml.LookupTerm(ctx, "Feature_Name", "Quality")
	assert.Error(t, err, "no Feature_Name term is left behind by a rejected feature")
	model, err := ml.Refresh(ctx)
	require.NoError(t, err)
	assert.Nil(t, model.Table(catalog.TableRef{Schema: "demo", Table: "Execution_Image_Quality"}))
}

func TestFeatureValuesNewestAndFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	images := imageDomain(t, ml, 3)
	first := runningExecution(t, ml, "labeller-1")
	second := runningExecution(t, ml, "labeller-2")
	rec := func(img, class string, grade int64) derivaml.FeatureRecord {
		return derivaml.FeatureRecord{Target: "Image", Feature: "Diagnosis",
			Values: catalog.Row{"Image": img, "Diagnosis": class, "Grade": grade}}
	}
	_, err := ml.AddFeatureValues(ctx, first, []derivaml.FeatureRecord{rec(images[0], "Normal", 1), rec(images[1], "Ben", 2)})
	require.NoError(t, err)
	written, err := ml.AddFeatureValues(ctx, second, []derivaml.FeatureRecord{rec(images[0], "Malignant", 3)})
	require.NoError(t, err)
	require.Len(t, written, 1)
	assert.Equal(t, "Diagnosis", written[0]["Feature_Name"])
	assert.Equal(t, second, written[0]["Execution"])

	all, err := ml.FeatureValues(ctx, "Image", "Diagnosis", derivaml.SelectAll)
	require.NoError(t, err)
	assert.Len(t, all, 3)
	newest, err := ml.FeatureValues(ctx, "Image", "Diagnosis", derivaml.SelectNewest)
	require.NoError(t, err)
	byImage := map[string]string{}
	for _, r := range newest {
		byImage[r.String("Image")] = r.String("Diagnosis")
	}
	assert.Equal(t, map[string]string{images[0]: "Malignant", images[1]: "Benign"}, byImage, "synonym Ben stored as Benign")
	oldest, err := ml.FeatureValues(ctx, "Image", "Diagnosis", derivaml.SelectFirst)
	require.NoError(t, err)
	assert.Equal(t, "Normal", oldest[0].String("Diagnosis"))
	_, err = ml.FeatureValues(ctx, "Image", "Diagnosis", derivaml.Selector{Kind: "majority"})
	assert.EqualError(t, err, `unknown selector "majority": use one of none, newest, first, latest, majority_vote, by_workflow, by_execution`)
}

func TestAddFeatureValuesChecksEverythingFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	images := imageDomain(t, ml, 2)
	exe := runningExecution(t, ml, "labeller")
	good := derivaml.FeatureRecord{Target: "Image", Feature: "Diagnosis", Values: catalog.Row{"Image": images[0], "Diagnosis": "Normal", "Grade": int64(1)}}
	cases := map[string]struct {
		recs []derivaml.FeatureRecord
		want string
	}{
		"two features": {[]derivaml.FeatureRecord{good, {Target: "Image", Feature: "Other", Values: catalog.Row{}}},
			"add_features called with records from 2 different feature definitions; all records must share one feature."},
		"bad term": {[]derivaml.FeatureRecord{good, {Target: "Image", Feature: "Diagnosis",
			Values: catalog.Row{"Image": images[1], "Diagnosis": "Nevus", "Grade": int64(1)}}},
			"Invalid term Nevus in vocabulary Diagnosis: Term doesn't exist."},
		"missing required": {[]derivaml.FeatureRecord{good, {Target: "Image", Feature: "Diagnosis",
			Values: catalog.Row{"Image": images[1], "Diagnosis": "Normal"}}}, "column Grade is required"},
		"unknown target": {[]derivaml.FeatureRecord{good, {Target: "Image", Feature: "Diagnosis",
			Values: catalog.Row{"Image": "9-ZZZZ", "Diagnosis": "Normal", "Grade": int64(1)}}}, "RIDs not found in Image: ['9-ZZZZ']"},
		"unknown column": {[]derivaml.FeatureRecord{{Target: "Image", Feature: "Diagnosis",
			Values: catalog.Row{"Image": images[1], "Diagnosis": "Normal", "Grade": int64(1), "Colour": "red"}}}, "has no column Colour"},
	}
	for name, c := range cases {
		_, err := ml.AddFeatureValues(ctx, exe, c.recs)
		assert.ErrorContains(t, err, c.want, name)
	}
	rows, err := ml.FeatureValues(ctx, "Image", "Diagnosis", derivaml.SelectAll)
	require.NoError(t, err)
	assert.Empty(t, rows, "a rejected batch writes nothing, not even its good records")

	created, err := ml.CreateExecution(ctx, mustWorkflow(t, ml), "not started")
	require.NoError(t, err)
	_, err = ml.AddFeatureValues(ctx, created.RID, []derivaml.FeatureRecord{good})
	assert.ErrorContains(t, err, "is Created")
}

func mustWorkflow(t testing.TB, ml *derivaml.ML) string {
	t.Helper()
	wf, err := ml.AddWorkflow(context.Background(), derivaml.Workflow{Name: "w", Types: []string{"Analysis"}, Checksum: "w-sum"})
	require.NoError(t, err)
	return wf
}
