package ermrest

import (
	"fmt"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// truth is what simplify knows about a filter without asking the server.
type truth int

const (
	unknown truth = iota // depends on the rows
	always               // true for every row
	never                // false for every row
)

// simplify removes the constants ERMrest's filter language cannot spell
// (an empty And is true, an empty Or or AnyOf is false), folds them into
// their parents and flattens single-child And/Or. When the result is a
// constant the filter is nil and the truth says which.
func simplify(f catalog.Filter) (catalog.Filter, truth) {
	switch x := f.(type) {
	case nil:
		return nil, always
	case catalog.And:
		return simplifyJoin(x, always, never)
	case catalog.Or:
		return simplifyJoin(x, never, always)
	case catalog.Not:
		s, t := simplify(x.Filter)
		switch t {
		case always:
			return nil, never
		case never:
			return nil, always
		}
		return catalog.Not{Filter: s}, unknown
	case catalog.AnyOf:
		var vals []any
		hasNull := false
		for _, v := range x.Values {
			if v == nil {
				hasNull = true
				continue
			}
			vals = append(vals, v)
		}
		list := anyOf(x.Column, vals)
		switch {
		case hasNull && len(vals) == 0:
			return catalog.IsNull{Column: x.Column}, unknown
		case hasNull:
			return catalog.Or{catalog.IsNull{Column: x.Column}, list}, unknown
		case len(vals) == 0:
			return nil, never
		}
		return list, unknown
	case catalog.Eq:
		if x.Value == nil {
			return catalog.IsNull{Column: x.Column}, unknown
		}
	}
	return f, unknown
}

// simplifyJoin simplifies the children of an And/Or, drops those equal to
// its empty value (true for And, false for Or), short-circuits on one equal
// to its absorbing value, and turns what is left, if zero or one child, into
// the empty value or that child.
func simplifyJoin[T catalog.And | catalog.Or](kids T, empty, absorbing truth) (catalog.Filter, truth) {
	var kept T
	for _, c := range kids {
		s, t := simplify(c)
		switch t {
		case absorbing:
			return nil, absorbing
		case unknown:
			kept = append(kept, s)
		}
	}
	switch len(kept) {
	case 0:
		return nil, empty
	case 1:
		return kept[0], unknown
	}
	return any(kept).(catalog.Filter), unknown
}

// Operator precedence levels of ERMrest's filter language: ! binds tighter
// than &, which binds tighter than ;.
const (
	levelTop = iota
	levelOr
	levelAnd
	levelNot
)

// encodeFilter renders a simplified, non-constant filter in ERMrest's
// filter language, every column name and value escaped.
func encodeFilter(f catalog.Filter) (string, error) {
	var b strings.Builder
	if err := encodeAt(&b, f, levelTop); err != nil {
		return "", err
	}
	return b.String(), nil
}

// withFilter appends f's path segment to a data path; a nil filter (true
// for every row) adds none.
func withFilter(path string, f catalog.Filter) (string, error) {
	if f == nil {
		return path, nil
	}
	enc, err := encodeFilter(f)
	if err != nil {
		return path, err
	}
	return path + "/" + enc, nil
}

func encodeAt(b *strings.Builder, f catalog.Filter, parent int) error {
	switch x := f.(type) {
	case catalog.Or:
		return encodeJoined(b, []catalog.Filter(x), ";", levelOr, parent >= levelAnd)
	case catalog.And:
		return encodeJoined(b, []catalog.Filter(x), "&", levelAnd, parent >= levelNot)
	case catalog.Not:
		// A negated negation must be parenthesized: the grammar reads
		// "!" predicate, and a predicate cannot start with "!".
		if parent == levelNot {
			b.WriteByte('(')
			defer b.WriteByte(')')
		}
		b.WriteByte('!')
		return encodeAt(b, x.Filter, levelNot)
	case catalog.Eq:
		return encodePredicate(b, x.Column, "=", x.Value)
	case catalog.Cmp:
		switch x.Op {
		case catalog.Lt, catalog.Leq, catalog.Gt, catalog.Geq:
		default:
			return fmt.Errorf("unknown comparison operator %q (want lt, leq, gt or geq)", x.Op)
		}
		if x.Value == nil {
			return fmt.Errorf("column %q: cannot compare with NULL (use IsNull)", x.Column)
		}
		return encodePredicate(b, x.Column, "::"+string(x.Op)+"::", x.Value)
	case catalog.IsNull:
		if x.Column == "" {
			return fmt.Errorf("a filter names no column")
		}
		b.WriteString(Escape(x.Column) + "::null::")
		return nil
	case catalog.Regexp:
		op := "::regexp::"
		if x.IgnoreCase {
			op = "::ciregexp::"
		}
		return encodePredicate(b, x.Column, op, x.Pattern)
	case catalog.AnyOf:
		if x.Column == "" {
			return fmt.Errorf("a filter names no column")
		}
		parts := make([]string, len(x.Values))
		for i, v := range x.Values {
			s, err := literal(v)
			if err != nil {
				return fmt.Errorf("column %q: %w", x.Column, err)
			}
			parts[i] = s
		}
		b.WriteString(Escape(x.Column) + "=any(" + strings.Join(parts, ",") + ")")
		return nil
	case nil:
		return fmt.Errorf("an empty filter inside a combination")
	}
	return fmt.Errorf("unsupported filter %T", f)
}

func encodeJoined(b *strings.Builder, kids []catalog.Filter, sep string, level int, paren bool) error {
	if paren {
		b.WriteByte('(')
	}
	for i, k := range kids {
		if i > 0 {
			b.WriteString(sep)
		}
		if err := encodeAt(b, k, level); err != nil {
			return err
		}
	}
	if paren {
		b.WriteByte(')')
	}
	return nil
}

func encodePredicate(b *strings.Builder, col, op string, v any) error {
	if col == "" {
		return fmt.Errorf("a filter names no column")
	}
	s, err := literal(v)
	if err != nil {
		return fmt.Errorf("column %q: %w", col, err)
	}
	b.WriteString(Escape(col) + op + s)
	return nil
}

// splittable finds the AnyOf that can be cut into chunks without changing
// what the filter selects: a conjunct at the top level (the whole filter or a
// member of a top-level And), the one with the most values. It returns the
// index of that conjunct (-1 when the filter is the AnyOf itself) and the
// AnyOf, or ok=false when there is none.
func splittable(f catalog.Filter) (idx int, list catalog.AnyOf, ok bool) {
	switch x := f.(type) {
	case catalog.AnyOf:
		return -1, x, true
	case catalog.And:
		best := -1
		for i, c := range x {
			if a, isAny := c.(catalog.AnyOf); isAny && (best < 0 || len(a.Values) > len(list.Values)) {
				best, list = i, a
			}
		}
		return best, list, best >= 0
	}
	return 0, catalog.AnyOf{}, false
}

// anyOf is col=any(vals), spelled col=v when there is a single value.
func anyOf(col string, vals []any) catalog.Filter {
	if len(vals) == 1 {
		return catalog.Eq{Column: col, Value: vals[0]}
	}
	return catalog.AnyOf{Column: col, Values: vals}
}

// withValues returns f with its splittable AnyOf (see splittable) holding vals.
func withValues(f catalog.Filter, idx int, col string, vals []any) catalog.Filter {
	part := anyOf(col, vals)
	if idx < 0 {
		return part
	}
	and := append(catalog.And(nil), f.(catalog.And)...)
	and[idx] = part
	return and
}

// dedupeValues drops repeated values (by their ERMrest spelling; RIDs by
// their normalized form, since RID= matches it) so chunks are disjoint.
func dedupeValues(col string, vals []any) []any {
	seen := make(map[string]bool, len(vals))
	out := vals[:0:0]
	for _, v := range vals {
		key, err := literalText(v)
		if err != nil {
			out = append(out, v) // reported when encoded
			continue
		}
		if col == catalog.ColRID {
			key, _ = catalog.NormalizeRID(key)
		}
		if !seen[key] {
			seen[key] = true
			out = append(out, v)
		}
	}
	return out
}

// chunkFilter splits f into filters whose URLs (as built by render) fit in
// max bytes and whose matches together are exactly f's, cutting the largest
// top-level any(...) list in halves as often as needed. A filter that fits
// comes back alone.
func chunkFilter(f catalog.Filter, max int, render func(catalog.Filter) (string, error)) ([]catalog.Filter, error) {
	u, err := render(f)
	if err != nil {
		return nil, err
	}
	if len(u) <= max {
		return []catalog.Filter{f}, nil
	}
	idx, list, ok := splittable(f)
	if !ok || len(list.Values) < 2 {
		return nil, fmt.Errorf("the request URL would be %d bytes, more than the %d a server accepts, "+
			"and its filter has no top-level any(...) list to split; narrow the filter", len(u), max)
	}
	half := len(list.Values) / 2
	var out []catalog.Filter
	for _, vals := range [][]any{list.Values[:half], list.Values[half:]} {
		parts, err := chunkFilter(withValues(f, idx, list.Column, vals), max, render)
		if err != nil {
			return nil, err
		}
		out = append(out, parts...)
	}
	return out, nil
}

// dedupeFilter returns f with the values of its splittable any(...) list
// deduplicated, so that chunks of it select disjoint rows.
func dedupeFilter(f catalog.Filter) catalog.Filter {
	idx, list, ok := splittable(f)
	if !ok {
		return f
	}
	vals := dedupeValues(list.Column, list.Values)
	if len(vals) == len(list.Values) {
		return f
	}
	return withValues(f, idx, list.Column, vals)
}
