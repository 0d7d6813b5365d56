package local

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// sqlBuilder renders filters, sort orders and page keys over one table's
// columns (live or historical: both use the same column identifiers),
// collecting the bound arguments in order.
type sqlBuilder struct {
	ti   *tableInfo
	args []any
}

var cmpOps = map[catalog.CmpOp]string{catalog.Lt: "<", catalog.Leq: "<=", catalog.Gt: ">", catalog.Geq: ">="}

// where renders a filter; nil is true.
func (b *sqlBuilder) where(f catalog.Filter) (string, error) {
	switch f := f.(type) {
	case nil:
		return "1", nil
	case catalog.Eq:
		return b.eq(f)
	case catalog.Cmp:
		op, ok := cmpOps[f.Op]
		if !ok {
			return "", invalid("unknown comparison operator %q", f.Op)
		}
		return b.compare(f.Column, op, f.Value)
	case catalog.IsNull:
		c, err := b.ti.column(f.Column)
		if err != nil {
			return "", err
		}
		return c.phys + " IS NULL", nil
	case catalog.Regexp:
		return b.regexp(f)
	case catalog.AnyOf:
		return b.anyOf(f)
	case catalog.And:
		return b.join(f, " AND ", "1")
	case catalog.Or:
		return b.join(f, " OR ", "0")
	case catalog.Not:
		inner, err := b.where(f.Filter)
		if err != nil {
			return "", err
		}
		return "NOT (" + inner + ")", nil
	}
	return "", invalid("unsupported filter %T", f)
}

func (b *sqlBuilder) join(fs []catalog.Filter, sep, empty string) (string, error) {
	if len(fs) == 0 {
		return empty, nil
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		p, err := b.where(f)
		if err != nil {
			return "", err
		}
		parts[i] = "(" + p + ")"
	}
	return strings.Join(parts, sep), nil
}

// eq is col=v: array containment on arrays, normalized RIDs on RID.
func (b *sqlBuilder) eq(f catalog.Eq) (string, error) {
	c, err := b.ti.column(f.Column)
	if err != nil {
		return "", err
	}
	if f.Value == nil {
		return "", invalid("Eq on %s has no value; use IsNull to match NULL", f.Column)
	}
	if c.array {
		return b.compare(f.Column, "=", f.Value)
	}
	if c.name == catalog.ColRID {
		return b.in(c, []any{f.Value})
	}
	v, err := c.toStorage(f.Value)
	if err != nil {
		return "", err
	}
	b.args = append(b.args, v)
	return c.phys + " = ?", nil
}

// compare is col op v; on an array column, any element satisfying it.
func (b *sqlBuilder) compare(col, op string, val any) (string, error) {
	c, err := b.ti.column(col)
	if err != nil {
		return "", err
	}
	if val == nil {
		return "", invalid("comparison on %s has no value", col)
	}
	if c.array {
		v, err := c.elemStorage(val)
		if err != nil {
			return "", err
		}
		b.args = append(b.args, v)
		return fmt.Sprintf("EXISTS (SELECT 1 FROM json_each(%s) WHERE value %s ?)", c.phys, op), nil
	}
	v, err := c.toStorage(val)
	if err != nil {
		return "", err
	}
	b.args = append(b.args, v)
	return fmt.Sprintf("%s %s ?", c.phys, op), nil
}

// regexp matches the column's text (each element's, for arrays) with a Go
// regexp, which shares the common syntax with PostgreSQL's. PostgreSQL's ~
// is not newline-sensitive: "." matches "\n" while ^ and $ anchor at the
// ends of the whole text only, so the pattern runs in Go's (?s) mode.
func (b *sqlBuilder) regexp(f catalog.Regexp) (string, error) {
	c, err := b.ti.column(f.Column)
	if err != nil {
		return "", err
	}
	pat := "(?s)" + f.Pattern
	if f.IgnoreCase {
		pat = "(?is)" + f.Pattern
	}
	if _, err := compiled(pat); err != nil { // also warms the cache cz_regexp reads
		return "", &catalog.Error{Kind: catalog.ErrBadRequest, Detail: fmt.Sprintf("invalid regular expression %q: %v", f.Pattern, err),
			Fix: "fix the pattern (RE2 syntax, the common subset of PostgreSQL's)"}
	}
	b.args = append(b.args, pat)
	// Non-text values match as PostgreSQL prints them (true, not 1).
	text := func(v string) string {
		k := c.k
		if k == kFloat && c.typ.BaseName() == "float4" {
			k = kFloat4Text
		}
		if needsPGText(k) {
			return fmt.Sprintf("%s(%d, %s)", pgTextFunc, k, v)
		}
		return v
	}
	if c.array {
		return fmt.Sprintf("EXISTS (SELECT 1 FROM json_each(%s) WHERE %s(?, %s))", c.phys, regexpFunc, text("value")), nil
	}
	return fmt.Sprintf("%s(?, %s)", regexpFunc, text(c.phys)), nil
}

