package catalog

import (
	"context"
	"fmt"
	"slices"
)

// QueryAll reads every row matching q in pages of pageSize, calling fn with
// each non-empty page in RID order. It pages by keyset (Sort by RID, After
// the last RID seen), as deriva-py does, so no single request is large and
// no row is read twice. q.Sort, q.After and q.Limit are replaced; a
// projection (q.Select) without RID gets RID added, since paging needs it.
//
// A store that splits one query into several requests (see RIDPager) pages
// each request on its own: the rows come request by request, each request's
// in RID order, still in pages of pageSize (the last one shorter).
//
// Pages are read at q.At; with q.At empty each page is read live, so rows
// written meanwhile may or may not appear. Pin q.At to a snapshot
// (Store.Snapshot) for a consistent read.
func QueryAll(ctx context.Context, s Store, q Query, pageSize int, fn func([]Row) error) error {
	if pageSize <= 0 {
		return &Error{Kind: ErrInvalidInput, Op: "query " + q.Table.String(),
			Detail: fmt.Sprintf("page size %d is not positive", pageSize), Fix: "page with a positive size, e.g. 1000"}
	}
	if q.Select != nil && !slices.Contains(q.Select, ColRID) {
		q.Select = append(slices.Clone(q.Select), ColRID)
	}
	q.Sort = []SortKey{{Column: ColRID}}
	q.After = nil
	q.Limit = pageSize
	if p, ok := s.(RIDPager); ok {
		return p.PageByRID(ctx, q, fn)
	}
	for {
		rows, err := s.Query(ctx, q)
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			if err := fn(rows); err != nil {
				return err
			}
		}
		if len(rows) < pageSize {
			return nil
		}
		last := rows[len(rows)-1].RID()
		if last == "" {
			return &Error{Kind: ErrBadResponse, Op: "query " + q.Table.String(),
				Detail: "a page came back without RIDs", Fix: "report this: the catalog ignored the projection"}
		}
		q.After = []any{last}
	}
}

// RIDPager is implemented by a Store whose Query may split one query into
// several requests (the ERMrest client does when a long any(...) list would
// make a URL too long). QueryAll lets it page by RID itself, each request on
// its own: merging the requests' pages and continuing after the last RID of
// the merged order would compare RIDs across requests in the client's byte
// order, while the server continues @after it in its own collation, which
// can order RIDs differently and so skip rows.
type RIDPager interface {
	// PageByRID calls fn with every row matching q once, in pages of q.Limit
	// rows (the last one shorter), each request's rows in the server's RID
	// order. q comes from QueryAll: sorted by RID alone, projecting RID, no
	// After.
	PageByRID(ctx context.Context, q Query, fn func([]Row) error) error
}
