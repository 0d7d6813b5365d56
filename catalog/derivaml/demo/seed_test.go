package demo_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/catalog/derivaml/demo"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

func TestSeedWritesTheDemoDomain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := localtest.Open(t, local.Options{})
	sum, err := demo.Seed(ctx, store, demo.Options{})
	require.NoError(t, err)
	assert.Equal(t, 120, sum.Subjects)
	assert.Equal(t, 1000, sum.Images)
	assert.Equal(t, 1000, sum.Labelled+sum.Unlabelled)
	assert.InDelta(t, 0.04, float64(sum.Unlabelled)/1000, 0.02, "a few percent unlabelled")
	assert.Less(t, sum.ClassCounts["Metaplasia"], 10, "one rare class")
	assert.Greater(t, sum.ClassCounts["Metaplasia"], 4, "still enough for a 5-per-class dev set")
	assert.InDelta(t, 0.60, float64(sum.ClassCounts["Normal"])/float64(sum.Labelled), 0.02)
	assert.InDelta(t, 0.25, float64(sum.ClassCounts["Benign"])/float64(sum.Labelled), 0.02)
	assert.InDelta(t, 0.10, float64(sum.ClassCounts["Malignant"])/float64(sum.Labelled), 0.02)
	assert.InDelta(t, 0.04, float64(sum.ClassCounts["Artifact"])/float64(sum.Labelled), 0.01)
	assert.Equal(t, "0.2.0", sum.DatasetVersion)
	assert.Equal(t, map[string]int{"Normal": 580, "Benign": 241, "Malignant": 96, "Artifact": 38, "Metaplasia": 7},
		sum.ClassCounts, "the standard demo's counts are fixed")
	assert.Equal(t, 38, sum.Unlabelled)

	ml := derivaml.New(store, "demo")
	inv, err := ml.Inspect(ctx)
	require.NoError(t, err)
	assert.Contains(t, inv.Vocabularies, catalog.TableRef{Schema: "demo", Table: "Diagnosis"})
	assert.Contains(t, inv.Assets, catalog.TableRef{Schema: "demo", Table: "Image"})
	assert.Contains(t, inv.DomainTables, catalog.TableRef{Schema: "demo", Table: "Subject"})
	require.Len(t, inv.Features, 1)
	f := inv.Features[0]
	assert.Equal(t, catalog.TableRef{Schema: "demo", Table: "Execution_Image_Diagnosis"}, f.Table)
	assert.False(t, f.Column("Confidence").Required)
	assert.True(t, f.Column("Diagnosis").Required)
	var elements []string
	for _, et := range inv.ElementTypes {
		elements = append(elements, et.Table.Table)
	}
	assert.ElementsMatch(t, []string{"Dataset", "Image"}, elements)

	_, err = ml.LookupTerm(ctx, "Dataset_Type", "Development")
	assert.Error(t, err, "Development is left for the wizard to add")
	newest, err := ml.FeatureValues(ctx, "Image", "Diagnosis", derivaml.SelectNewest)
	require.NoError(t, err)
	assert.Len(t, newest, sum.Labelled)
	exe, err := ml.LookupExecution(ctx, sum.Execution)
	require.NoError(t, err)
	assert.Equal(t, derivaml.StatusUploaded, exe.Status)
	members, err := ml.ListMembers(ctx, sum.Dataset, sum.DatasetVersion)
	require.NoError(t, err)
	assert.Len(t, members["Image"], 1000)

	// Edge cases: subjects without sex and age, images without a subject.
	missing, err := store.Count(ctx, catalog.GroupQuery{Table: catalog.TableRef{Schema: "demo", Table: "Subject"},
		Where: catalog.IsNull{Column: "Age"}})
	require.NoError(t, err)
	assert.Positive(t, missing[0].Count)
	orphans, err := store.Count(ctx, catalog.GroupQuery{Table: catalog.TableRef{Schema: "demo", Table: "Image"},
		Where: catalog.IsNull{Column: "Subject"}})
	require.NoError(t, err)
	assert.Positive(t, orphans[0].Count)
	img, err := store.Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: "demo", Table: "Image"}, Limit: 1,
		Sort: []catalog.SortKey{{Column: "Filename"}}})
	require.NoError(t, err)
	assert.Equal(t, "img_0001.png", img[0].String("Filename"))
	assert.Equal(t, "/hatrac/1/demo/Image/"+img[0].String("MD5")+".img_0001.png", img[0].String("URL"),
		"the URL follows the Image table's url_pattern (deriva-py's default)")
	assert.Len(t, img[0].String("MD5"), 32)

	// create_asset's Asset_Type term, and the upload's tags and role.
	term, err := ml.LookupTerm(ctx, "Asset_Type", "Image")
	require.NoError(t, err)
	assert.Equal(t, "A Image asset", term.Description)
	tags, err := store.Count(ctx, catalog.GroupQuery{Table: catalog.TableRef{Schema: "demo", Table: "Image_Asset_Type"},
		GroupBy: []string{"Asset_Type"}})
	require.NoError(t, err)
	require.Len(t, tags, 2)
	for _, g := range tags {
		assert.Contains(t, []string{"Image", "Output_File"}, g.Values["Asset_Type"])
		assert.Equal(t, int64(1000), g.Count, "every image is tagged %v", g.Values["Asset_Type"])
	}
	roles, err := store.Count(ctx, catalog.GroupQuery{Table: catalog.TableRef{Schema: "demo", Table: "Image_Execution"},
		GroupBy: []string{"Execution", "Asset_Role"}})
	require.NoError(t, err)
	require.Len(t, roles, 1)
	assert.Equal(t, catalog.Row{"Execution": sum.Execution, "Asset_Role": "Output"}, roles[0].Values)
	assert.Equal(t, int64(1000), roles[0].Count)
}

func TestSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	labels := func() map[string]string {
		store := localtest.Open(t, local.Options{})
		_, err := demo.Seed(ctx, store, demo.Options{Images: 200, Subjects: 30})
		require.NoError(t, err)
		ml := derivaml.New(store, "demo")
		values, err := ml.FeatureValues(ctx, "Image", "Diagnosis", derivaml.SelectNewest)
		require.NoError(t, err)
		images, err := store.Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: "demo", Table: "Image"}, Limit: 1000})
		require.NoError(t, err)
		name := map[string]string{}
		for _, r := range images {
			name[r.RID()] = r.String("Filename") + "/" + r.String("MD5")
		}
		out := map[string]string{}
		for _, v := range values {
			out[name[v.String("Image")]] = v.String("Diagnosis")
		}
		return out
	}
	a, b := labels(), labels()
	assert.Equal(t, a, b)
	assert.NotEmpty(t, a)
}

func TestSeedRefusesASeededCatalog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := localtest.Open(t, local.Options{})
	_, err := demo.Seed(ctx, store, demo.Options{Images: 20, Subjects: 5})
	require.NoError(t, err)
	_, err = demo.Seed(ctx, store, demo.Options{})
	require.True(t, errors.Is(err, demo.ErrAlreadySeeded), "got %v", err)
	assert.Contains(t, err.Error(), `schema "demo" exists`)
	n, err := store.Count(ctx, catalog.GroupQuery{Table: catalog.TableRef{Schema: "demo", Table: "Image"}})
	require.NoError(t, err)
	assert.Equal(t, int64(20), n[0].Count, "the second seed wrote nothing")
}

// BenchmarkSeed measures seeding the standard demo into a new local catalog.
func BenchmarkSeed(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		store, err := local.Open(filepath.Join(b.TempDir(), "demo.db"), local.Options{})
		require.NoError(b, err)
		b.StartTimer()
		_, err = demo.Seed(ctx, store, demo.Options{})
		require.NoError(b, err)
		b.StopTimer()
		store.Close()
		b.StartTimer()
	}
}
