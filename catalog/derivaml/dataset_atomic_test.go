package derivaml_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

var errInjected = errors.New("injected write failure")

// failingStore fails the failAt-th write (Insert, Update or Delete;
// counting from 1) with errInjected, or every write from then on when
// sticky, so each step of a multi-step change can be made to fail.
type failingStore struct {
	catalog.Store
	failAt int64
	sticky bool
	writes atomic.Int64
}

func (f *failingStore) fail() bool {
	n := f.writes.Add(1)
	return n == f.failAt || (f.sticky && f.failAt > 0 && n >= f.failAt)
}

func (f *failingStore) Insert(ctx context.Context, t catalog.TableRef, rows []catalog.Row, o catalog.InsertOptions) ([]catalog.Row, error) {
	if f.fail() {
		return nil, fmt.Errorf("insert into %s: %w", t, errInjected)
	}
	return f.Store.Insert(ctx, t, rows, o)
}

func (f *failingStore) Update(ctx context.Context, t catalog.TableRef, u catalog.UpdateSpec, rows []catalog.Row) ([]catalog.Row, error) {
	if f.fail() {
		return nil, fmt.Errorf("update %s: %w", t, errInjected)
	}
	return f.Store.Update(ctx, t, u, rows)
}

func (f *failingStore) Delete(ctx context.Context, t catalog.TableRef, where catalog.Filter) error {
	if f.fail() {
		return fmt.Errorf("delete from %s: %w", t, errInjected)
	}
	return f.Store.Delete(ctx, t, where)
}

// catalogState renders every row of every table without system columns
// (rows put back by an undo get new RIDs), sorted, for exact comparison.
func catalogState(t *testing.T, store catalog.Store) map[string][]string {
	t.Helper()
	ctx := context.Background()
	model, err := store.Model(ctx, "")
	require.NoError(t, err)
	out := map[string][]string{}
	for _, tab := range model.SortedTables() {
		if tab.SchemaName == "public" {
			continue
		}
		var rows []string
		err := catalog.QueryAll(ctx, store, catalog.Query{Table: tab.Ref()}, 1000, func(page []catalog.Row) error {
			for _, r := range page {
				for c := range r {
					if catalog.IsSystemColumn(c) {
						delete(r, c)
					}
				}
				b, err := json.Marshal(r)
				if err != nil {
					return err
				}
				rows = append(rows, string(b))
			}
			return nil
		})
		require.NoError(t, err)
		slices.Sort(rows)
		out[tab.Ref().String()] = rows
	}
	return out
}

// assertSameState compares two catalogState results table by table, so a
// failure shows only the tables that changed.
func assertSameState(t *testing.T, before, after map[string][]string, what string) {
	t.Helper()
	for _, table := range sortedTables(before, after) {
		assert.Equal(t, before[table], after[table], "%s: table %s changed", what, table)
	}
}

