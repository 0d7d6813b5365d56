package ermrest

import (
	"bytes"
	"context"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// decodeRows parses a JSON array of row objects. encoding/json keeps the last
// of duplicated keys, which is what an entity POST answer needs: ERMrest
// repeats RID, RCT, RMT, RCB and RMB in each row (reference ermrest.md §0.1).
// Numbers stay json.Number so int8 values survive until normalization.
func (c *Client) decodeRows(op string, resp *response) ([]map[string]any, error) {
	if mt := mediaType(resp.header); mt != "" && mt != "application/json" {
		return nil, c.badResponse(op, "expected JSON rows, got %s: %.120q", mt, strings.TrimSpace(string(resp.body)))
	}
	dec := json.NewDecoder(bytes.NewReader(resp.body))
	dec.UseNumber()
	var rows []map[string]any
	if err := dec.Decode(&rows); err != nil {
		return nil, c.badResponse(op, "malformed or truncated JSON rows (%d bytes): %v", len(resp.body), err)
	}
	if dec.More() {
		return nil, c.badResponse(op, "unexpected data after the JSON rows")
	}
	return rows, nil
}

// getRows sends r and decodes its answer, a JSON array of rows.
func (c *Client) getRows(ctx context.Context, r request) ([]map[string]any, error) {
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	return c.decodeRows(r.op(), resp)
}

// tableRows sends r and returns its rows normalized with the types of
// table's columns as of snapshot at.
func (c *Client) tableRows(ctx context.Context, r request, table catalog.TableRef, at string) ([]catalog.Row, error) {
	raw, err := c.getRows(ctx, r)
	if err != nil {
		return nil, err
	}
	return c.normalize(ctx, r.op(), table, at, raw)
}

// normalize converts decoded rows to the forms catalog.Row documents, using
// the table's column types.
func (c *Client) normalize(ctx context.Context, op string, ref catalog.TableRef, at string, raw []map[string]any) ([]catalog.Row, error) {
	if len(raw) == 0 {
		return []catalog.Row{}, nil
	}
	t, err := c.tableFor(ctx, ref, at)
	if err != nil {
		return nil, err
	}
	if t != nil && c.modelKey(at) == "" && hasUnknownColumn(t, raw[0]) {
		// A column the cached live model lacks: someone changed the table.
		c.forgetLiveModel()
		if t, err = c.tableFor(ctx, ref, at); err != nil {
			return nil, err
		}
	}
	out := make([]catalog.Row, len(raw))
	for i, r := range raw {
		row := make(catalog.Row, len(r))
		for k, v := range r {
			var col *catalog.Column
			if t != nil {
				col = t.Column(k)
			}
			if col == nil || isJSONType(col.Type) {
				v = plainNumbers(v) // as encoding/json would give, like every backend
			}
			row[k] = v
		}
		if t != nil {
			if row, err = catalog.Normalize(t, row); err != nil {
				return nil, c.badResponse(op, "row %d of %s: %v", i+1, ref, err)
			}
		}
		out[i] = row
	}
	return out, nil
}

func isJSONType(t catalog.Type) bool {
	n := t.BaseName()
	return n == "json" || n == "jsonb"
}

// plainNumbers turns json.Number values (at any depth) into float64.
func plainNumbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if f, err := strconv.ParseFloat(x.String(), 64); err == nil {
			return f
		}
		return x.String()
	case []any:
		for i := range x {
			x[i] = plainNumbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = plainNumbers(x[k])
		}
	}
	return v
}

// mergeChunks combines the answers to the chunks of one query: each row
// once (by RID when rows have one), in sort order, at most limit rows.
func mergeChunks(parts [][]catalog.Row, sortKeys []catalog.SortKey, limit int) []catalog.Row {
	seen := map[string]bool{}
	var out []catalog.Row
	for _, rows := range parts {
		for _, r := range rows {
			if rid := r.RID(); rid != "" {
				if seen[rid] {
					continue
				}
				seen[rid] = true
			}
			out = append(out, r)
		}
	}
	if len(sortKeys) > 0 {
		sort.SliceStable(out, func(i, j int) bool { return catalog.CompareRows(out[i], out[j], sortKeys) < 0 })
	}
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// valuesKey identifies a row by its values of cols: a count's group across
// chunks, or a guarded update's row by its match columns.
func valuesKey(vals catalog.Row, cols []string) string {
	parts := make([]any, len(cols))
	for i, c := range cols {
		parts[i] = vals[c]
	}
	b, _ := json.Marshal(parts)
	return string(b)
}

// hasUnknownColumn reports whether an entity row names a column t lacks.
func hasUnknownColumn(t *catalog.Table, row map[string]any) bool {
	for k := range row {
		if t.Column(k) == nil {
			return true
		}
	}
	return false
}
