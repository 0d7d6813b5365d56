package storetest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

func runResolve(t *testing.T, open func(t *testing.T) catalog.Store) {
	t.Run("Live", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		rid := e.images()["a.png"].RID()
		for _, spelling := range []string{rid, strings.ToLower(rid), dashed(rid)} {
			info, err := e.s.ResolveRID(e.ctx, spelling, "")
			require.NoError(t, err, "resolve %q", spelling)
			assert.Equal(t, rid, info.RID, "the stored spelling comes back for %q", spelling)
			assert.Equal(t, imageRef, info.Table)
			assert.False(t, info.Deleted())
		}
	})

	t.Run("Deleted", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		f := e.images()["f.png"]
		require.NoError(t, e.s.Delete(e.ctx, imageRef, catalog.Eq{Column: "RID", Value: f.RID()}))
		info, err := e.s.ResolveRID(e.ctx, f.RID(), "")
		require.NoError(t, err)
		assert.True(t, info.Deleted(), "a deleted RID still resolves, marked deleted")
		assert.Equal(t, imageRef, info.Table)
		require.NotEmpty(t, info.LastVisibleSnaptime)
		old := e.one("f.png", info.LastVisibleSnaptime)
		assert.Equal(t, f.RID(), old.RID(), "the row is readable at its last visible snapshot")
		assert.Equal(t, int64(512), old["Width"])
	})

	t.Run("UnknownAndInvalid", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.images()
		for _, rid := range []string{"ZZZZ-ZZZZ", "not a rid", "!!"} {
			_, err := e.s.ResolveRID(e.ctx, rid, "")
			requireKind(t, err, catalog.ErrNotFound, "resolve %q", rid)
		}
	})

	t.Run("ModelElementsDoNotResolve", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		m, err := e.s.Model(e.ctx, "")
		require.NoError(t, err)
		rid := m.Table(imageRef).RID
		if rid == "" {
			t.Skip("this backend reports no model element RIDs")
		}
		_, err = e.s.ResolveRID(e.ctx, rid, "")
		requireKind(t, err, catalog.ErrNotFound)
	})
}

