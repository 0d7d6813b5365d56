package derivaml_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// lostAnswerStore applies its lostAt-th write (Create, Insert, Update or
// Delete, counting from 1) and then reports it failed in flight, as the
// ERMrest client reports a write whose answer never came. With unapplied,
// that write is not applied (it was lost on its way in). With blind,
// every request after that fails the same way, so reading back fails too.
type lostAnswerStore struct {
	catalog.Store
	lostAt    int64
	unapplied bool
	blind     bool
	writes    atomic.Int64
	lost      atomic.Bool
	after     atomic.Int64 // writes tried after the lost one, when blind
}

func lostAnswer(op string) error {
	return &catalog.Error{Kind: catalog.ErrUnavailable, Op: op, Detail: "EOF",
		Fix: "the change may or may not have been applied: check before retrying"}
}

func (s *lostAnswerStore) write(op string, do func() error) error {
	if s.blind && s.lost.Load() {
		s.after.Add(1)
		return lostAnswer(op)
	}
	n := s.writes.Add(1)
	if n == s.lostAt && s.unapplied {
		s.lost.Store(true)
		return lostAnswer(op)
	}
	if err := do(); err != nil || n != s.lostAt {
		return err
	}
	s.lost.Store(true)
	return lostAnswer(op)
}

func (s *lostAnswerStore) read(op string) error {
	if s.blind && s.lost.Load() {
		return lostAnswer(op)
	}
	return nil
}

func (s *lostAnswerStore) Create(ctx context.Context, c catalog.ModelChange) error {
	return s.write("POST schema", func() error { return s.Store.Create(ctx, c) })
}

func (s *lostAnswerStore) Insert(ctx context.Context, t catalog.TableRef, rows []catalog.Row, o catalog.InsertOptions) ([]catalog.Row, error) {
	var out []catalog.Row
	err := s.write("POST "+t.String(), func() (err error) {
		out, err = s.Store.Insert(ctx, t, rows, o)
		return err
	})
	return out, err
}

func (s *lostAnswerStore) Update(ctx context.Context, t catalog.TableRef, u catalog.UpdateSpec, rows []catalog.Row) ([]catalog.Row, error) {
	var out []catalog.Row
	err := s.write("PUT "+t.String(), func() (err error) {
		out, err = s.Store.Update(ctx, t, u, rows)
		return err
	})
	return out, err
}

func (s *lostAnswerStore) Delete(ctx context.Context, t catalog.TableRef, where catalog.Filter) error {
	return s.write("DELETE "+t.String(), func() error { return s.Store.Delete(ctx, t, where) })
}

func (s *lostAnswerStore) Model(ctx context.Context, at string) (*catalog.Model, error) {
	if err := s.read("GET schema"); err != nil {
		return nil, err
	}
	return s.Store.Model(ctx, at)
}

func (s *lostAnswerStore) Query(ctx context.Context, q catalog.Query) ([]catalog.Row, error) {
	if err := s.read("GET " + q.Table.String()); err != nil {
		return nil, err
	}
	return s.Store.Query(ctx, q)
}

func (s *lostAnswerStore) Snapshot(ctx context.Context) (string, error) {
	if err := s.read("GET catalog"); err != nil {
		return "", err
	}
	return s.Store.Snapshot(ctx)
}

// lostOp is a change run through a store that loses one answer: setup
// (through the plain ml) makes what it needs fresh, run makes the change
// through m, and check (through the plain ml) asserts its effect.
type lostOp func(t *testing.T, m *derivaml.ML) (check func(t *testing.T), err error)

