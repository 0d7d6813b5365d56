package ermrest

import (
	"context"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// afterRoom stands for the @after(RID) value of a later page when a filter
// is split for paging by RID: the chunks are sized with room for it, so
// they stay the same from the first page to the last. A RID is a few
// base-32 symbols; 40 is far more than any catalog reaches.
var afterRoom = strings.Repeat("Z", 40)

// ridPage is one answer of a read paged by RID.
type ridPage struct {
	rows []catalog.Row
	etag string // the answer's ETag ("" when the server sent none)
}

// ridChunks splits q's filter (q sorted by RID alone) into the filters of
// the requests that read it, measured with room for an @after(RID). It
// returns none when the filter matches nothing.
func (c *Client) ridChunks(q catalog.Query) ([]catalog.Filter, error) {
	probe := q
	probe.After = []any{afterRoom}
	return c.queryChunks(probe)
}

// pageChunk reads every row of q within the filter chunk f, q.Limit rows
// per request, each request continuing @after the last RID of the answer
// before it: the server's own order, never compared here, so a collation
// that orders RIDs differently from bytes skips nothing. q must be sorted
// by RID alone and project RID.
func (c *Client) pageChunk(ctx context.Context, q catalog.Query, f catalog.Filter, fn func(ridPage) error) error {
	q.After = nil
	for {
		r, err := c.queryRequest(q, f)
		if err != nil {
			return invalid(r.op(), "fix the query", "%v", err)
		}
		resp, err := c.do(ctx, r)
		if err != nil {
			return err
		}
		raw, err := c.decodeRows(r.op(), resp)
		if err != nil {
			return err
		}
		rows, err := c.normalize(ctx, r.op(), q.Table, q.At, raw)
		if err != nil {
			return err
		}
		if err := fn(ridPage{rows: rows, etag: resp.header.Get("ETag")}); err != nil {
			return err
		}
		if len(rows) < q.Limit {
			return nil
		}
		last := rows[len(rows)-1].RID()
		if last == "" {
			return c.badResponse(r.op(), "a page of %d rows sorted by RID came back without RIDs", len(rows))
		}
		q.After = []any{last}
	}
}

var _ catalog.RIDPager = (*Client)(nil)

// PageByRID is catalog.QueryAll's read (see catalog.RIDPager): a filter too
// long for one URL is split once, and each chunk is paged by RID on its own,
// each request continuing after the last RID the server sent for that chunk.
// Rows come chunk by chunk, gathered into pages of q.Limit rows; a row that
// several chunks match (an any(...) list on an array column) comes once.
func (c *Client) PageByRID(ctx context.Context, q catalog.Query, fn func([]catalog.Row) error) error {
	op := "GET " + c.catalogPath(q.At) + "/entity/" + tablePath(q.Table)
	if err := checkQuery(q); err != nil {
		return invalid(op, "fix the query", "%v", err)
	}
	if len(q.Sort) != 1 || q.Sort[0] != (catalog.SortKey{Column: catalog.ColRID}) || len(q.After) > 0 {
		return invalid(op, "page with catalog.QueryAll", "paging by RID needs the query sorted by RID alone, without @after")
	}
	chunks, err := c.ridChunks(q)
	if err != nil {
		return invalid(op, "fix the query", "%v", err)
	}
	var seen map[string]bool
	if len(chunks) > 1 {
		seen = map[string]bool{}
	}
	var page []catalog.Row
	for _, chunk := range chunks {
		err := c.pageChunk(ctx, q, chunk, func(p ridPage) error {
			for _, r := range p.rows {
				if seen != nil {
					if seen[r.RID()] {
						continue
					}
					seen[r.RID()] = true
				}
				page = append(page, r)
				if len(page) == q.Limit {
					if err := fn(page); err != nil {
						return err
					}
					page = nil
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if len(page) > 0 {
		return fn(page)
	}
	return nil
}
