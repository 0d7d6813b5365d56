package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

func runCount(t *testing.T, open func(t *testing.T) catalog.Store) {
	t.Run("TotalAndFiltered", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.images()
		assert.Equal(t, int64(6), count(t, e, imageRef, nil))
		assert.Equal(t, int64(4), count(t, e, imageRef, catalog.Cmp{Column: "Width", Op: catalog.Gt, Value: 500}))
		gc, err := e.s.Count(e.ctx, catalog.GroupQuery{Table: imageRef, Where: catalog.Eq{Column: "Filename", Value: "none"}})
		require.NoError(t, err)
		require.Len(t, gc, 1, "an ungrouped count is one group even when nothing matches")
		assert.Equal(t, int64(0), gc[0].Count)
		assert.Empty(t, gc[0].Values)
	})

	t.Run("GroupedWithNullGroup", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.images()
		gc, err := e.s.Count(e.ctx, catalog.GroupQuery{Table: imageRef, GroupBy: []string{"Stain"}})
		require.NoError(t, err)
		got := map[string]int64{}
		for _, g := range gc {
			require.Len(t, g.Values, 1)
			key := "<null>"
			if v := g.Values["Stain"]; v != nil {
				key = v.(string)
			}
			got[key] = g.Count
		}
		assert.Equal(t, map[string]int64{"DAPI": 2, "GFP": 1, "Phalloidin": 1, "<null>": 2}, got)

		gc, err = e.s.Count(e.ctx, catalog.GroupQuery{Table: imageRef, GroupBy: []string{"Stain", "Width"},
			Where: catalog.Eq{Column: "Stain", Value: "DAPI"}})
		require.NoError(t, err)
		require.Len(t, gc, 1, "a.png and f.png share Stain and Width")
		assert.Equal(t, catalog.Row{"Stain": "DAPI", "Width": int64(512)}, gc[0].Values)
		assert.Equal(t, int64(2), gc[0].Count)

		gc, err = e.s.Count(e.ctx, catalog.GroupQuery{Table: imageRef, GroupBy: []string{"Stain"},
			Where: catalog.Eq{Column: "Filename", Value: "none"}})
		require.NoError(t, err)
		assert.Empty(t, gc, "no rows, no groups")
	})
}

