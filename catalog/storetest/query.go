package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

func runQuery(t *testing.T, open func(t *testing.T) catalog.Store) {
	t.Run("Filters", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		rows := e.images()
		aRID, bRID := rows["a.png"].RID(), rows["b.png"].RID()
		cases := []struct {
			name  string
			where catalog.Filter
			want  []string
		}{
			{"Eq", catalog.Eq{Column: "Stain", Value: "DAPI"}, []string{"a.png", "f.png"}},
			{"EqInteger", catalog.Eq{Column: "Width", Value: 1024}, []string{"b.png"}},
			{"EqFloat", catalog.Eq{Column: "Score", Value: 1.25}, []string{"b.png"}},
			{"EqBoolean", catalog.Eq{Column: "Flagged", Value: true}, []string{"a.png"}},
			{"EqTimestampOtherSpelling", catalog.Eq{Column: "Acquired", Value: "2024-01-02T03:04:05Z"}, []string{"a.png"}},
			{"EqArrayContains", catalog.Eq{Column: "Tags", Value: "x"}, []string{"a.png"}},
			{"EqRIDLowerCase", catalog.Eq{Column: "RID", Value: strings.ToLower(aRID)}, []string{"a.png"}},
			{"EqRIDDashed", catalog.Eq{Column: "RID", Value: dashed(bRID)}, []string{"b.png"}},
			{"Gt", catalog.Cmp{Column: "Width", Op: catalog.Gt, Value: 500}, []string{"a.png", "b.png", "d+e.png", "f.png"}},
			{"Geq", catalog.Cmp{Column: "Width", Op: catalog.Geq, Value: 1024}, []string{"b.png", "d+e.png"}},
			{"Lt", catalog.Cmp{Column: "Width", Op: catalog.Lt, Value: 512}, []string{"c.png"}},
			{"Leq", catalog.Cmp{Column: "Width", Op: catalog.Leq, Value: 512}, []string{"a.png", "c.png", "f.png"}},
			{"GtTimestamp", catalog.Cmp{Column: "Acquired", Op: catalog.Gt, Value: "2024-01-01T00:00:00+00:00"}, []string{"a.png"}},
			{"IsNull", catalog.IsNull{Column: "Stain"}, []string{"c.png", "k.png"}},
			{"IsNullJSON", catalog.IsNull{Column: "Meta"}, []string{"b.png", "c.png", "d+e.png", "f.png", "k.png"}},
			{"IsNullArrayNeverMatchesEmpty", catalog.IsNull{Column: "Tags"}, []string{}},
			{"Regexp", catalog.Regexp{Column: "Filename", Pattern: "^[ab]"}, []string{"a.png", "b.png"}},
			{"RegexpIgnoreCase", catalog.Regexp{Column: "Stain", Pattern: "^dap", IgnoreCase: true}, []string{"a.png", "f.png"}},
			{"RegexpCaseSensitive", catalog.Regexp{Column: "Stain", Pattern: "^dap"}, []string{}},
			{"AnyOf", catalog.AnyOf{Column: "Width", Values: []any{512, 2048}}, []string{"a.png", "d+e.png", "f.png"}},
			{"AnyOfArrayOverlaps", catalog.AnyOf{Column: "Tags", Values: []any{"x", "y"}}, []string{"a.png", "b.png"}},
			{"AnyOfEmptyMatchesNothing", catalog.AnyOf{Column: "Width"}, []string{}},
			{"AnyOfRIDNormalized", catalog.AnyOf{Column: "RID", Values: []any{strings.ToLower(aRID), dashed(bRID)}}, []string{"a.png", "b.png"}},
			{"And", catalog.And{catalog.Eq{Column: "Width", Value: 512}, catalog.Eq{Column: "Stain", Value: "DAPI"}}, []string{"a.png", "f.png"}},
			{"Or", catalog.Or{catalog.Eq{Column: "Width", Value: 256}, catalog.Eq{Column: "Stain", Value: "GFP"}}, []string{"b.png", "c.png"}},
			{"NotSkipsNull", catalog.Not{Filter: catalog.Eq{Column: "Width", Value: 512}}, []string{"b.png", "c.png", "d+e.png"}},
			{"NotIsNull", catalog.Not{Filter: catalog.IsNull{Column: "Width"}}, []string{"a.png", "b.png", "c.png", "d+e.png", "f.png"}},
			{"Nested", catalog.And{catalog.Or{catalog.Eq{Column: "Stain", Value: "DAPI"}, catalog.IsNull{Column: "Stain"}},
				catalog.Not{Filter: catalog.Eq{Column: "Filename", Value: "k.png"}}}, []string{"a.png", "c.png", "f.png"}},
		}
		for _, c := range cases {
			assert.Equal(t, c.want, e.files(c.where), c.name)
		}
	})

	t.Run("Projection", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.images()
		rows, err := e.s.Query(e.ctx, catalog.Query{Table: imageRef, Select: []string{"Filename", "Width"},
			Where: catalog.Eq{Column: "Filename", Value: "a.png"}, Limit: 10})
		require.NoError(t, err)
		require.Len(t, rows, 1)
		assert.Equal(t, catalog.Row{"Filename": "a.png", "Width": int64(512)}, rows[0])
	})

	t.Run("SortNullOrdering", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.images()
		q := catalog.Query{Table: imageRef, Select: []string{"Filename", "Width"}, Limit: 100,
			Sort: []catalog.SortKey{{Column: "Width"}, {Column: "Filename"}}}
		rows, err := e.s.Query(e.ctx, q)
		require.NoError(t, err)
		assert.Equal(t, []string{"c.png", "a.png", "f.png", "b.png", "d+e.png", "k.png"}, column(rows, "Filename"),
			"ascending puts NULL last")
		q.Sort = []catalog.SortKey{{Column: "Width", Desc: true}, {Column: "Filename"}}
		rows, err = e.s.Query(e.ctx, q)
		require.NoError(t, err)
		assert.Equal(t, []string{"k.png", "d+e.png", "b.png", "a.png", "f.png", "c.png"}, column(rows, "Filename"),
			"descending puts NULL first")
		q.Select = []string{"Filename", "Stain"}
		q.Sort = []catalog.SortKey{{Column: "Stain"}, {Column: "Filename", Desc: true}}
		rows, err = e.s.Query(e.ctx, q)
		require.NoError(t, err)
		assert.Equal(t, []string{"f.png", "a.png", "b.png", "d+e.png", "k.png", "c.png"}, column(rows, "Filename"))
	})

	t.Run("LimitTruncates", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.images()
		rows, err := e.s.Query(e.ctx, catalog.Query{Table: imageRef, Sort: []catalog.SortKey{{Column: "Filename"}}, Limit: 2})
		require.NoError(t, err)
		assert.Equal(t, []string{"a.png", "b.png"}, column(rows, "Filename"))
	})

	t.Run("KeysetPagingMatchesSortOrder", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.images()
		cases := []struct {
			name string
			sort []catalog.SortKey
			size int
		}{
			{"AscNullsLast", []catalog.SortKey{{Column: "Width"}, {Column: "Filename"}}, 2},
			// Stain is NULL for c.png and k.png, first when descending: a
			// page of one ends inside that group, so @after holds a NULL.
			{"DescNullsFirst", []catalog.SortKey{{Column: "Stain", Desc: true}, {Column: "Filename"}}, 1},
			{"DescNullsFirstPagesOfThree", []catalog.SortKey{{Column: "Width", Desc: true}, {Column: "Filename"}}, 3},
		}
		for _, c := range cases {
			sel := []string{c.sort[0].Column, c.sort[1].Column}
			all, err := e.s.Query(e.ctx, catalog.Query{Table: imageRef, Select: sel, Sort: c.sort, Limit: 100})
			require.NoError(t, err)
			var paged []string
			var after []any
			for page := 0; page < 10; page++ {
				rows, err := e.s.Query(e.ctx, catalog.Query{Table: imageRef, Select: sel,
					Sort: c.sort, After: after, Limit: c.size})
				require.NoError(t, err, c.name)
				paged = append(paged, column(rows, "Filename")...)
				if len(rows) < c.size {
					break
				}
				last := rows[len(rows)-1]
				after = []any{last[sel[0]], last[sel[1]]}
			}
			assert.Len(t, all, 6, c.name)
			assert.Equal(t, column(all, "Filename"), paged,
				"%s: pages over a nullable key, NULLs included, equal one sorted read", c.name)
		}
	})

	t.Run("PagingByRIDOverSeveralPages", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		var terms []catalog.Row
		for i := range 25 {
			terms = append(terms, catalog.Row{"Name": fmt.Sprintf("term-%02d", i), "Description": "d"})
		}
		e.insert(stainRef, terms, catalog.InsertOptions{Defaults: []string{"ID", "URI"}})
		whole, err := e.s.Query(e.ctx, catalog.Query{Table: stainRef, Select: []string{"RID"},
			Sort: []catalog.SortKey{{Column: "RID"}}, Limit: 100})
		require.NoError(t, err)
		var sizes []int
		var rids []string
		err = catalog.QueryAll(e.ctx, e.s, catalog.Query{Table: stainRef, Select: []string{"Name"}}, 10, func(rows []catalog.Row) error {
			sizes = append(sizes, len(rows))
			for _, r := range rows {
				rids = append(rids, r.RID())
				assert.NotEmpty(t, r["Name"])
			}
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, []int{10, 10, 5}, sizes)
		assert.Equal(t, column(whole, "RID"), rids, "every row once, in RID order")
	})
}

// dashed spells a RID with a dash after its first symbol, which ERMrest
// normalizes away.
func dashed(rid string) string {
	plain := strings.ReplaceAll(rid, "-", "")
	return plain[:1] + "-" + plain[1:]
}