func sortedTables(maps ...map[string][]string) []string {
	var out []string
	for _, m := range maps {
		for k := range m {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// everyFailure runs op against the catalog once per write it makes,
// failing that write, and checks that each failed run leaves the catalog
// exactly as it was and says it rolled back. It returns how many writes a
// successful run makes (which it then leaves done).
func everyFailure(t *testing.T, ml *derivaml.ML, op func(*derivaml.ML) error) int {
	t.Helper()
	for failAt := int64(1); ; failAt++ {
		before := catalogState(t, ml.Store())
		fs := &failingStore{Store: ml.Store(), failAt: failAt}
		err := op(derivaml.New(fs, ml.DomainSchema()))
		if err == nil {
			require.Greater(t, failAt, int64(1), "a run that writes nothing proves nothing")
			return int(failAt - 1)
		}
		require.ErrorIs(t, err, errInjected, "write %d", failAt)
		assertSameState(t, before, catalogState(t, ml.Store()), fmt.Sprintf("failing write %d: %v", failAt, err))
		if failAt > 1 {
			assert.Contains(t, strings.ToLower(err.Error()), "rolled back", "write %d", failAt)
		}
		require.Less(t, failAt, int64(50), "op never succeeds")
	}
}

// memberCatalog holds a released dataset and Image and Subject rows, both
// registered element types.
func memberCatalog(t *testing.T) (ml *derivaml.ML, ds string, images, subjects []string) {
	t.Helper()
	ctx := context.Background()
	ml = newML(t)
	images = imageDomain(t, ml, 4)
	_, err := ml.CreateTable(ctx, subjectDef)
	require.NoError(t, err)
	_, err = ml.AddDatasetElementType(ctx, "Subject")
	require.NoError(t, err)
	rows, err := ml.Store().Insert(ctx, catalog.TableRef{Schema: "demo", Table: "Subject"},
		[]catalog.Row{{"Name": "s1"}, {"Name": "s2"}}, catalog.InsertOptions{})
	require.NoError(t, err)
	subjects = ridsOf(rows)
	d, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "released"})
	require.NoError(t, err)
	return ml, d.RID, images, subjects
}

func TestAddMembersValidatesBeforeWriting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, ds, images, _ := memberCatalog(t)
	before := catalogState(t, ml.Store())
	fs := &failingStore{Store: ml.Store()}
	err := derivaml.New(fs, "demo").AddDatasetMembers(ctx, ds,
		map[string][]string{"Image": images[:2], "Subject": {"1-ZZZZ"}}, derivaml.MemberOptions{})
	assert.EqualError(t, err, "RIDs not found in table Subject: ['1-ZZZZ']")
	assert.Zero(t, fs.writes.Load(), "nothing is written for a rejected change")
	assertSameState(t, before, catalogState(t, ml.Store()), "a rejected change")

	// An image RID listed under Subject is not a Subject.
	err = ml.AddDatasetMembers(ctx, ds, map[string][]string{"Subject": images[:1]}, derivaml.MemberOptions{})
	assert.EqualError(t, err, "RIDs not found in table Subject: ['"+images[0]+"']")

	// Lower-case spellings name the same rows.
	lower := []string{}
	for _, r := range images[:2] {
		lower = append(lower, toLower(r))
	}
	require.NoError(t, ml.AddDatasetMembers(ctx, ds, map[string][]string{"Image": lower}, derivaml.MemberOptions{}))
	members, err := ml.ListMembers(ctx, ds, "")
	require.NoError(t, err)
	assert.ElementsMatch(t, images[:2], ridsOf(members["Image"]))
}

func toLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func TestAddMembersRollsBackEveryStep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, ds, images, subjects := memberCatalog(t)
	add := func(imgs []string, subj []string) func(*derivaml.ML) error {
		return func(m *derivaml.ML) error {
			return m.AddDatasetMembers(ctx, ds, map[string][]string{"Image": imgs, "Subject": subj}, derivaml.MemberOptions{})
		}
	}
	// Released dataset: insert Image, insert Subject, insert the dev row,
	// point the dataset at it.
	assert.Equal(t, 4, everyFailure(t, ml, add(images[:2], subjects[:1])))
	cur, err := ml.CurrentVersion(ctx, ds)
	require.NoError(t, err)
	assert.Equal(t, "0.1.0.post1.dev1", cur.String())
	// In a dev period the dev row is advanced with one guarded update.
	assert.Equal(t, 3, everyFailure(t, ml, add(images[2:3], subjects[1:2])))
	cur, err = ml.CurrentVersion(ctx, ds)
	require.NoError(t, err)
	assert.Equal(t, "0.1.0.post1.dev2", cur.String())

	// With validation skipped, rows already there are skipped, and only
	// the rows this call inserted are removed on failure.
	fs := &failingStore{Store: ml.Store(), failAt: 2}
	err = derivaml.New(fs, "demo").AddDatasetMembers(ctx, ds, map[string][]string{"Image": images},
		derivaml.MemberOptions{SkipValidation: true})
	require.ErrorIs(t, err, errInjected)
	assert.Contains(t, err.Error(), "rolled back the 1 Image member row(s) this call added")
	members, err := ml.ListMembers(ctx, ds, "")
	require.NoError(t, err)
	assert.ElementsMatch(t, images[:3], ridsOf(members["Image"]))
}

