package ermrest

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// noMatchDetail is the detail of ERMrest's 404 to a DELETE whose path
// matches no row (capture delete-nomatch: "Resource not found. Detail:
// entities matching request path").
const noMatchDetail = "entities matching request path"

// Delete removes the rows matching where with DELETE C/entity/S:T/filter.
// ERMrest answers 404 "entities matching request path" when nothing
// matches (reference ermrest.md §0.4): that exact answer is success here;
// any other 404 (unknown catalog, a proxy's page) is an error.
//
// A filter whose URL would be too long is split at its largest top-level
// any(...) list into one DELETE per chunk. ERMrest has no transaction
// across requests, so such a delete is not atomic: when a chunk fails, the
// chunks before it stay deleted and the error is a *PartialDeleteError
// naming what was deleted and the values (RIDs, when the list is on RID)
// that remain. A delete that fits one request is all or nothing.
func (c *Client) Delete(ctx context.Context, table catalog.TableRef, where catalog.Filter) error {
	base := c.catalogPath("") + "/entity/" + tablePath(table)
	op := "DELETE " + base
	if err := checkTable(table); err != nil {
		return invalid(op, "fix the delete", "%v", err)
	}
	f, t := simplify(where)
	if t == never {
		return nil
	}
	build := func(f catalog.Filter) (string, error) { return withFilter(base, f) }
	f = dedupeFilter(f)
	chunks, err := chunkFilter(f, c.maxURL, build)
	if err != nil {
		return invalid(op, "fix the filter", "%v", err)
	}
	for i, chunk := range chunks {
		path, _ := build(chunk) // encodable: chunkFilter rendered it
		if err := c.deleteOne(ctx, path); err != nil {
			if i == 0 {
				return err // nothing was deleted yet
			}
			return partialDelete(table, f, chunks, i, err)
		}
	}
	return nil
}

// deleteOne sends one DELETE; ERMrest's "nothing matched" 404 is success.
func (c *Client) deleteOne(ctx context.Context, path string) error {
	r := request{method: http.MethodDelete, path: path}
	resp, err := c.do(ctx, r, http.StatusNotFound)
	if err != nil {
		return err
	}
	if resp.status == http.StatusNotFound {
		desc, detail := ParseErrorBody(string(resp.body))
		if mediaType(resp.header) != "text/plain" || desc != notFoundDescription || detail != noMatchDetail {
			return c.statusError(r.op(), resp.status, resp.header, resp.body, 1, resp.final)
		}
	}
	return nil
}

// PartialDeleteError is a Delete that was split into several requests and
// failed part-way (see Client.Delete): chunks 1..Done (at least one) were
// deleted or matched nothing, the rest failed or were not tried. A failure
// of the first chunk is returned as it is, since nothing was deleted. Err is the failure;
// errors.Is and catalog.Hint see through to it.
type PartialDeleteError struct {
	Table  catalog.TableRef
	Column string // the column whose any(...) list was split
	Chunks int    // requests the delete needed
	Done   int    // chunks deleted before the failure
	// Deleted and Remaining are the values of Column in the chunks done and
	// in the failed chunk and those after it: RIDs when Column is RID.
	// Retrying the delete with Remaining finishes it.
	Deleted, Remaining []any
	Err                error
}

// Error says how far the delete got, which chunk failed and why, and
// which values remain to be deleted.
func (e *PartialDeleteError) Error() string {
	done := "chunk 1"
	if e.Done > 1 {
		done = fmt.Sprintf("chunks 1–%d", e.Done)
	}
	return fmt.Sprintf("delete from %s stopped part-way: %s of %d deleted (%d %s values); chunk %d failed, "+
		"so %d %s values remain (%s): %v", e.Table, done, e.Chunks, len(e.Deleted), e.Column, e.Done+1,
		len(e.Remaining), e.Column, preview(e.Remaining), e.Err)
}

// Unwrap returns the failure of the chunk that stopped the delete.
func (e *PartialDeleteError) Unwrap() error { return e.Err }

// partialDelete builds the error for chunks[failed] failing with err. The
// chunks differ in the any(...) list splittable finds in the whole filter f
// (at the same position in each chunk, as an AnyOf or, for one value, an
// Eq). Should a second list have been split too, a value counts as deleted
// only when every chunk holding it was.
func partialDelete(table catalog.TableRef, f catalog.Filter, chunks []catalog.Filter, failed int, err error) error {
	e := &PartialDeleteError{Table: table, Chunks: len(chunks), Done: failed}
	idx, _, _ := splittable(f)
	var order []string
	vals := map[string]any{}
	pending := map[string]bool{}
	for i, ch := range chunks {
		part := ch
		if and, ok := ch.(catalog.And); ok && idx >= 0 && idx < len(and) {
			part = and[idx]
		}
		var list []any
		switch x := part.(type) {
		case catalog.AnyOf:
			e.Column, list = x.Column, x.Values
		case catalog.Eq:
			e.Column, list = x.Column, []any{x.Value}
		}
		for _, v := range list {
			k := fmt.Sprintf("%T:%v", v, v)
			if _, seen := vals[k]; !seen {
				vals[k] = v
				order = append(order, k)
			}
			pending[k] = pending[k] || i >= failed
		}
	}
	for _, k := range order {
		if pending[k] {
			e.Remaining = append(e.Remaining, vals[k])
		} else {
			e.Deleted = append(e.Deleted, vals[k])
		}
	}
	if ce, ok := err.(*catalog.Error); ok {
		inner := *ce
		inner.Fix = strings.TrimSuffix(inner.Fix, ".") + fmt.Sprintf("; the first %d of %d chunks were already deleted, "+
			"so retry only the %d remaining %s values", failed, len(chunks), len(e.Remaining), e.Column)
		err = &inner
	}
	e.Err = err
	return e
}

// preview lists the first few values for a message.
func preview[T any](vals []T) string {
	const show = 5
	parts := make([]string, 0, show)
	for i, v := range vals {
		if i == show {
			parts = append(parts, fmt.Sprintf("… %d more", len(vals)-show))
			break
		}
		parts = append(parts, fmt.Sprint(v))
	}
	return strings.Join(parts, ", ")
}
