package demo_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/catalog/derivaml/demo"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

// crashingStore passes reads through and fails every write from the
// failAt-th on, like a process that dies mid-seed: nothing written after
// the failure, no compensation either.
type crashingStore struct {
	catalog.Store
	failAt, writes int
}

var errInjected = errors.New("injected write failure")

func (c *crashingStore) write(op string) error {
	c.writes++
	if c.failAt > 0 && c.writes >= c.failAt {
		return fmt.Errorf("%s (write %d): %w", op, c.writes, errInjected)
	}
	return nil
}

func (c *crashingStore) Create(ctx context.Context, ch catalog.ModelChange) error {
	if err := c.write("create"); err != nil {
		return err
	}
	return c.Store.Create(ctx, ch)
}

func (c *crashingStore) Insert(ctx context.Context, t catalog.TableRef, rows []catalog.Row, o catalog.InsertOptions) ([]catalog.Row, error) {
	if err := c.write("insert " + t.String()); err != nil {
		return nil, err
	}
	return c.Store.Insert(ctx, t, rows, o)
}

func (c *crashingStore) Update(ctx context.Context, t catalog.TableRef, u catalog.UpdateSpec, rows []catalog.Row) ([]catalog.Row, error) {
	if err := c.write("update " + t.String()); err != nil {
		return nil, err
	}
	return c.Store.Update(ctx, t, u, rows)
}

func (c *crashingStore) Delete(ctx context.Context, t catalog.TableRef, where catalog.Filter) error {
	if err := c.write("delete " + t.String()); err != nil {
		return err
	}
	return c.Store.Delete(ctx, t, where)
}

var smallDemo = demo.Options{Images: 12, Subjects: 4}

// fingerprint is what a seed leaves behind, without RIDs and times.
type fingerprint struct {
	Rows       map[string]int64    // rows per table touched by the seed
	Labels     map[string]string   // image filename → newest Diagnosis
	ImageTypes map[string][]string // image filename → Asset_Type tags
	Statuses   []string            // statuses of the seed workflow's executions
	Workflow   []string            // the seed workflow's types
	Summary    demo.Summary        // with RIDs blanked
}

func fingerprintOf(t *testing.T, store catalog.Store, sum demo.Summary) fingerprint {
	t.Helper()
	ctx := context.Background()
	fp := fingerprint{Rows: map[string]int64{}, Labels: map[string]string{}, ImageTypes: map[string][]string{}}
	for _, ref := range []catalog.TableRef{
		{Schema: "demo", Table: "Subject"}, {Schema: "demo", Table: "Image"}, {Schema: "demo", Table: "Image_Asset_Type"},
		{Schema: "demo", Table: "Image_Execution"}, {Schema: "demo", Table: "Dataset_Image"}, {Schema: "demo", Table: "Diagnosis"},
		{Schema: "demo", Table: "Execution_Image_Diagnosis"}, {Schema: "deriva-ml", Table: "Dataset"},
		{Schema: "deriva-ml", Table: "Dataset_Version"}, {Schema: "deriva-ml", Table: "Dataset_Dataset_Type"},
		{Schema: "deriva-ml", Table: "Execution"}, {Schema: "deriva-ml", Table: "Workflow"},
		{Schema: "deriva-ml", Table: "Asset_Type"}, {Schema: "deriva-ml", Table: "Feature_Name"},
	} {
		n, err := store.Count(ctx, catalog.GroupQuery{Table: ref})
		require.NoError(t, err)
		fp.Rows[ref.String()] = n[0].Count
	}
	images, err := store.Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: "demo", Table: "Image"}, Limit: 1000})
	require.NoError(t, err)
	name := map[string]string{}
	for _, r := range images {
		name[r.RID()] = r.String("Filename")
	}
	ml := derivaml.New(store, "demo")
	values, err := ml.FeatureValues(ctx, "Image", "Diagnosis", derivaml.SelectNewest)
	require.NoError(t, err)
	for _, v := range values {
		fp.Labels[name[v.String("Image")]] = v.String("Diagnosis")
	}
	tags, err := store.Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: "demo", Table: "Image_Asset_Type"}, Limit: 1000})
	require.NoError(t, err)
	for _, r := range tags {
		f := name[r.String("Image")]
		fp.ImageTypes[f] = append(fp.ImageTypes[f], r.String("Asset_Type"))
		sort.Strings(fp.ImageTypes[f])
	}
	exes, err := ml.FindExecutions(ctx, sum.Workflow)
	require.NoError(t, err)
	for _, e := range exes {
		fp.Statuses = append(fp.Statuses, string(e.Status))
	}
	wf, err := ml.LookupWorkflow(ctx, sum.Workflow)
	require.NoError(t, err)
	fp.Workflow = wf.Types
	sum.Workflow, sum.Execution, sum.Dataset = "", "", ""
	fp.Summary = sum
	return fp
}

