package derivaml_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

// querySpy records the tables read row by row.
type querySpy struct {
	catalog.Store
	mu   sync.Mutex
	read map[catalog.TableRef]int
}

func (s *querySpy) Query(ctx context.Context, q catalog.Query) ([]catalog.Row, error) {
	s.mu.Lock()
	s.read[q.Table]++
	s.mu.Unlock()
	return s.Store.Query(ctx, q)
}

func (s *querySpy) rowsRead(t catalog.TableRef) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.read[t]
	s.read = map[catalog.TableRef]int{}
	return n
}

var featureRef = catalog.TableRef{Schema: "demo", Table: "Execution_Image_Diagnosis"}

// classCountScenario: labeller 1 labels images 0–3; a dataset of images
// 0, 1, 2 and 4 is released; then labeller 2 relabels image 0 and labels
// image 4. Image 5 is never labelled.
func classCountScenario(t *testing.T) (*derivaml.ML, *querySpy, string) {
	t.Helper()
	ctx := context.Background()
	spy := &querySpy{Store: localtest.Open(t, local.Options{}), read: map[catalog.TableRef]int{}}
	ml := derivaml.New(spy, "demo")
	require.NoError(t, ml.CreateMLSchema(ctx))
	images := imageDomain(t, ml, 6)
	_, e1 := labeller(t, ml, "l1", "Training")
	label(t, ml, e1, images, map[int]string{0: "Normal", 1: "Normal", 2: "Benign", 3: "Malignant"})
	ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Types: []string{"Complete"}, Execution: e1, Description: "some"})
	require.NoError(t, err)
	require.NoError(t, ml.AddDatasetMembers(ctx, ds.RID, map[string][]string{"Image": {images[0], images[1], images[2], images[4]}},
		derivaml.MemberOptions{Execution: e1}))
	v, err := ml.Release(ctx, ds.RID, derivaml.Minor, "first release", e1)
	require.NoError(t, err)
	require.Equal(t, "0.2.0", v.String())
	return ml, spy, ds.RID
}

func TestFeatureClassCounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, spy, ds := classCountScenario(t)
	type tc = derivaml.TermCount

	got, err := ml.FeatureClassCounts(ctx, "Image", "Diagnosis", derivaml.ClassCountOptions{})
	require.NoError(t, err)
	assert.Equal(t, derivaml.ClassCounts{Column: "Diagnosis", Terms: []tc{{"Normal", 2}, {"Benign", 1}, {"Malignant", 1}},
		Labelled: 4, Unlabelled: 2}, got)
	assert.Zero(t, spy.rowsRead(featureRef), "one labeller: the catalog counts, no value is read")

	images, err := ml.Store().Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: "demo", Table: "Image"},
		Sort: []catalog.SortKey{{Column: "RID"}}, Limit: 10})
	require.NoError(t, err)
	var rids []string
	for _, r := range images {
		rids = append(rids, r.RID())
	}
	_, e2 := labeller(t, ml, "l2", "Training")
	label(t, ml, e2, rids, map[int]string{0: "Benign", 4: "Normal"})

	cases := []struct {
		name string
		opts derivaml.ClassCountOptions
		want derivaml.ClassCounts
	}{
		{"every image, newest label", derivaml.ClassCountOptions{},
			derivaml.ClassCounts{Column: "Diagnosis", Terms: []tc{{"Benign", 2}, {"Normal", 2}, {"Malignant", 1}}, Labelled: 5, Unlabelled: 1}},
		{"the dataset's members, live", derivaml.ClassCountOptions{Dataset: ds, Column: "Diagnosis"},
			derivaml.ClassCounts{Column: "Diagnosis", Terms: []tc{{"Benign", 2}, {"Normal", 2}, {"Malignant", 0}}, Labelled: 4}},
		{"the released version, before labeller 2", derivaml.ClassCountOptions{Dataset: ds, Version: "0.2.0"},
			derivaml.ClassCounts{Column: "Diagnosis", Terms: []tc{{"Normal", 2}, {"Benign", 1}, {"Malignant", 0}}, Labelled: 3, Unlabelled: 1}},
		{"the first version, before any member", derivaml.ClassCountOptions{Dataset: ds, Version: "0.1.0"},
			derivaml.ClassCounts{Column: "Diagnosis", Terms: []tc{{"Benign", 0}, {"Malignant", 0}, {"Normal", 0}}}},
	}
	check := func() {
		for _, c := range cases {
			got, err := ml.FeatureClassCounts(ctx, "Image", "Diagnosis", c.opts)
			require.NoError(t, err, c.name)
			assert.Equal(t, c.want, got, c.name)
			assert.Equal(t, c.want.Count("Normal"), got.Count("Normal"))
		}
	}
	check()
	assert.Positive(t, spy.rowsRead(featureRef), "two labellers: values are read to find each image's newest")

	_, err = ml.FeatureClassCounts(ctx, "Image", "Diagnosis", derivaml.ClassCountOptions{Column: "Grade"})
	assert.EqualError(t, err, "feature Diagnosis has no term column Grade (term columns: ['Diagnosis'])")
	_, err = ml.FeatureClassCounts(ctx, "Image", "Diagnosis", derivaml.ClassCountOptions{Dataset: ds, Version: "9.9.9"})
	assert.Error(t, err)
}

// Large datasets are filtered in memory instead of by a members filter,
// and large tables read in several RID ranges at once; the counts are the
// same. Not parallel: it changes both limits.
func TestFeatureClassCountsLargeDataset(t *testing.T) {
	defer derivaml.SetMemberFilterLimit(1)()
	defer derivaml.SetMinRangeWidth(1)()
	ctx := context.Background()
	ml, _, ds := classCountScenario(t)
	got, err := ml.FeatureClassCounts(ctx, "Image", "Diagnosis", derivaml.ClassCountOptions{Dataset: ds})
	require.NoError(t, err)
	assert.Equal(t, []derivaml.TermCount{{Term: "Normal", Count: 2}, {Term: "Benign", Count: 1}, {Term: "Malignant", Count: 0}},
		got.Terms, "one labeller")
	assert.Equal(t, int64(1), got.Unlabelled)
	_, e2 := labeller(t, ml, "l2", "Training")
	images, err := ml.Store().Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: "demo", Table: "Image"},
		Sort: []catalog.SortKey{{Column: "RID"}}, Limit: 10})
	require.NoError(t, err)
	label(t, ml, e2, []string{images[0].RID()}, map[int]string{0: "Malignant"})
	got, err = ml.FeatureClassCounts(ctx, "Image", "Diagnosis", derivaml.ClassCountOptions{Dataset: ds})
	require.NoError(t, err)
	assert.Equal(t, []derivaml.TermCount{{Term: "Benign", Count: 1}, {Term: "Malignant", Count: 1}, {Term: "Normal", Count: 1}}, got.Terms)
	assert.Equal(t, int64(3), got.Labelled)
	assert.Equal(t, int64(1), got.Unlabelled)
}
