package catalog_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

// pagedStore serves Query from a sorted list of RIDs, recording each query.
type pagedStore struct {
	catalog.Store // other methods are not used
	rids          []string
	queries       []catalog.Query
	fail          error
}

func (p *pagedStore) Query(_ context.Context, q catalog.Query) ([]catalog.Row, error) {
	p.queries = append(p.queries, q)
	if p.fail != nil {
		return nil, p.fail
	}
	start := 0
	if len(q.After) == 1 {
		start = sort.SearchStrings(p.rids, q.After[0].(string)+"\x00")
	}
	var out []catalog.Row
	for _, rid := range p.rids[start:min(len(p.rids), start+q.Limit)] {
		out = append(out, catalog.Row{"RID": rid, "Name": "n" + rid})
	}
	return out, nil
}

func newPaged(n int) *pagedStore {
	p := &pagedStore{}
	for i := range n {
		p.rids = append(p.rids, fmt.Sprintf("R%03d", i))
	}
	return p
}

func TestQueryAllPagesByRID(t *testing.T) {
	t.Parallel()
	p := newPaged(25)
	var sizes []int
	var got []string
	err := catalog.QueryAll(context.Background(), p, catalog.Query{Table: catalog.TableRef{Schema: "s", Table: "t"},
		Select: []string{"Name"}, Sort: []catalog.SortKey{{Column: "Name", Desc: true}}, Limit: 3}, 10,
		func(rows []catalog.Row) error {
			sizes = append(sizes, len(rows))
			for _, r := range rows {
				got = append(got, r.RID())
			}
			return nil
		})
	require.NoError(t, err)
	assert.Equal(t, []int{10, 10, 5}, sizes)
	assert.Equal(t, p.rids, got)
	require.Len(t, p.queries, 3)
	for i, q := range p.queries {
		assert.Equal(t, []catalog.SortKey{{Column: "RID"}}, q.Sort, "query %d sorts by RID", i)
		assert.Equal(t, 10, q.Limit)
		assert.Equal(t, []string{"Name", "RID"}, q.Select, "RID is added to the projection")
	}
	assert.Nil(t, p.queries[0].After)
	assert.Equal(t, []any{"R009"}, p.queries[1].After)
	assert.Equal(t, []any{"R019"}, p.queries[2].After)
}

func TestQueryAllExactMultipleAndEmpty(t *testing.T) {
	t.Parallel()
	p := newPaged(20)
	calls := 0
	require.NoError(t, catalog.QueryAll(context.Background(), p, catalog.Query{}, 10, func(rows []catalog.Row) error {
		calls++
		assert.NotEmpty(t, rows, "fn never sees an empty page")
		return nil
	}))
	assert.Equal(t, 2, calls)
	assert.Len(t, p.queries, 3, "a full last page needs one more query to see the end")
	assert.Nil(t, p.queries[0].Select, "whole entities stay whole")

	empty := newPaged(0)
	require.NoError(t, catalog.QueryAll(context.Background(), empty, catalog.Query{}, 10, func([]catalog.Row) error {
		t.Fatal("no rows, no calls")
		return nil
	}))
}

func TestQueryAllStopsOnErrors(t *testing.T) {
	t.Parallel()
	stop := errors.New("enough")
	p := newPaged(30)
	err := catalog.QueryAll(context.Background(), p, catalog.Query{}, 10, func([]catalog.Row) error { return stop })
	require.ErrorIs(t, err, stop)
	assert.Len(t, p.queries, 1)

	p.fail = &catalog.Error{Kind: catalog.ErrUnavailable}
	err = catalog.QueryAll(context.Background(), p, catalog.Query{}, 10, func([]catalog.Row) error { return nil })
	require.ErrorIs(t, err, catalog.ErrUnavailable)

	err = catalog.QueryAll(context.Background(), p, catalog.Query{}, 0, func([]catalog.Row) error { return nil })
	require.ErrorIs(t, err, catalog.ErrInvalidInput)
}

func TestQueryAllKeepsCallerSelect(t *testing.T) {
	t.Parallel()
	p := newPaged(1)
	sel := []string{"Name"}
	require.NoError(t, catalog.QueryAll(context.Background(), p, catalog.Query{Select: sel}, 5, func([]catalog.Row) error { return nil }))
	assert.Equal(t, []string{"Name"}, sel, "the caller's slice is not modified")
}

// selfPaged is a pagedStore that pages by RID itself (catalog.RIDPager).
type selfPaged struct {
	*pagedStore
	got []catalog.Query
}

func (s *selfPaged) PageByRID(_ context.Context, q catalog.Query, fn func([]catalog.Row) error) error {
	s.got = append(s.got, q)
	return fn([]catalog.Row{{"RID": "R1"}})
}

// A store that splits queries pages by itself: QueryAll hands it the
// prepared keyset query and sends no Query of its own.
func TestQueryAllLetsARIDPagerPage(t *testing.T) {
	t.Parallel()
	s := &selfPaged{pagedStore: newPaged(3)}
	var pages int
	err := catalog.QueryAll(context.Background(), s, catalog.Query{Table: catalog.TableRef{Schema: "s", Table: "t"},
		Select: []string{"Name"}, Sort: []catalog.SortKey{{Column: "Name"}}, After: []any{"x"}, Limit: 3}, 7,
		func([]catalog.Row) error { pages++; return nil })
	require.NoError(t, err)
	assert.Equal(t, 1, pages)
	assert.Empty(t, s.queries, "QueryAll itself sent no query")
	require.Len(t, s.got, 1)
	assert.Equal(t, []string{"Name", "RID"}, s.got[0].Select, "RID is projected")
	assert.Equal(t, []catalog.SortKey{{Column: "RID"}}, s.got[0].Sort)
	assert.Nil(t, s.got[0].After)
	assert.Equal(t, 7, s.got[0].Limit, "the page size")
}
