package ermresttest

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// noLimit stands for "no ?limit" (ERMrest applies no default limit).
const noLimit = math.MaxInt32

// dataCall is a data request resolved against the model.
type dataCall struct {
	*call
	t     *catalog.Table
	sc    scope
	where catalog.Filter
}

func (s *Server) serveData(c *call) {
	m, err := s.engine.Model(ctx(c.r), c.rt.snap)
	if err != nil {
		c.fail(err)
		return
	}
	t, err := resolveTable(m, c.rt.root)
	if err != nil {
		c.fail(err)
		return
	}
	if c.r.Method == http.MethodGet && slices.Contains(s.opts.SelectRefused, t.Ref()) {
		refuseSelect(c, t)
		return
	}
	d := &dataCall{call: c, t: t, sc: scope{t: t, alias: c.rt.alias}}
	var and catalog.And
	for _, f := range c.rt.filters {
		cf, err := d.sc.toFilter(f)
		if err != nil {
			c.fail(err)
			return
		}
		and = append(and, cf)
	}
	switch len(and) {
	case 0:
	case 1:
		d.where = and[0]
	default:
		d.where = and
	}
	switch c.rt.api + " " + c.r.Method {
	case "entity GET", "attribute GET":
		s.getRows(d)
	case "entity POST":
		s.insert(d)
	case "entity DELETE":
		s.delete(d)
	case "attributegroup GET":
		s.getGroups(d)
	case "attributegroup PUT":
		s.update(d)
	case "aggregate GET":
		s.getAggregate(d)
	case "entity PUT":
		s.upsert(d)
	case "attribute DELETE":
		c.fail(unsupported{c.r.Method + " on the " + c.rt.api + " API"})
	default:
		writeError(c.w, http.StatusMethodNotAllowed, "")
	}
}

// limit reads ?limit: an integer, "none", or absent (no limit).
func (d *dataCall) limit() (int, bool, error) {
	v, ok := d.rt.opts["limit"]
	if !ok || len(v) == 1 && v[0] == "none" {
		return noLimit, false, nil
	}
	if len(v) == 1 {
		if n, err := strconv.Atoi(v[0]); err == nil && n >= 0 {
			return n, true, nil
		}
	}
	return 0, false, malformed(`The "limit" query-parameter requires an integer or the string "none".`)
}

// output is one output column of a projection.
type output struct {
	name string // key in the answer
	col  string // the table column it shows
}

// projection lists the answer's columns: every column for entity, the
// attribute list otherwise.
func (d *dataCall) projection() ([]output, error) {
	if d.rt.api == "entity" {
		var out []output
		for _, c := range d.t.Columns {
			out = append(out, output{c.Name, c.Name})
		}
		return out, nil
	}
	var out []output
	for _, a := range d.rt.attrs {
		if a.name[len(a.name)-1] == "*" && a.alias == "" && len(a.name) == 1 {
			for _, c := range d.t.Columns {
				out = append(out, output{c.Name, c.Name})
			}
			continue
		}
		col, err := d.sc.column(a.name)
		if err != nil {
			return nil, err
		}
		name := col.Name
		if a.alias != "" {
			name = a.alias
		} else if len(a.name) > 1 {
			return nil, unsupported{"qualified names in attribute projections"}
		}
		out = append(out, output{name, col.Name})
	}
	return out, nil
}

// pageKeys converts @sort and @after/@before to the output columns' terms.
func (d *dataCall) pageKeys(outs []output) (keys []catalog.SortKey, after, before []any, err error) {
	cols := map[string]*catalog.Column{}
	for _, o := range outs {
		cols[o.name] = d.t.Column(o.col)
	}
	return d.pageKeysBy(func(name string) bool { return cols[name] != nil },
		func(name, text string) (any, error) { return typed(cols[name], text) })
}

// pageKeysBy checks @sort against the output names (isOutput) and converts
// the @after/@before values with value, one per sort key; ::null:: stays nil.
func (d *dataCall) pageKeysBy(isOutput func(string) bool, value func(name, text string) (any, error)) (keys []catalog.SortKey, after, before []any, err error) {
	for _, k := range d.rt.sort {
		if !isOutput(k.name) {
			return nil, nil, nil, conflict("Sort key %s is not an output column.", k.name)
		}
		keys = append(keys, catalog.SortKey{Column: k.name, Desc: k.desc})
	}
	conv := func(which string, vals []pageVal) ([]any, error) {
		if len(vals) != len(keys) {
			return nil, malformed("The %q page key of length %d does not match the \"sort\" key of length %d.", which, len(vals), len(keys))
		}
		out := make([]any, len(vals))
		for i, v := range vals {
			if v.null {
				continue
			}
			tv, err := value(keys[i].Column, v.text)
			if err != nil {
				return nil, err
			}
			out[i] = tv
		}
		return out, nil
	}
	if d.rt.after != nil {
		if after, err = conv("after", d.rt.after); err != nil {
			return nil, nil, nil, err
		}
	}
	if d.rt.before != nil {
		if before, err = conv("before", d.rt.before); err != nil {
			return nil, nil, nil, err
		}
	}
	return keys, after, before, nil
}

