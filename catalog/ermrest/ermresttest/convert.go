package ermresttest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// httpError is an answer to send instead of a result: an ERMrest error
// status with its detail (the description comes from the status).
type httpError struct {
	status int
	detail string
}

func (e httpError) Error() string { return fmt.Sprintf("%d %s", e.status, e.detail) }

func conflict(format string, args ...any) error {
	return httpError{409, fmt.Sprintf(format, args...)}
}

func malformed(format string, args ...any) error {
	return httpError{400, fmt.Sprintf(format, args...)}
}

// resolveTable finds a data path's table as ERMrest does: "S:T", or an
// unqualified "T" that must be unique across schemas. Unknown names are
// 409s in data paths (model paths give 404).
func resolveTable(m *catalog.Model, name []string) (*catalog.Table, error) {
	if len(name) == 2 {
		s := m.Schemas[name[0]]
		if s == nil {
			return nil, conflict("Schema %s does not exist.", name[0])
		}
		t := s.Tables[name[1]]
		if t == nil {
			return nil, conflict("Table %s does not exist in schema %s.", name[1], name[0])
		}
		return t, nil
	}
	var found []*catalog.Table
	snames := make([]string, 0, len(m.Schemas))
	for sn := range m.Schemas {
		snames = append(snames, sn)
	}
	sort.Strings(snames)
	for _, sn := range snames {
		if t := m.Schemas[sn].Tables[name[0]]; t != nil {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 0:
		return nil, conflict("Table %s not found in model.", name[0])
	case 1:
		return found[0], nil
	}
	return nil, conflict("Table name %s is ambiguous.", name[0])
}

// scope is what column references in a data path may name.
type scope struct {
	t     *catalog.Table
	alias string
}

// column resolves a reference "c", "A:c", "T:c" or "S:T:c" to the table's column.
func (s scope) column(ref []string) (*catalog.Column, error) {
	name := ref[len(ref)-1]
	switch len(ref) {
	case 1:
	case 2:
		if ref[0] != s.alias && ref[0] != s.t.Name {
			return nil, conflict("Unknown table or alias %s in column reference.", ref[0])
		}
	case 3:
		if ref[0] != s.t.SchemaName || ref[1] != s.t.Name {
			return nil, unsupported{"column references to other tables"}
		}
	default:
		return nil, malformed("Invalid column reference %s.", strings.Join(ref, ":"))
	}
	c := s.t.Column(name)
	if c == nil {
		return nil, conflict("Requested column %s does not exist in table %s.", name, s.t.Name)
	}
	return c, nil
}

// typed converts URL text to a value of the column's type (the element type
// for arrays), as PostgreSQL would cast it. Timestamps are put in ERMrest's
// canonical form so that every engine compares like with like.
func typed(c *catalog.Column, text string) (any, error) {
	t := c.Type
	if t.IsArray && t.Base != nil {
		t = *t.Base
	}
	bad := func() error {
		return malformed("invalid input syntax for type %s: %q", t.BaseName(), text)
	}
	switch t.BaseName() {
	case "int2", "int4", "int8", "serial2", "serial4", "serial8":
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil {
			return nil, bad()
		}
		return n, nil
	case "float4", "float8", "numeric":
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil, bad()
		}
		return f, nil
	case "boolean":
		switch strings.ToLower(text) {
		case "true", "t", "yes", "on", "1":
			return true, nil
		case "false", "f", "no", "off", "0":
			return false, nil
		}
		return nil, bad()
	case "json", "jsonb":
		var v any
		if err := json.Unmarshal([]byte(text), &v); err != nil {
			return nil, bad()
		}
		return v, nil
	case "timestamptz", "timestamp":
		tm, err := catalog.ParseTimestamp(text)
		if err != nil {
			return nil, bad()
		}
		return catalog.FormatTimestamp(tm), nil
	}
	return text, nil
}

// toFilter converts a parsed filter to a catalog.Filter on scope's table.
func (s scope) toFilter(n fnode) (catalog.Filter, error) {
	switch x := n.(type) {
	case fAnd:
		out := make(catalog.And, len(x))
		for i, c := range x {
			f, err := s.toFilter(c)
			if err != nil {
				return nil, err
			}
			out[i] = f
		}
		if len(out) == 1 {
			return out[0], nil
		}
		return out, nil
	case fOr:
		out := make(catalog.Or, len(x))
		for i, c := range x {
			f, err := s.toFilter(c)
			if err != nil {
				return nil, err
			}
			out[i] = f
		}
		return out, nil
	case fNot:
		f, err := s.toFilter(x.f)
		if err != nil {
			return nil, err
		}
		return catalog.Not{Filter: f}, nil
	case fPred:
		return s.predicate(x)
	}
	return nil, fmt.Errorf("ermresttest: unknown filter node %T", n)
}

func (s scope) predicate(p fPred) (catalog.Filter, error) {
	if p.op == "ts" {
		// Text search is broken in ERMrest 416b3ee (reference ermrest.md §0).
		return nil, httpError{500, "name 'right_value' is not defined"}
	}
	if p.name {
		return nil, unsupported{"column-to-column comparisons"}
	}
	if len(p.col) == 1 && p.col[0] == "*" {
		return s.freeText(p)
	}
	col, err := s.column(p.col)
	if err != nil {
		return nil, err
	}
	if p.op == "null" {
		return catalog.IsNull{Column: col.Name}, nil
	}
	one := func(text string) (catalog.Filter, error) {
		switch p.op {
		case "regexp", "ciregexp":
			return catalog.Regexp{Column: col.Name, Pattern: text, IgnoreCase: p.op == "ciregexp"}, nil
		}
		v, err := typed(col, text)
		if err != nil {
			return nil, err
		}
		if col.Name == catalog.ColRID {
			v = text // RID= also matches the normalized form: the engine's job
		}
		if p.op == "=" {
			return catalog.Eq{Column: col.Name, Value: v}, nil
		}
		return catalog.Cmp{Column: col.Name, Op: catalog.CmpOp(p.op), Value: v}, nil
	}
	if p.quant == "" {
		return one(p.vals[0])
	}
	parts := make([]catalog.Filter, len(p.vals))
	for i, text := range p.vals {
		f, err := one(text)
		if err != nil {
			return nil, err
		}
		parts[i] = f
	}
	if p.quant == "all" {
		return catalog.And(parts), nil
	}
	if p.op == "=" {
		vals := make([]any, len(parts))
		for i, f := range parts {
			vals[i] = f.(catalog.Eq).Value
		}
		return catalog.AnyOf{Column: col.Name, Values: vals}, nil
	}
	return catalog.Or(parts), nil
}

// freeText is "*::ciregexp::re": the pattern against every text column.
func (s scope) freeText(p fPred) (catalog.Filter, error) {
	if (p.op != "regexp" && p.op != "ciregexp") || p.quant != "" {
		return nil, malformed("Free-text search supports only regexp and ciregexp.")
	}
	var or catalog.Or
	for _, c := range s.t.Columns {
		if c.Type.BaseName() == "text" {
			or = append(or, catalog.Regexp{Column: c.Name, Pattern: p.vals[0], IgnoreCase: p.op == "ciregexp"})
		}
	}
	return or, nil
}

// aggLabel spells an aggregate the way ERMrest's alias error does, e.g.
// "cnt(cnt(%2A))" for a bare cnt(*).
func aggLabel(a attr) string {
	arg := url.PathEscape(strings.Join(a.name, ":"))
	arg = strings.ReplaceAll(arg, "*", "%2A")
	return fmt.Sprintf("%s(%s(%s))", a.fn, a.fn, arg)
}