func TestDeleteMembersRollsBackEveryStep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, ds, images, subjects := memberCatalog(t)
	require.NoError(t, ml.AddDatasetMembers(ctx, ds, map[string][]string{"Image": images[:3], "Subject": subjects},
		derivaml.MemberOptions{}))
	_, err := ml.Release(ctx, ds, derivaml.Minor, "three images, two subjects", "")
	require.NoError(t, err)
	// Delete Image rows, delete Subject rows, insert the dev row, point.
	n := everyFailure(t, ml, func(m *derivaml.ML) error {
		return m.DeleteDatasetMembers(ctx, ds, []string{images[0], subjects[1]}, derivaml.MemberOptions{})
	})
	assert.Equal(t, 4, n)
	members, err := ml.ListMembers(ctx, ds, "")
	require.NoError(t, err)
	assert.ElementsMatch(t, images[1:3], ridsOf(members["Image"]))
	assert.ElementsMatch(t, subjects[:1], ridsOf(members["Subject"]))
}

func TestDatasetTypesRollBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, ds, _, _ := memberCatalog(t)
	assert.Equal(t, 3, everyFailure(t, ml, func(m *derivaml.ML) error {
		return m.AddDatasetTypes(ctx, ds, "Training", "Labeled")
	}))
	assert.Equal(t, 2, everyFailure(t, ml, func(m *derivaml.ML) error {
		return m.RemoveDatasetType(ctx, ds, "Training")
	}))
	got, err := ml.LookupDataset(ctx, ds)
	require.NoError(t, err)
	assert.Equal(t, []string{"Labeled"}, got.Types)
	assert.Equal(t, "0.1.0.post1.dev2", got.Version)
}

func TestCreateDatasetRollsBackEveryStep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	// Dataset, types, version row, Dataset.Version, Snapshot; then undo
	// is a purge of what was written.
	assert.Equal(t, 5, everyFailure(t, ml, func(m *derivaml.ML) error {
		_, err := m.CreateDataset(ctx, derivaml.NewDataset{Types: []string{"Training"}, Description: "d"})
		return err
	}))
	all, err := ml.FindDatasets(ctx, true)
	require.NoError(t, err)
	assert.Len(t, all, 1)
}

func TestReleaseIsOneWrite(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, ds, images, _ := memberCatalog(t)
	require.NoError(t, ml.AddDatasetMembers(ctx, ds, map[string][]string{"Image": images[:2]}, derivaml.MemberOptions{}))
	before := catalogState(t, ml.Store())
	fs := &failingStore{Store: ml.Store(), failAt: 1}
	_, err := derivaml.New(fs, "demo").Release(ctx, ds, derivaml.Minor, "two images", "")
	require.ErrorIs(t, err, errInjected)
	assertSameState(t, before, catalogState(t, ml.Store()), "a failed release leaves the dev row as it was")

	fs = &failingStore{Store: ml.Store()}
	v, err := derivaml.New(fs, "demo").Release(ctx, ds, derivaml.Minor, "two images", "")
	require.NoError(t, err)
	assert.Equal(t, int64(1), fs.writes.Load(), "label, snapshot, notes and execution are set by one update")
	h, err := ml.DatasetHistory(ctx, ds)
	require.NoError(t, err)
	rel := h[len(h)-1]
	assert.Equal(t, v, rel.Version)
	assert.NotEmpty(t, rel.Snapshot)
	at, err := ml.ListMembers(ctx, ds, v.String())
	require.NoError(t, err)
	assert.ElementsMatch(t, images[:2], ridsOf(at["Image"]), "the snapshot covers the dev period's changes")
}

// When the undo fails too, the error says the partial change may remain.
func TestFailedUndoIsReported(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, ds, images, _ := memberCatalog(t)
	fs := &failingStore{Store: ml.Store(), failAt: 2, sticky: true}
	err := derivaml.New(fs, "demo").AddDatasetMembers(ctx, ds, map[string][]string{"Image": images[:2]}, derivaml.MemberOptions{})
	require.ErrorIs(t, err, errInjected)
	assert.Contains(t, err.Error(), "could not roll back the 2 Image member row(s) this call added, which may remain in the catalog")
}