// everyLostAnswer runs op once per write it makes, losing that write's
// answer after the catalog applied it: op must still succeed, the written
// change read back, except for the writes listed in unsettled (an insert
// no key identifies), which must fail as unavailable. Then it runs op once
// per write losing the answer and failing every request after it: op
// must fail with the outcome unknown, naming what it left in place, and
// write nothing more (no blind undo). It returns how many writes op makes.
func everyLostAnswer(t *testing.T, ml *derivaml.ML, unsettled []int64, op lostOp) int64 {
	t.Helper()
	var n int64
	for lostAt := int64(1); ; lostAt++ {
		require.Less(t, lostAt, int64(20), "op never finishes")
		ls := &lostAnswerStore{Store: ml.Store(), lostAt: lostAt}
		check, err := op(t, derivaml.New(ls, ml.DomainSchema()))
		if ls.writes.Load() < lostAt {
			require.NoError(t, err, "a run that loses no answer")
			n = lostAt - 1
			break
		}
		if slices.Contains(unsettled, lostAt) {
			require.ErrorIs(t, err, catalog.ErrUnavailable, "write %d", lostAt)
			continue
		}
		require.NoError(t, err, "write %d's answer lost", lostAt)
		check(t)
	}
	require.Positive(t, n, "a run that writes nothing proves nothing")
	for lostAt := int64(1); lostAt <= n; lostAt++ {
		ls := &lostAnswerStore{Store: ml.Store(), lostAt: lostAt, blind: true}
		_, err := op(t, derivaml.New(ls, ml.DomainSchema()))
		require.ErrorIs(t, err, catalog.ErrUnavailable, "write %d", lostAt)
		assert.Zero(t, ls.after.Load(), "write %d: nothing is written (or undone) after an unknown outcome", lostAt)
		if slices.Contains(unsettled, lostAt) {
			continue
		}
		var unknown *derivaml.OutcomeUnknownError
		require.True(t, errors.As(err, &unknown), "write %d: %v", lostAt, err)
		if lostAt > 1 {
			assert.NotEmpty(t, unknown.Kept, "write %d: %v", lostAt, err)
			assert.Contains(t, err.Error(), "; left in place, as it may build on them: ", "write %d", lostAt)
			for _, k := range unknown.Kept {
				assert.Contains(t, err.Error(), k, "write %d: the message names what was kept", lostAt)
			}
		}
	}
	return n
}

func TestLostAnswersToDatasetChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, _, images, subjects := memberCatalog(t)
	newDataset := func(t *testing.T) string {
		ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "fresh"})
		require.NoError(t, err)
		return ds.RID
	}
	version := func(t *testing.T, ds, want string) {
		got, err := ml.LookupDataset(ctx, ds)
		require.NoError(t, err)
		assert.Equal(t, want, got.Version)
	}
	members := func(t *testing.T, ds string, want []string) {
		got, err := ml.ListMembers(ctx, ds, "")
		require.NoError(t, err)
		assert.ElementsMatch(t, want, ridsOf(got["Image"]))
	}

	t.Run("create dataset", func(t *testing.T) {
		// The Dataset row has no key to read it back by; then types,
		// version row, pointer and snapshot.
		assert.EqualValues(t, 5, everyLostAnswer(t, ml, []int64{1}, func(t *testing.T, m *derivaml.ML) (func(*testing.T), error) {
			ds, err := m.CreateDataset(ctx, derivaml.NewDataset{Types: []string{"Training"}, Description: "lost"})
			return func(t *testing.T) {
				got, err := ml.LookupDataset(ctx, ds.RID)
				require.NoError(t, err)
				assert.Equal(t, []string{"Training"}, got.Types)
				assert.Equal(t, "0.1.0", got.Version)
				h, err := ml.DatasetHistory(ctx, ds.RID)
				require.NoError(t, err)
				require.Len(t, h, 1)
				assert.NotEmpty(t, h[0].Snapshot)
			}, err
		}))
	})
	t.Run("add members", func(t *testing.T) {
		// Member rows, dev row, pointer.
		assert.EqualValues(t, 3, everyLostAnswer(t, ml, nil, func(t *testing.T, m *derivaml.ML) (func(*testing.T), error) {
			ds := newDataset(t)
			err := m.AddDatasetMembers(ctx, ds, map[string][]string{"Image": images[:2]}, derivaml.MemberOptions{})
			return func(t *testing.T) {
				members(t, ds, images[:2])
				version(t, ds, "0.1.0.post1.dev1")
			}, err
		}))
	})
	t.Run("advance dev and delete members", func(t *testing.T) {
		// Member rows deleted, then the dev row advanced by one guarded update.
		assert.EqualValues(t, 2, everyLostAnswer(t, ml, nil, func(t *testing.T, m *derivaml.ML) (func(*testing.T), error) {
			ds := newDataset(t)
			require.NoError(t, ml.AddDatasetMembers(ctx, ds, map[string][]string{"Image": images[:2], "Subject": subjects[:1]},
				derivaml.MemberOptions{}))
			err := m.DeleteDatasetMembers(ctx, ds, images[:1], derivaml.MemberOptions{})
			return func(t *testing.T) {
				members(t, ds, images[1:2])
				version(t, ds, "0.1.0.post1.dev2")
			}, err
		}))
	})
	t.Run("types", func(t *testing.T) {
		// Type rows, dev row, pointer; then removal, dev row advanced.
		assert.EqualValues(t, 3, everyLostAnswer(t, ml, nil, func(t *testing.T, m *derivaml.ML) (func(*testing.T), error) {
			ds := newDataset(t)
			err := m.AddDatasetTypes(ctx, ds, "Training", "Labeled")
			return func(t *testing.T) {
				got, err := ml.LookupDataset(ctx, ds)
				require.NoError(t, err)
				assert.ElementsMatch(t, []string{"Training", "Labeled"}, got.Types)
			}, err
		}))
		assert.EqualValues(t, 2, everyLostAnswer(t, ml, nil, func(t *testing.T, m *derivaml.ML) (func(*testing.T), error) {
			ds := newDataset(t)
			require.NoError(t, ml.AddDatasetTypes(ctx, ds, "Training"))
			err := m.RemoveDatasetType(ctx, ds, "Training")
			return func(t *testing.T) {
				got, err := ml.LookupDataset(ctx, ds)
				require.NoError(t, err)
				assert.Empty(t, got.Types)
				assert.Equal(t, "0.1.0.post1.dev2", got.Version)
			}, err
		}))
	})
	t.Run("release", func(t *testing.T) {
		assert.EqualValues(t, 1, everyLostAnswer(t, ml, nil, func(t *testing.T, m *derivaml.ML) (func(*testing.T), error) {
			ds := newDataset(t)
			require.NoError(t, ml.AddDatasetMembers(ctx, ds, map[string][]string{"Image": images[:1]}, derivaml.MemberOptions{}))
			v, err := m.Release(ctx, ds, derivaml.Minor, "one image", "")
			return func(t *testing.T) {
				assert.Equal(t, "0.2.0", v.String())
				version(t, ds, "0.2.0")
			}, err
		}))
	})
}

func TestLostAnswersToModelAndProvenance(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, _, _, _ := memberCatalog(t)
	exe := runningExecution(t, ml, "lost")
	var n atomic.Int64
	t.Run("plan", func(t *testing.T) {
		// The Feature_Name and Asset_Type terms, then the model change.
		assert.EqualValues(t, 3, everyLostAnswer(t, ml, nil, func(t *testing.T, m *derivaml.ML) (func(*testing.T), error) {
			i := n.Add(1)
			p, err := m.NewPlan(ctx)
			require.NoError(t, err)
			_, err = p.AssetTable(fmt.Sprintf("Scan%d", i), derivaml.AssetOptions{})
			require.NoError(t, err)
			_, err = p.Feature(derivaml.FeatureSpec{Target: "Image", Name: fmt.Sprintf("Quality%d", i)})
			require.NoError(t, err)
			err = p.Apply(ctx)
			return func(t *testing.T) {
				_, err := ml.LookupTerm(ctx, "Feature_Name", fmt.Sprintf("Quality%d", i))
				require.NoError(t, err)
				_, err = ml.LookupTerm(ctx, "Asset_Type", fmt.Sprintf("Scan%d", i))
				require.NoError(t, err)
				model, err := ml.Refresh(ctx)
				require.NoError(t, err)
				assert.NotNil(t, model.Table(catalog.TableRef{Schema: "demo", Table: fmt.Sprintf("Execution_Image_Quality%d", i)}))
			}, err
		}))
	})
	t.Run("workflow", func(t *testing.T) {
		// The Workflow row, read back by its checksum, then its types.
		assert.EqualValues(t, 2, everyLostAnswer(t, ml, nil, func(t *testing.T, m *derivaml.ML) (func(*testing.T), error) {
			rid, err := m.AddWorkflow(ctx, derivaml.Workflow{Name: "w", Checksum: fmt.Sprintf("sum-%d", n.Add(1)),
				Types: []string{"Training"}})
			return func(t *testing.T) {
				w, err := ml.LookupWorkflow(ctx, rid)
				require.NoError(t, err)
				assert.Equal(t, []string{"Training"}, w.Types)
			}, err
		}))
		// Without a checksum or URL nothing identifies the row.
		everyLostAnswer(t, ml, []int64{1}, func(t *testing.T, m *derivaml.ML) (func(*testing.T), error) {
			_, err := m.AddWorkflow(ctx, derivaml.Workflow{Name: "anonymous", Types: []string{"Training"}})
			return func(*testing.T) {}, err
		})
	})
	t.Run("assets", func(t *testing.T) {
		// The asset rows (no key), their Asset_Type tags, their execution links.
		assert.EqualValues(t, 3, everyLostAnswer(t, ml, []int64{1}, func(t *testing.T, m *derivaml.ML) (func(*testing.T), error) {
			i := n.Add(1)
			rids, err := m.AddAssets(ctx, "Image", []derivaml.Asset{{URL: fmt.Sprintf("/hatrac/lost/%d", i), Length: 1,
				MD5: fmt.Sprintf("%032x", i)}}, derivaml.AssetLink{Execution: exe})
			return func(t *testing.T) {
				require.Len(t, rids, 1)
				assets, err := ml.ExecutionAssets(ctx, exe)
				require.NoError(t, err)
				var found bool
				for _, a := range assets {
					found = found || a.Row.RID() == rids[0]
				}
				assert.True(t, found, "the asset is linked to its execution")
			}, err
		}))
	})
}