func runUpdate(t *testing.T, open func(t *testing.T) catalog.Store) {
	t.Run("ByRIDRefreshesRMT", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		a := e.images()["a.png"]
		out, err := e.s.Update(e.ctx, imageRef, catalog.UpdateSpec{Match: []string{"RID"}, Set: []string{"Width", "Score"}},
			[]catalog.Row{{"RID": a.RID(), "Width": 640, "Score": 0.75}})
		require.NoError(t, err)
		require.Len(t, out, 1)
		assert.Equal(t, a.RID(), out[0].RID())
		assert.Equal(t, int64(640), out[0]["Width"])
		assert.Equal(t, 0.75, out[0]["Score"])

		now := e.one("a.png", "")
		assert.Equal(t, int64(640), now["Width"])
		assert.Equal(t, a["RCT"], now["RCT"], "RCT never changes")
		assert.Equal(t, "DAPI", now["Stain"], "columns outside Set keep their values")
		assert.True(t, later(t, now.String("RMT"), a.String("RMT")), "RMT moves forward: %s after %s", now["RMT"], a["RMT"])
	})

	t.Run("RMTGuardConflict", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		a := e.images()["a.png"]
		spec := catalog.UpdateSpec{Match: []string{"RID", "RMT"}, Set: []string{"Width"}}
		_, err := e.s.Update(e.ctx, imageRef, spec, []catalog.Row{{"RID": a.RID(), "RMT": a["RMT"], "Width": 600}})
		require.NoError(t, err, "the first guarded update sees the row as read")
		_, err = e.s.Update(e.ctx, imageRef, spec, []catalog.Row{{"RID": a.RID(), "RMT": a["RMT"], "Width": 700}})
		requireKind(t, err, catalog.ErrPrecondition, "a stale RMT means someone changed the row")
		assert.Equal(t, int64(600), e.one("a.png", "")["Width"], "the stale update changed nothing")
	})

	t.Run("RMTGuardIsAllOrNothing", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		imgs := e.images()
		a, b := imgs["a.png"], imgs["b.png"]
		_, err := e.s.Update(e.ctx, imageRef, catalog.UpdateSpec{Match: []string{"RID"}, Set: []string{"Width"}},
			[]catalog.Row{{"RID": b.RID(), "Width": 1111}})
		require.NoError(t, err, "someone else changes b.png")
		spec := catalog.UpdateSpec{Match: []string{"RID", "RMT"}, Set: []string{"Width"}}
		_, err = e.s.Update(e.ctx, imageRef, spec, []catalog.Row{
			{"RID": a.RID(), "RMT": a["RMT"], "Width": 600}, {"RID": b.RID(), "RMT": b["RMT"], "Width": 700}})
		requireKind(t, err, catalog.ErrPrecondition, "b.png's RMT is stale")
		assert.Equal(t, int64(512), e.one("a.png", "")["Width"], "a.png, fresh, is not updated either: all or nothing")
		assert.Equal(t, a["RMT"], e.one("a.png", "")["RMT"], "a.png was not touched")
		assert.Equal(t, int64(1111), e.one("b.png", "")["Width"], "b.png keeps the other writer's value")
	})

	t.Run("NoMatchIsSkipped", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.images()
		out, err := e.s.Update(e.ctx, imageRef, catalog.UpdateSpec{Match: []string{"Filename"}, Set: []string{"Width"}},
			[]catalog.Row{{"Filename": "none.png", "Width": 1}, {"Filename": "c.png", "Width": 257}})
		require.NoError(t, err)
		require.Len(t, out, 1, "only the matching row comes back")
		assert.Equal(t, "c.png", out[0]["Filename"])
		assert.Equal(t, int64(257), e.one("c.png", "")["Width"])
	})

	t.Run("KeyCascades", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.images()
		stains, err := e.s.Query(e.ctx, catalog.Query{Table: stainRef, Where: catalog.Eq{Column: "Name", Value: "DAPI"}, Limit: 1})
		require.NoError(t, err)
		_, err = e.s.Update(e.ctx, stainRef, catalog.UpdateSpec{Match: []string{"RID"}, Set: []string{"Name"}},
			[]catalog.Row{{"RID": stains[0].RID(), "Name": "DAPI-2"}})
		require.NoError(t, err, "renaming a referenced term cascades (ON UPDATE CASCADE)")
		assert.Equal(t, "DAPI-2", e.one("a.png", "")["Stain"])
		assert.Equal(t, "DAPI-2", e.one("f.png", "")["Stain"])
	})

	t.Run("DuplicateKeyConflicts", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		b := e.images()["b.png"]
		_, err := e.s.Update(e.ctx, imageRef, catalog.UpdateSpec{Match: []string{"RID"}, Set: []string{"Filename"}},
			[]catalog.Row{{"RID": b.RID(), "Filename": "a.png"}})
		requireKind(t, err, catalog.ErrConflict)
		assert.Equal(t, b.RID(), e.one("b.png", "").RID(), "b.png is unchanged")
	})
}

func runDelete(t *testing.T, open func(t *testing.T) catalog.Store) {
	t.Run("ByFilter", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.images()
		require.NoError(t, e.s.Delete(e.ctx, imageRef, catalog.Eq{Column: "Filename", Value: "k.png"}))
		assert.Equal(t, []string{"a.png", "b.png", "c.png", "d+e.png", "f.png"}, e.files(nil))
		require.NoError(t, e.s.Delete(e.ctx, imageRef, catalog.Cmp{Column: "Width", Op: catalog.Gt, Value: 1000}))
		assert.Equal(t, []string{"a.png", "c.png", "f.png"}, e.files(nil))
	})

	t.Run("NothingMatchingIsNotAnError", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.images()
		require.NoError(t, e.s.Delete(e.ctx, imageRef, catalog.Eq{Column: "Filename", Value: "none.png"}))
		require.NoError(t, e.s.Delete(e.ctx, imageRef, catalog.AnyOf{Column: "Filename"}),
			"an empty any-list matches no row")
		assert.Equal(t, int64(6), count(t, e, imageRef, nil))
	})

	t.Run("ReferencedRowConflicts", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.images()
		err := e.s.Delete(e.ctx, stainRef, catalog.Eq{Column: "Name", Value: "DAPI"})
		requireKind(t, err, catalog.ErrConflict, "images still reference DAPI")
		assert.Equal(t, int64(3), count(t, e, stainRef, nil), "nothing was deleted")
	})
}

// later reports whether timestamp a is after b.
func later(t *testing.T, a, b string) bool {
	t.Helper()
	ta, err := catalog.ParseTimestamp(a)
	require.NoError(t, err)
	tb, err := catalog.ParseTimestamp(b)
	require.NoError(t, err)
	return ta.After(tb)
}
