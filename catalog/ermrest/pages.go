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
	f, t := simplify(q.Where)
	if t == never {
		return nil, nil
	}
	f = dedupeFilter(f)
	probe := q
	probe.After = []any{afterRoom}
	return chunkFilter(f, c.maxURL, func(f catalog.Filter) (string, error) {
		r, err := c.queryRequest(probe, f)
		return r.uri(), err
	})
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