// Rows read back after a lost answer may have been there before when
// nothing checked beforehand; a later failure leaves them and says so.
func TestUnsureRowsAreLeftOnUndo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, ds, images, _ := memberCatalog(t)
	require.NoError(t, ml.AddDatasetMembers(ctx, ds, map[string][]string{"Image": images[:1]}, derivaml.MemberOptions{}))

	// Without validation: the member rows' answer is lost, the dev row's
	// insert refused.
	fs := &failingStore{Store: &lostAnswerStore{Store: ml.Store(), lostAt: 1}, failAt: 2}
	err := derivaml.New(fs, "demo").AddDatasetMembers(ctx, ds, map[string][]string{"Image": images[:2]},
		derivaml.MemberOptions{SkipValidation: true})
	require.ErrorIs(t, err, errInjected)
	assert.Contains(t, err.Error(), "left the 2 Image member row(s) this call may have added in place: the catalog's "+
		"answer to adding them was lost, and without validation which were members before is unknown")
	members, err := ml.ListMembers(ctx, ds, "")
	require.NoError(t, err)
	assert.ElementsMatch(t, images[:2], ridsOf(members["Image"]))

	// A plan's terms whose answer was lost stay when its tables are refused.
	_, err = ml.AddTerm(ctx, "Feature_Name", "Quality", "there before", nil)
	require.NoError(t, err)
	p, err := derivaml.New(&lostAnswerStore{Store: ml.Store(), lostAt: 1}, "demo").NewPlan(ctx)
	require.NoError(t, err)
	_, err = p.Feature(derivaml.FeatureSpec{Target: "Image", Name: "Quality"})
	require.NoError(t, err)
	_, err = p.Table(catalog.TableDef{Name: "Broken", Columns: []catalog.ColumnDef{{Name: "X", Type: catalog.TypeText, NullOK: true}},
		ForeignKeys: []catalog.ForeignKeyDef{{Columns: []string{"X"}, RefSchema: "demo", RefTable: "Missing", RefColumns: []string{"RID"}}}})
	require.NoError(t, err)
	err = p.Apply(ctx)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "; left the Feature_Name term(s) Quality in place: the catalog's answer to adding them was lost, "+
		"so whether they were there before is unknown (remove the ones nothing uses)")
	term, err := ml.LookupTerm(ctx, "Feature_Name", "Quality")
	require.NoError(t, err)
	assert.Equal(t, "there before", term.Description)
}
