package ermresttest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// getGroups answers GET C/attributegroup/S:T/.../keys[;n:=cnt(*)] with the
// engine's group counts, sorted and paged here.
func (s *Server) getGroups(d *dataCall) {
	var outs []output
	var groupBy []string
	for _, a := range d.rt.keys {
		if a.fn == "bin" {
			d.fail(unsupported{"bin() in attributegroup keys"})
			return
		}
		if a.fn != "" {
			d.fail(unsupported{"aggregates among attributegroup keys"})
			return
		}
		col, err := d.sc.column(a.name)
		if err != nil {
			d.fail(err)
			return
		}
		name := col.Name
		if a.alias != "" {
			name = a.alias
		}
		outs = append(outs, output{name, col.Name})
		groupBy = append(groupBy, col.Name)
	}
	countAs := ""
	for _, a := range d.rt.attrs {
		switch {
		case a.fn != "" && a.alias == "":
			d.fail(malformed("Aggregated column %s must be given an alias.", aggLabel(a)))
			return
		case a.fn == "cnt" && len(a.name) == 1 && a.name[0] == "*" && countAs == "":
			countAs = a.alias
		default:
			d.fail(unsupported{"attributegroup projections other than one alias:=cnt(*)"})
			return
		}
	}
	limit, _, err := d.limit()
	if err != nil {
		d.fail(err)
		return
	}
	sortable := append([]output(nil), outs...)
	if countAs != "" {
		sortable = append(sortable, output{countAs, ""})
	}
	keys, after, before, err := d.groupPageKeys(sortable)
	if err != nil {
		d.fail(err)
		return
	}
	current := s.tag(d.call, true)
	if s.preconditions(d.call, current) {
		return
	}
	groups, err := s.engine.Count(ctx(d.r), catalog.GroupQuery{Table: d.t.Ref(), Where: d.where, GroupBy: groupBy, At: d.rt.snap})
	if err != nil {
		d.fail(err)
		return
	}
	rows := make([]catalog.Row, 0, len(groups))
	for _, g := range groups {
		row := catalog.Row{}
		for _, o := range outs {
			row[o.name] = g.Values[o.col]
		}
		if countAs != "" {
			row[countAs] = g.Count
		}
		rows = append(rows, row)
	}
	rows = pageInMemory(rows, keys, after, before, limit)
	cols := make([]outCol, len(sortable))
	for i, o := range sortable {
		cols[i] = outCol{name: o.name}
		if o.col != "" {
			cols[i].typ = &d.t.Column(o.col).Type
		}
	}
	d.w.Header().Set("ETag", current)
	d.writeRows(cols, rows)
}

// groupPageKeys is pageKeys for outputs that may include the count.
func (d *dataCall) groupPageKeys(outs []output) ([]catalog.SortKey, []any, []any, error) {
	var cols []output
	var countName string
	for _, o := range outs {
		if o.col == "" {
			countName = o.name
			continue
		}
		cols = append(cols, o)
	}
	columns := map[string]*catalog.Column{}
	for _, o := range cols {
		columns[o.name] = d.t.Column(o.col)
	}
	isOutput := func(name string) bool { return name != "" && (name == countName || columns[name] != nil) }
	return d.pageKeysBy(isOutput, func(name, text string) (any, error) {
		if name == countName {
			var n int64
			if _, err := fmt.Sscan(text, &n); err != nil {
				return nil, malformed("invalid input syntax for type bigint: %q", text)
			}
			return n, nil
		}
		return typed(columns[name], text)
	})
}

// pageInMemory sorts rows and applies @after, @before and the limit.
func pageInMemory(rows []catalog.Row, keys []catalog.SortKey, after, before []any, limit int) []catalog.Row {
	if len(keys) > 0 {
		slices.SortStableFunc(rows, func(a, b catalog.Row) int { return catalog.CompareRows(a, b, keys) })
	}
	var out []catalog.Row
	for _, r := range rows {
		if after != nil && compareKey(r, keys, after) <= 0 {
			continue
		}
		if before != nil && compareKey(r, keys, before) >= 0 {
			continue
		}
		out = append(out, r)
	}
	if before != nil && after == nil && len(out) > limit {
		out = out[len(out)-limit:]
	}
	if len(out) > limit {
		out = out[:limit]
	}
	if out == nil {
		out = []catalog.Row{}
	}
	return out
}