// A seed that dies at any write leaves a catalog the next seed finishes,
// with the same content a seed that never failed writes.
func TestSeedRecoversFromAFailureAtAnyStep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	reference := localtest.Open(t, local.Options{})
	counter := &crashingStore{Store: reference}
	sum, err := demo.Seed(ctx, counter, smallDemo)
	require.NoError(t, err)
	want := fingerprintOf(t, reference, sum)
	assert.Equal(t, []string{"Image", "Output_File"}, want.ImageTypes["img_0001.png"])
	total := counter.writes
	require.Greater(t, total, 20, "the seed writes in many steps")

	// A few writes while the schemas are made, then every write of the
	// rows (terms, subjects, workflow, execution, images, labels, dataset,
	// release, statuses), where an unfinished seed must be purged.
	steps := []int{1, 2, total / 4}
	for w := total/4 + 1; w <= total; w++ {
		steps = append(steps, w)
	}
	for _, failAt := range steps {
		t.Run(fmt.Sprintf("write %d of %d", failAt, total), func(t *testing.T) {
			t.Parallel()
			store := localtest.Open(t, local.Options{})
			_, err := demo.Seed(ctx, &crashingStore{Store: store, failAt: failAt}, smallDemo)
			require.ErrorIs(t, err, errInjected)
			assert.False(t, errors.Is(err, demo.ErrAlreadySeeded))

			sum, err := demo.Seed(ctx, store, smallDemo)
			require.NoError(t, err, "the next seed finishes the job")
			got := fingerprintOf(t, store, sum)
			assert.Equal(t, want, got)

			_, err = demo.Seed(ctx, store, smallDemo)
			assert.ErrorIs(t, err, demo.ErrAlreadySeeded, "once complete, the demo is left alone")
		})
	}
}

// A schema named like the demo's but not made by it is never purged.
func TestSeedLeavesAForeignSchemaAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := localtest.Open(t, local.Options{})
	ml := derivaml.New(store, "demo")
	require.NoError(t, ml.EnsureMLSchema(ctx))
	_, err := ml.CreateTable(ctx, catalog.TableDef{Name: "Image", Columns: []catalog.ColumnDef{{Name: "Path", Type: catalog.TypeText}}})
	require.NoError(t, err)
	_, err = store.Insert(ctx, catalog.TableRef{Schema: "demo", Table: "Image"}, []catalog.Row{{"Path": "mine.png"}}, catalog.InsertOptions{})
	require.NoError(t, err)
	_, err = demo.Seed(ctx, store, smallDemo)
	require.ErrorIs(t, err, demo.ErrSchemaTaken)
	assert.True(t, strings.Contains(err.Error(), `schema "demo" has no table`), err.Error())
	n, err := store.Count(ctx, catalog.GroupQuery{Table: catalog.TableRef{Schema: "demo", Table: "Image"}})
	require.NoError(t, err)
	assert.Equal(t, int64(1), n[0].Count)
}
