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

// labeller creates a workflow of one type and a Running execution of it.
func labeller(t *testing.T, ml *derivaml.ML, name, wfType string) (workflow, execution string) {
	t.Helper()
	ctx := context.Background()
	wf, err := ml.AddWorkflow(ctx, derivaml.Workflow{Name: name, Types: []string{wfType}, Checksum: "sum-" + name})
	require.NoError(t, err)
	exe, err := ml.CreateExecution(ctx, wf, name)
	require.NoError(t, err)
	_, err = ml.UpdateStatus(ctx, exe.RID, derivaml.StatusRunning, "")
	require.NoError(t, err)
	return wf, exe.RID
}

// label writes one execution's Diagnosis values (image index → class).
func label(t *testing.T, ml *derivaml.ML, exe string, images []string, classes map[int]string) {
	t.Helper()
	var recs []derivaml.FeatureRecord
	for i, c := range classes {
		recs = append(recs, derivaml.FeatureRecord{Target: "Image", Feature: "Diagnosis",
			Values: catalog.Row{"Image": images[i], "Diagnosis": c, "Grade": int64(i)}})
	}
	_, err := ml.AddFeatureValues(context.Background(), exe, recs)
	require.NoError(t, err)
}

// Three labellers, written in order (so RCT order): image 0 gets Normal,
// Malignant, Malignant; image 1 Benign, Normal (a tie); image 2 Normal,
// Normal, Benign; image 3 only Normal; image 4 nothing.
func TestSelectors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	images := imageDomain(t, ml, 5)
	_, e1 := labeller(t, ml, "l1", "Training")
	wf2, e2 := labeller(t, ml, "l2", "Testing")
	_, e3 := labeller(t, ml, "l3", "Training")
	idle, _ := labeller(t, ml, "idle", "Analysis")
	label(t, ml, e1, images, map[int]string{0: "Normal", 1: "Benign", 2: "Normal", 3: "Normal"})
	label(t, ml, e2, images, map[int]string{0: "Malignant", 1: "Normal", 2: "Normal"})
	label(t, ml, e3, images, map[int]string{0: "Malignant", 2: "Benign"})

	cases := []struct {
		name string
		sel  derivaml.Selector
		want map[int]string // image index → class; nil with err
		err  string
	}{
		{"newest", derivaml.SelectNewest, map[int]string{0: "Malignant", 1: "Normal", 2: "Benign", 3: "Normal"}, ""},
		{"latest is newest", derivaml.SelectLatest, map[int]string{0: "Malignant", 1: "Normal", 2: "Benign", 3: "Normal"}, ""},
		{"first", derivaml.SelectFirst, map[int]string{0: "Normal", 1: "Benign", 2: "Normal", 3: "Normal"}, ""},
		{"majority vote, tie to the newest", derivaml.SelectMajorityVote(""),
			map[int]string{0: "Malignant", 1: "Normal", 2: "Normal", 3: "Normal"}, ""},
		{"majority vote on a named column", derivaml.SelectMajorityVote("Diagnosis"),
			map[int]string{0: "Malignant", 1: "Normal", 2: "Normal", 3: "Normal"}, ""},
		{"majority vote on a missing column", derivaml.SelectMajorityVote("Nope"), nil,
			"select_majority_vote: feature Diagnosis has no column Nope (columns: ['Image', 'Diagnosis', 'Confidence', 'Grade'])"},
		{"by execution", derivaml.SelectByExecution(e1), map[int]string{0: "Normal", 1: "Benign", 2: "Normal", 3: "Normal"}, ""},
		{"by execution with a target it did not label", derivaml.SelectByExecution(e3), nil,
			"No feature records match execution '" + e3 + "'."},
		{"by workflow type", derivaml.SelectByWorkflow("Training"), map[int]string{0: "Malignant", 1: "Benign", 2: "Benign", 3: "Normal"}, ""},
		{"by workflow RID drops unlabelled targets", derivaml.SelectByWorkflow(wf2),
			map[int]string{0: "Malignant", 1: "Normal", 2: "Normal"}, ""},
		{"by a workflow with no executions' values", derivaml.SelectByWorkflow(idle), map[int]string{}, ""},
		{"by an unknown workflow", derivaml.SelectByWorkflow("Nope"), nil,
			"No workflow resolved for 'Nope' — tried as Workflow RID and Workflow_Type name."},
	}
	index := map[string]int{}
	for i, r := range images {
		index[r] = i
	}
	for _, c := range cases {
		rows, err := ml.FeatureValues(ctx, "Image", "Diagnosis", c.sel)
		if c.err != "" {
			assert.EqualError(t, err, c.err, c.name)
			continue
		}
		require.NoError(t, err, c.name)
		got := map[int]string{}
		for _, r := range rows {
			got[index[r.String("Image")]] = r.String("Diagnosis")
		}
		assert.Equal(t, c.want, got, c.name)
	}

	_, err := ml.FeatureValues(ctx, "Image", "Diagnosis", derivaml.SelectByExecution(e3))
	var noMatch *derivaml.NoExecutionMatchError
	assert.True(t, errors.As(err, &noMatch))
	_, err = ml.FeatureValues(ctx, "Image", "Diagnosis", derivaml.SelectByWorkflow("Nope"))
	var unknown *derivaml.UnknownWorkflowError
	assert.True(t, errors.As(err, &unknown))
	runs, err := ml.WorkflowExecutions(ctx, "Training")
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{e1, e3}, runs)
}