// anyOf is col=any(...): membership, or overlap on arrays.
func (b *sqlBuilder) anyOf(f catalog.AnyOf) (string, error) {
	c, err := b.ti.column(f.Column)
	if err != nil {
		return "", err
	}
	if len(f.Values) == 0 {
		return "0", nil
	}
	if c.array {
		list := make([]any, len(f.Values))
		for i, v := range f.Values {
			sv, err := c.elemStorage(v)
			if err != nil {
				return "", err
			}
			list[i] = sv
		}
		return fmt.Sprintf("EXISTS (SELECT 1 FROM json_each(%s) WHERE value IN %s)", c.phys, b.valueList(list)), nil
	}
	return b.in(c, f.Values)
}

// in renders col IN (...); RID values also match their normalized form, as
// ERMrest's RID= does (a value that decodes is re-encoded canonically).
func (b *sqlBuilder) in(c *colInfo, vals []any) (string, error) {
	var list []any
	for _, v := range vals {
		if v == nil {
			return "", invalid("value list on %s contains nil", c.name)
		}
		sv, err := c.toStorage(v)
		if err != nil {
			return "", err
		}
		if s, ok := sv.(string); ok && c.name == catalog.ColRID {
			for _, form := range catalog.RIDSpellings(s) {
				list = append(list, form)
			}
			continue
		}
		list = append(list, sv)
	}
	return c.phys + " IN " + b.valueList(list), nil
}

// maxInlineValues bounds the values bound one parameter each; longer lists
// travel as one JSON array parameter, so any(...) of any length stays
// within SQLite's limit on bound parameters.
const maxInlineValues = 64

// valueList renders storage values as the right-hand side of IN.
func (b *sqlBuilder) valueList(list []any) string {
	if len(list) > maxInlineValues {
		data, err := json.Marshal(list)
		if err == nil {
			b.args = append(b.args, string(data))
			return "(SELECT value FROM json_each(?))"
		}
	}
	marks := make([]string, len(list))
	for i, v := range list {
		b.args = append(b.args, v)
		marks[i] = "?"
	}
	return "(" + strings.Join(marks, ", ") + ")"
}

// orderBy renders sort keys: ascending NULLS LAST, descending NULLS FIRST.
func (b *sqlBuilder) orderBy(keys []catalog.SortKey) (string, error) {
	parts := make([]string, len(keys))
	for i, k := range keys {
		c, err := b.ti.column(k.Column)
		if err != nil {
			return "", err
		}
		switch {
		case k.Desc && c.nullok:
			parts[i] = c.phys + " DESC NULLS FIRST"
		case k.Desc:
			parts[i] = c.phys + " DESC"
		case c.nullok:
			parts[i] = c.phys + " ASC NULLS LAST"
		default:
			parts[i] = c.phys + " ASC"
		}
	}
	return strings.Join(parts, ", "), nil
}

// after renders ERMrest's @after: rows strictly after vals in the sort order
// (a nil value is NULL, which sorts last ascending and first descending).
func (b *sqlBuilder) after(keys []catalog.SortKey, vals []any) (string, error) {
	var ors []string
	var eqs []string
	var eqArgs []any
	for i, k := range keys {
		c, err := b.ti.column(k.Column)
		if err != nil {
			return "", err
		}
		v, err := c.toStorage(vals[i])
		if err != nil {
			return "", err
		}
		var beyond string
		var bArgs []any
		switch {
		case v == nil && !k.Desc:
			beyond = "0"
		case v == nil:
			beyond = c.phys + " IS NOT NULL"
		case k.Desc:
			beyond, bArgs = c.phys+" < ?", []any{v}
		case !c.nullok: // keeps the condition usable by an index (RID paging)
			beyond, bArgs = c.phys+" > ?", []any{v}
		default:
			beyond, bArgs = "("+c.phys+" > ? OR "+c.phys+" IS NULL)", []any{v}
		}
		ors = append(ors, "("+strings.Join(append(slices.Clone(eqs), beyond), " AND ")+")")
		b.args = append(b.args, eqArgs...)
		b.args = append(b.args, bArgs...)
		if v == nil {
			eqs = append(eqs, c.phys+" IS NULL")
		} else {
			eqs = append(eqs, c.phys+" = ?")
			eqArgs = append(eqArgs, v)
		}
	}
	return strings.Join(ors, " OR "), nil
}

func invalid(format string, args ...any) error {
	return &catalog.Error{Kind: catalog.ErrInvalidInput, Detail: fmt.Sprintf(format, args...),
		Fix: "fix the query built by the caller"}
}