// getRows answers entity and attribute GETs.
func (s *Server) getRows(d *dataCall) {
	limit, limited, err := d.limit()
	outs, err2 := d.projection()
	if err == nil {
		err = err2
	}
	var keys []catalog.SortKey
	var after, before []any
	if err == nil {
		keys, after, before, err = d.pageKeys(outs)
	}
	if err == nil && d.rt.before != nil && !limited && d.rt.after == nil {
		err = malformed("Page @before(...) modifier not allowed without limit parameter.")
	}
	if err != nil {
		d.fail(err)
		return
	}
	current := s.tag(d.call, true)
	if s.preconditions(d.call, current) {
		return
	}
	rows, err := s.page(d, outs, keys, after, before, limit)
	if err != nil {
		d.fail(err)
		return
	}
	cols := make([]outCol, len(outs))
	for i, o := range outs {
		cols[i] = outCol{name: o.name, typ: &d.t.Column(o.col).Type}
	}
	d.w.Header().Set("ETag", current)
	d.writeRows(cols, rows)
}

// page runs the engine query for a sorted, paged read. The engine knows
// @after; @before alone is @after with the sort reversed; both together
// read forward from after and stop at before.
func (s *Server) page(d *dataCall, outs []output, keys []catalog.SortKey, after, before []any, limit int) ([]catalog.Row, error) {
	var sel []string
	for _, o := range outs {
		if !slices.Contains(sel, o.col) {
			sel = append(sel, o.col)
		}
	}
	colOf := map[string]string{}
	for _, o := range outs {
		colOf[o.name] = o.col
	}
	q := catalog.Query{Table: d.t.Ref(), Where: d.where, Select: sel, At: d.rt.snap, Limit: limit}
	if d.rt.api == "entity" {
		q.Select = nil
	}
	for _, k := range keys {
		q.Sort = append(q.Sort, catalog.SortKey{Column: colOf[k.Column], Desc: k.Desc})
	}
	reverse := before != nil && after == nil
	switch {
	case reverse:
		for i := range q.Sort {
			q.Sort[i].Desc = !q.Sort[i].Desc
		}
		q.After = before
	case after != nil:
		q.After = after
		if before != nil {
			q.Limit = noLimit
		}
	}
	if q.Limit == 0 {
		return []catalog.Row{}, nil
	}
	rows, err := s.engine.Query(ctx(d.r), q)
	if err != nil {
		return nil, err
	}
	out := make([]catalog.Row, 0, len(rows))
	for _, r := range rows {
		row := catalog.Row{}
		for _, o := range outs {
			row[o.name] = r[o.col]
			if list, ok := r[o.col].([]any); ok && len(list) == 0 && d.rt.snap != "" && d.t.Column(o.col).Type.IsArray {
				// ERMrest rebuilds historical rows from JSON, and an empty
				// array comes back NULL (capture read-last-visible, §0.18).
				row[o.name] = nil
			}
		}
		if before != nil && after != nil && compareKey(row, keys, before) >= 0 {
			break
		}
		out = append(out, row)
		if len(out) == limit {
			break
		}
	}
	if reverse {
		slices.Reverse(out)
	}
	return out, nil
}

// compareKey orders a row against a page key in @sort order.
func compareKey(row catalog.Row, keys []catalog.SortKey, vals []any) int {
	for i, k := range keys {
		c := catalog.CompareValues(row[k.Column], vals[i])
		if k.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// refuseSelect answers a read of t as ERMrest does when the caller lacks
// its select right (ermrest/model/misc.py enforce_right: Forbidden("%s
// access on %s") with the table as str(Table), ":schema:table" quoted by
// urllib.quote); an anonymous caller gets 401 instead of 403, as for
// every refusal (reference ermrest.md §4.3).
func refuseSelect(c *call, t *catalog.Table) {
	status := http.StatusForbidden
	if !c.known {
		status = http.StatusUnauthorized
	}
	writeError(c.w, status, "select access on :"+pyQuote(t.SchemaName)+":"+pyQuote(t.Name))
}

// pyQuote is Python 2's urllib.quote with its default safe "/": every
// byte but ASCII letters, digits, "_.-" and "/" is %XX-escaped.
func pyQuote(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_.-/", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