// getAggregate answers GET C/aggregate/S:T/.../a:=fn(col),...: one row.
// cnt(*) is the engine's count; the other functions run over the rows.
func (s *Server) getAggregate(d *dataCall) {
	for _, a := range d.rt.attrs {
		switch {
		case a.fn == "":
			d.fail(malformed("Attribute %s lacks an aggregate function.", strings.Join(a.name, ":")))
			return
		case a.fn == "bin": // capture aggregate-bin
			d.fail(malformed("Attribute bin(%s) lacks an aggregate function.",
				strings.Join(append([]string{strings.Join(a.name, ":")}, a.bin...), ";")))
			return
		case a.alias == "":
			d.fail(malformed("Aggregated column %s must be given an alias.", aggLabel(a)))
			return
		case !slices.Contains([]string{"cnt", "cnt_d", "min", "max", "sum", "avg", "array", "array_d"}, a.fn):
			d.fail(malformed("Unknown aggregate function %s.", a.fn))
			return
		}
	}
	// ERMrest reads ?limit on an aggregate too (a bad one is a 400); its one
	// row is the answer whatever the limit.
	if _, _, err := d.limit(); err != nil {
		d.fail(err)
		return
	}
	current := s.tag(d.call, true)
	if s.preconditions(d.call, current) {
		return
	}
	row := catalog.Row{}
	var cols []outCol
	var rows []catalog.Row
	for _, a := range d.rt.attrs {
		cols = append(cols, outCol{name: a.alias})
		if a.fn == "cnt" && len(a.name) == 1 && a.name[0] == "*" {
			n, err := s.engine.Count(ctx(d.r), catalog.GroupQuery{Table: d.t.Ref(), Where: d.where, At: d.rt.snap})
			if err != nil {
				d.fail(err)
				return
			}
			row[a.alias] = n[0].Count
			continue
		}
		col, err := d.sc.column(a.name)
		if err != nil {
			d.fail(err)
			return
		}
		if rows == nil {
			if rows, err = s.engine.Query(ctx(d.r), catalog.Query{Table: d.t.Ref(), Where: d.where, At: d.rt.snap, Limit: noLimit}); err != nil {
				d.fail(err)
				return
			}
		}
		row[a.alias] = aggregate(a.fn, col.Name, rows)
		switch a.fn {
		case "array", "array_d":
			cols[len(cols)-1].typ = jsonbType
		case "min", "max", "sum":
			cols[len(cols)-1].typ = &col.Type
		}
	}
	d.w.Header().Set("ETag", current)
	d.writeRows(cols, []catalog.Row{row})
}

// aggregate computes fn over a column as PostgreSQL does (NULLs ignored,
// except by array).
func aggregate(fn, col string, rows []catalog.Row) any {
	var vals []any
	for _, r := range rows {
		if r[col] != nil || fn == "array" || fn == "array_d" {
			vals = append(vals, r[col])
		}
	}
	distinct := func() []any {
		var out []any
		for _, v := range vals {
			if !slices.ContainsFunc(out, func(o any) bool { return catalog.CompareValues(o, v) == 0 }) {
				out = append(out, v)
			}
		}
		slices.SortStableFunc(out, catalog.CompareValues)
		return out
	}
	switch fn {
	case "cnt":
		return int64(len(vals))
	case "cnt_d":
		return int64(len(distinct()))
	case "array":
		return append([]any{}, vals...)
	case "array_d":
		return append([]any{}, distinct()...)
	}
	if len(vals) == 0 {
		return nil
	}
	switch fn {
	case "min", "max":
		best := vals[0]
		for _, v := range vals[1:] {
			if c := catalog.CompareValues(v, best); fn == "min" && c < 0 || fn == "max" && c > 0 {
				best = v
			}
		}
		return best
	}
	var sum float64
	allInt := true
	for _, v := range vals {
		f, _ := catalog.Numeric(v)
		sum += f
		_, isInt := v.(int64)
		allInt = allInt && isInt
	}
	if fn == "avg" {
		return sum / float64(len(vals))
	}
	if allInt {
		return int64(sum)
	}
	return sum
}
