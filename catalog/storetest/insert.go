package storetest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

func runInsert(t *testing.T, open func(t *testing.T) catalog.Store) {
	t.Run("SystemColumns", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		me, err := e.s.Whoami(e.ctx)
		require.NoError(t, err)
		require.NotEmpty(t, me.ID)
		rows := e.images()
		seen := map[string]bool{}
		for name, r := range rows {
			rid := r.RID()
			assert.True(t, catalog.LooksLikeRID(rid), "%s: RID %q has ERMrest's shape", name, rid)
			norm, ok := catalog.NormalizeRID(rid)
			assert.True(t, ok && norm == rid, "%s: RID %q is canonical", name, rid)
			assert.False(t, seen[rid], "RIDs are unique")
			seen[rid] = true
			rct, err := catalog.ParseTimestamp(r.String("RCT"))
			require.NoError(t, err, "%s: RCT is a timestamp", name)
			assert.False(t, rct.IsZero())
			assert.Equal(t, r["RCT"], r["RMT"], "%s: a new row has RMT = RCT", name)
			assert.Equal(t, me.ID, r["RCB"], "%s: RCB is the caller", name)
			assert.Equal(t, me.ID, r["RMB"], "%s: RMB is the caller", name)
		}
	})

	t.Run("ValuesAreNormalized", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		a := e.images()["a.png"]
		assert.Equal(t, int64(512), a["Width"])
		assert.Equal(t, 0.5, a["Score"])
		assert.Equal(t, true, a["Flagged"])
		assert.Equal(t, []any{"x", "y"}, a["Tags"])
		assert.Equal(t, map[string]any{"k": float64(1)}, a["Meta"])
		acq, err := catalog.ParseTimestamp(a.String("Acquired"))
		require.NoError(t, err)
		assert.Equal(t, "2024-01-02T03:04:05Z", acq.UTC().Format("2006-01-02T15:04:05Z07:00"))

		read := e.one("a.png", "")
		for _, col := range []string{"RID", "RCT", "RMT", "RCB", "RMB", "Filename", "Stain", "Width", "Score",
			"Acquired", "Tags", "Meta", "Flagged", "Note"} {
			assert.Equal(t, a[col], read[col], "column %s reads back as inserted", col)
		}
		assert.Equal(t, -3.0, e.one("d+e.png", "")["Score"], "an integral float stays a float")
	})

	t.Run("MissingKeysAreNullOrEmptyArray", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		c := e.images()["c.png"]
		for _, col := range []string{"Stain", "Score", "Acquired", "Meta", "Flagged", "Note"} {
			v, ok := c[col]
			assert.True(t, ok, "every column comes back, %s too", col)
			assert.Nil(t, v, "missing %s is NULL", col)
		}
		assert.Equal(t, []any{}, c["Tags"], "a missing array is []")
		assert.Equal(t, []any{}, e.one("c.png", "")["Tags"])
	})

	t.Run("DefaultsWithRIDTemplate", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		for _, s := range e.stains() {
			assert.Equal(t, schema+":"+s.RID(), s["ID"], "ID default with {RID} expanded")
			assert.Equal(t, "/id/"+s.RID(), s["URI"], "URI default with {RID} expanded")
		}
		given := e.insert(stainRef, []catalog.Row{{"Name": "Hoechst", "Description": "blue", "ID": "mine:1", "URI": "/mine"}},
			catalog.InsertOptions{Defaults: []string{"ID", "URI"}})[0]
		assert.Equal(t, schema+":"+given.RID(), given["ID"], "a defaulted column ignores the given value")
	})

	t.Run("RIDTemplateInGivenValue", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		r := e.insert(stainRef, []catalog.Row{{"Name": "Eosin", "Description": "pink", "ID": "x:{RID}", "URI": "/terms/{RID}"}},
			catalog.InsertOptions{})[0]
		assert.Equal(t, "x:"+r.RID(), r["ID"])
		assert.Equal(t, "/terms/"+r.RID(), r["URI"])
		assert.Equal(t, []any{}, r["Synonyms"])
	})

	t.Run("OnConflictSkip", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.stains()
		out, err := e.s.Insert(e.ctx, stainRef, []catalog.Row{
			{"Name": "DAPI", "Description": "again"},
			{"Name": "Hoechst", "Description": "blue DNA stain"},
		}, catalog.InsertOptions{Defaults: []string{"ID", "URI"}, OnConflictSkip: true})
		require.NoError(t, err)
		require.Len(t, out, 1, "the colliding row is dropped from the result")
		assert.Equal(t, "Hoechst", out[0]["Name"])
		n := count(t, e, stainRef, nil)
		assert.Equal(t, int64(4), n)
	})

	t.Run("MultiRowInsertIsAtomic", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.stains()
		_, err := e.s.Insert(e.ctx, stainRef, []catalog.Row{
			{"Name": "One", "Description": "1"},
			{"Name": "Two", "Description": "2"},
			{"Name": "DAPI", "Description": "duplicate"},
		}, catalog.InsertOptions{Defaults: []string{"ID", "URI"}})
		requireKind(t, err, catalog.ErrConflict, "a duplicate key fails the whole insert")
		rows, err := e.s.Query(e.ctx, catalog.Query{Table: stainRef, Where: catalog.AnyOf{Column: "Name", Values: []any{"One", "Two"}}, Limit: 10})
		require.NoError(t, err)
		assert.Empty(t, rows, "no row of a failed insert is written")
	})
}

func count(t *testing.T, e *env, ref catalog.TableRef, where catalog.Filter) int64 {
	t.Helper()
	gc, err := e.s.Count(e.ctx, catalog.GroupQuery{Table: ref, Where: where})
	require.NoError(t, err)
	require.Len(t, gc, 1)
	return gc[0].Count
}