// majority_vote needs a column when the feature has no term column or
// several, with DerivaML's messages.
func TestMajorityVoteColumnDetection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	imageDomain(t, ml, 0)
	_, err := ml.CreateVocabulary(ctx, "Quality", "image quality")
	require.NoError(t, err)
	_, err = ml.CreateFeature(ctx, derivaml.FeatureSpec{Target: "Image", Name: "Review", Terms: []string{"Diagnosis", "Quality"}})
	require.NoError(t, err)
	_, err = ml.CreateFeature(ctx, derivaml.FeatureSpec{Target: "Image", Name: "Score",
		Metadata: []catalog.ColumnDef{{Name: "Value", Type: catalog.TypeFloat4}}})
	require.NoError(t, err)
	_, err = ml.FeatureValues(ctx, "Image", "Review", derivaml.SelectMajorityVote(""))
	assert.EqualError(t, err, "select_majority_vote requires a column name for features with multiple term columns. "+
		"Available: ['Diagnosis', 'Quality']")
	_, err = ml.FeatureValues(ctx, "Image", "Review", derivaml.SelectMajorityVote("Quality"))
	assert.NoError(t, err)
	_, err = ml.FeatureValues(ctx, "Image", "Score", derivaml.SelectMajorityVote(""))
	assert.EqualError(t, err, "select_majority_vote requires a column name — could not auto-detect from feature metadata.")
}

func TestParseSelector(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]derivaml.SelectorKind{
		"none": derivaml.SelectorAll, "": derivaml.SelectorAll, "newest": derivaml.SelectorNewest,
		"latest": derivaml.SelectorLatest, "first": derivaml.SelectorFirst, "majority_vote": derivaml.SelectorMajorityVote,
		"by_execution": derivaml.SelectorByExecution, "by_workflow": derivaml.SelectorByWorkflow,
	} {
		sel, err := derivaml.ParseSelector(name)
		require.NoError(t, err, name)
		assert.Equal(t, want, sel.Kind, name)
	}
	_, err := derivaml.ParseSelector("oldest")
	assert.EqualError(t, err, `unknown selector "oldest": use one of none, newest, first, latest, majority_vote, by_workflow, by_execution`)
}

// Values written in one multi-row insert share an RCT; newest then takes
// the later RID and first the earlier, so the choice is stable.
func TestSelectorsBreakRCTTiesByRID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	images := imageDomain(t, ml, 1)
	_, e1 := labeller(t, ml, "l1", "Training")
	_, e2 := labeller(t, ml, "l2", "Training")
	feature := catalog.TableRef{Schema: "demo", Table: "Execution_Image_Diagnosis"}
	rows, err := ml.Store().Insert(ctx, feature, []catalog.Row{
		{"Execution": e1, "Image": images[0], "Feature_Name": "Diagnosis", "Diagnosis": "Normal", "Grade": int64(1)},
		{"Execution": e2, "Image": images[0], "Feature_Name": "Diagnosis", "Diagnosis": "Benign", "Grade": int64(2)},
	}, catalog.InsertOptions{})
	require.NoError(t, err)
	require.Equal(t, rows[0].String(catalog.ColRCT), rows[1].String(catalog.ColRCT), "one insert, one RCT")
	later, earlier := rows[1], rows[0]
	if mustDecodeRID(t, later.RID()) < mustDecodeRID(t, earlier.RID()) {
		later, earlier = earlier, later
	}
	for _, c := range []struct {
		sel  derivaml.Selector
		want catalog.Row
	}{{derivaml.SelectNewest, later}, {derivaml.SelectFirst, earlier}} {
		got, err := ml.FeatureValues(ctx, "Image", "Diagnosis", c.sel)
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, c.want.RID(), got[0].RID(), "%v picks by RID on an RCT tie", c.sel.Kind)
	}
}

func mustDecodeRID(t *testing.T, rid string) int64 {
	t.Helper()
	n, err := catalog.DecodeRID(rid)
	require.NoError(t, err)
	return n
}