func runSnapshots(t *testing.T, open func(t *testing.T) catalog.Store) {
	t.Run("Monotonic", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		prev := snapshot(t, e)
		for i := range 3 {
			e.insert(stainRef, []catalog.Row{{"Name": "t" + string(rune('a'+i)), "Description": "d"}},
				catalog.InsertOptions{Defaults: []string{"ID", "URI"}})
			next := snapshot(t, e)
			pt, err := catalog.SnaptimeTime(prev)
			require.NoError(t, err)
			nt, err := catalog.SnaptimeTime(next)
			require.NoError(t, err)
			assert.True(t, nt.After(pt), "every write makes a later snapshot: %s after %s", next, prev)
			prev = next
		}
	})

	t.Run("DataAtEarlierSnapshot", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		before := snapshot(t, e)
		rows := e.images()
		loaded := snapshot(t, e)
		_, err := e.s.Update(e.ctx, imageRef, catalog.UpdateSpec{Match: []string{"RID"}, Set: []string{"Width"}},
			[]catalog.Row{{"RID": rows["a.png"].RID(), "Width": 99}})
		require.NoError(t, err)
		require.NoError(t, e.s.Delete(e.ctx, imageRef, catalog.Eq{Column: "Filename", Value: "k.png"}))

		old, err := e.s.Query(e.ctx, catalog.Query{Table: imageRef, Limit: 100, At: before})
		require.NoError(t, err)
		assert.Empty(t, old, "nothing existed before the insert")
		gc, err := e.s.Count(e.ctx, catalog.GroupQuery{Table: imageRef, At: before})
		require.NoError(t, err)
		assert.Equal(t, int64(0), gc[0].Count)

		assert.Equal(t, int64(512), e.one("a.png", loaded)["Width"], "the value before the update")
		assert.Equal(t, int64(99), e.one("a.png", "")["Width"])
		assert.Equal(t, rows["k.png"].RID(), e.one("k.png", loaded).RID(), "a deleted row at an earlier snapshot")
		gc, err = e.s.Count(e.ctx, catalog.GroupQuery{Table: imageRef, GroupBy: []string{"Width"},
			Where: catalog.Eq{Column: "Width", Value: 512}, At: loaded})
		require.NoError(t, err)
		require.Len(t, gc, 1)
		assert.Equal(t, int64(2), gc[0].Count)
		filtered, err := e.s.Query(e.ctx, catalog.Query{Table: imageRef, Where: catalog.Eq{Column: "Stain", Value: "DAPI"},
			Select: []string{"Filename"}, Sort: []catalog.SortKey{{Column: "Filename"}}, Limit: 10, At: loaded})
		require.NoError(t, err)
		assert.Equal(t, []string{"a.png", "f.png"}, column(filtered, "Filename"), "filters apply at a snapshot")

		_, err = e.s.ResolveRID(e.ctx, rows["a.png"].RID(), before)
		requireKind(t, err, catalog.ErrNotFound, "a RID created after the snapshot does not resolve there")
	})

	t.Run("AtTheSnapshotOfAnUpdate", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		a := e.images()["a.png"]
		inserted := snapshot(t, e)
		set := func(width int) string {
			_, err := e.s.Update(e.ctx, imageRef, catalog.UpdateSpec{Match: []string{"RID"}, Set: []string{"Width"}},
				[]catalog.Row{{"RID": a.RID(), "Width": width}})
			require.NoError(t, err)
			return snapshot(t, e)
		}
		updated := set(600)
		set(700) // a later write, so the update's snapshot is history
		rows, err := e.s.Query(e.ctx, catalog.Query{Table: imageRef, Where: catalog.Eq{Column: "Filename", Value: "a.png"},
			Limit: 10, At: updated})
		require.NoError(t, err)
		require.Len(t, rows, 1, "exactly one version of the row is visible at the snapshot its update made")
		assert.Equal(t, int64(600), rows[0]["Width"])
		assert.Equal(t, int64(512), e.one("a.png", inserted)["Width"])
		assert.Equal(t, int64(700), e.one("a.png", "")["Width"])
	})

	t.Run("ModelAtEarlierSnapshot", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		before := snapshot(t, e)
		extra := catalog.DefineTable(catalog.TableDef{Schema: schema, Name: "Extra",
			Columns: []catalog.ColumnDef{{Name: "Note", Type: catalog.TypeText, NullOK: true}}})
		require.NoError(t, e.s.Create(e.ctx, catalog.ModelChange{Tables: []*catalog.Table{extra}}))
		ref := catalog.TableRef{Schema: schema, Table: "Extra"}
		old, err := e.s.Model(e.ctx, before)
		require.NoError(t, err)
		assert.Nil(t, old.Table(ref), "the table did not exist at the earlier snapshot")
		assert.NotNil(t, old.Table(imageRef))
		now, err := e.s.Model(e.ctx, "")
		require.NoError(t, err)
		assert.NotNil(t, now.Table(ref))
		_, err = e.s.Query(e.ctx, catalog.Query{Table: ref, Limit: 1, At: before})
		requireKind(t, err, catalog.ErrConflict, "querying a table before it existed")
	})

	t.Run("BeforeHistoryConflicts", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		_, err := e.s.Query(e.ctx, catalog.Query{Table: imageRef, Limit: 1, At: "2"})
		requireKind(t, err, catalog.ErrConflict, "a snapshot before the catalog existed")
		_, err = e.s.Model(e.ctx, "2")
		requireKind(t, err, catalog.ErrConflict)
	})
}

func snapshot(t *testing.T, e *env) string {
	t.Helper()
	s, err := e.s.Snapshot(e.ctx)
	require.NoError(t, err)
	require.NotEmpty(t, s)
	return s
}
