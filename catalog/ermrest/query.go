package ermrest

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"

	"github.com/cyclezero/cyclezero/catalog"
)

// countPage is how many groups one attributegroup request asks for.
var countPage = 10000

// Query reads rows with the entity API (whole rows) or, when q.Select is
// set, the attribute API, always with ?limit (as every read sends one). A
// filter whose URL would be too long is split at its largest top-level
// any(...) list into several requests (one per chunk, never one per value)
// whose answers are merged. Merged rows are sorted here, by bytes, which a
// server's collation need not agree with: to read every row by keyset
// pages, use catalog.QueryAll, which pages each chunk on its own
// (PageByRID).
func (c *Client) Query(ctx context.Context, q catalog.Query) ([]catalog.Row, error) {
	op := "GET " + c.catalogPath(q.At) + "/entity/" + tablePath(q.Table)
	if err := checkQuery(q); err != nil {
		return nil, invalid(op, "fix the query", "%v", err)
	}
	chunks, err := c.queryChunks(q)
	if err != nil {
		return nil, invalid(op, "fix the query", "%v", err)
	}
	if len(chunks) == 0 {
		return []catalog.Row{}, nil
	}
	parts := make([][]catalog.Row, 0, len(chunks))
	for _, chunk := range chunks {
		r, _ := c.queryRequest(q, chunk) // encodable: chunkFilter rendered it
		rows, err := c.tableRows(ctx, r, q.Table, q.At)
		if err != nil {
			return nil, err
		}
		parts = append(parts, rows)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return mergeChunks(parts, q.Sort, q.Limit), nil
}

// queryChunks splits q's filter into the filters of the requests that read
// it, each request's URL (as queryRequest builds it) within MaxURLBytes. It
// returns none when the filter matches nothing.
func (c *Client) queryChunks(q catalog.Query) ([]catalog.Filter, error) {
	f, t := simplify(q.Where)
	if t == never {
		return nil, nil
	}
	return chunkFilter(dedupeFilter(f), c.maxURL, func(f catalog.Filter) (string, error) {
		r, err := c.queryRequest(q, f)
		return r.uri(), err
	})
}

func checkQuery(q catalog.Query) error {
	if err := checkTable(q.Table); err != nil {
		return err
	}
	if q.Limit <= 0 {
		return errorf("the limit must be positive, got %d", q.Limit)
	}
	if len(q.After) > 0 && len(q.After) != len(q.Sort) {
		return errorf("@after needs one value per sort key: %d values for %d keys", len(q.After), len(q.Sort))
	}
	for _, s := range q.Select {
		if s == "" {
			return errorf("an empty column name in the projection")
		}
	}
	for _, k := range q.Sort {
		if k.Column == "" {
			return errorf("an empty sort column")
		}
		if q.Select != nil && !slices.Contains(q.Select, k.Column) {
			return errorf("sort column %q is not among the selected columns %q", k.Column, q.Select)
		}
	}
	return nil
}

func checkTable(t catalog.TableRef) error {
	if t.Schema == "" || t.Table == "" {
		return errorf("a table needs a schema and a name, got %q", t.String())
	}
	return nil
}

// queryRequest builds the GET for q with filter f (already simplified).
func (c *Client) queryRequest(q catalog.Query, f catalog.Filter) (request, error) {
	api := "/entity/"
	if q.Select != nil {
		api = "/attribute/"
	}
	path, err := withFilter(c.catalogPath(q.At)+api+tablePath(q.Table), f)
	if err != nil {
		return request{}, err
	}
	if q.Select != nil {
		path += "/" + joinEscaped(q.Select)
	}
	path += sortSpec(q.Sort)
	if len(q.After) > 0 {
		after, err := pageValues(q.After)
		if err != nil {
			return request{}, err
		}
		path += "@after(" + after + ")"
	}
	return request{method: http.MethodGet, path: path, query: "limit=" + strconv.Itoa(q.Limit)}, nil
}

// Count counts rows with GET C/aggregate/S:T/.../n:=cnt(*), or, grouped,
// with C/attributegroup/S:T/.../g1,g2;n:=cnt(*) paged by the group keys.
// Aggregates need an alias (a bare cnt(*) is a 400).
func (c *Client) Count(ctx context.Context, g catalog.GroupQuery) ([]catalog.GroupCount, error) {
	op := "GET " + c.catalogPath(g.At) + "/aggregate/" + tablePath(g.Table)
	if err := checkTable(g.Table); err != nil {
		return nil, invalid(op, "fix the count", "%v", err)
	}
	for _, col := range g.GroupBy {
		if col == "" {
			return nil, invalid(op, "fix the count", "an empty group column")
		}
	}
	f, t := simplify(g.Where)
	if t == never {
		if len(g.GroupBy) == 0 {
			return []catalog.GroupCount{{Values: catalog.Row{}, Count: 0}}, nil
		}
		return []catalog.GroupCount{}, nil
	}
	f = dedupeFilter(f)
	chunks, err := chunkFilter(f, c.maxURL, func(f catalog.Filter) (string, error) {
		r, err := c.countRequest(g, f, nil)
		return r.uri(), err
	})
	if err != nil {
		return nil, invalid(op, "fix the count", "%v", err)
	}
	if len(chunks) > 1 {
		if err := c.checkAdditive(ctx, g, f); err != nil {
			return nil, invalid(op, "narrow the filter", "%v", err)
		}
	}
	totals := map[string]*catalog.GroupCount{}
	var order []string
	for _, chunk := range chunks {
		groups, err := c.countChunk(ctx, g, chunk)
		if err != nil {
			return nil, err
		}
		for _, gc := range groups {
			k := valuesKey(gc.Values, g.GroupBy)
			if tot, ok := totals[k]; ok {
				tot.Count += gc.Count
				continue
			}
			gc := gc
			totals[k] = &gc
			order = append(order, k)
		}
	}
	out := make([]catalog.GroupCount, 0, len(order))
	for _, k := range order {
		out = append(out, *totals[k])
	}
	return out, nil
}

// checkAdditive allows summing the counts of chunks only when they select
// disjoint rows: the split any(...) list is on a scalar column (on an array
// column any() means overlap, so one row can match several chunks).
func (c *Client) checkAdditive(ctx context.Context, g catalog.GroupQuery, f catalog.Filter) error {
	_, list, _ := splittable(f)
	t, err := c.tableFor(ctx, g.Table, g.At)
	if err != nil {
		return err
	}
	if t != nil {
		if col := t.Column(list.Column); col != nil && col.Type.IsArray {
			return errorf("the any(...) list on array column %q is too long for one request", list.Column)
		}
	}
	return nil
}

// countChunk runs one chunk's count, paging through the groups.
func (c *Client) countChunk(ctx context.Context, g catalog.GroupQuery, f catalog.Filter) ([]catalog.GroupCount, error) {
	var out []catalog.GroupCount
	var after []any
	for {
		r, err := c.countRequest(g, f, after)
		if err != nil {
			return nil, invalid(r.op(), "fix the count", "%v", err)
		}
		raw, err := c.getRows(ctx, r)
		if err != nil {
			return nil, err
		}
		alias := countAlias(g.GroupBy)
		for _, row := range raw {
			n, ok := row[alias].(json.Number)
			count, err := n.Int64()
			if !ok || err != nil {
				return nil, c.badResponse(r.op(), "the count %q is not an integer: %v", alias, row[alias])
			}
			delete(row, alias)
			vals, err := c.normalize(ctx, r.op(), g.Table, g.At, []map[string]any{row})
			if err != nil {
				return nil, err
			}
			out = append(out, catalog.GroupCount{Values: vals[0], Count: count})
		}
		if len(g.GroupBy) == 0 || len(raw) < countPage {
			return out, nil
		}
		last := out[len(out)-1].Values
		after = make([]any, len(g.GroupBy))
		for i, col := range g.GroupBy {
			after[i] = last[col]
		}
	}
}

// countRequest builds the aggregate or attributegroup GET for one page.
func (c *Client) countRequest(g catalog.GroupQuery, f catalog.Filter, after []any) (request, error) {
	api := "/aggregate/"
	if len(g.GroupBy) > 0 {
		api = "/attributegroup/"
	}
	path, err := withFilter(c.catalogPath(g.At)+api+tablePath(g.Table), f)
	r := request{method: http.MethodGet, path: path}
	if err != nil {
		return r, err
	}
	cnt := Escape(countAlias(g.GroupBy)) + ":=cnt(*)"
	if len(g.GroupBy) == 0 {
		// An aggregate answers exactly one row. ERMrest's aggregate GET
		// reads ?limit like every data GET (_GET in
		// ermrest/url/ast/data/__init__.py passes negotiated_limit() to the
		// query), so ?limit=1 is sent too: every read names its limit.
		r.path += "/" + cnt
		r.query = "limit=1"
		return r, nil
	}
	keys := make([]catalog.SortKey, len(g.GroupBy))
	for i, col := range g.GroupBy {
		keys[i] = catalog.SortKey{Column: col}
	}
	r.path += "/" + joinEscaped(g.GroupBy) + ";" + cnt + sortSpec(keys)
	if after != nil {
		vals, err := pageValues(after)
		if err != nil {
			return r, err
		}
		r.path += "@after(" + vals + ")"
	}
	r.query = "limit=" + strconv.Itoa(countPage)
	return r, nil
}

// countAlias names the count output so that it clashes with no group column.
func countAlias(groupBy []string) string {
	alias := "n"
	for slices.Contains(groupBy, alias) {
		alias += "_"
	}
	return alias
}
