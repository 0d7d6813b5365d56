package memstore

import (
	"fmt"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// tri is SQL's three-valued logic: a comparison with NULL is neither true
// nor false, and NOT of it stays unknown (ERMrest's !Width=512 leaves out
// rows whose Width is NULL).
type tri int

const (
	no tri = iota
	yes
	null
)

func eval(t *catalog.Table, r catalog.Row, f catalog.Filter) (tri, error) {
	switch x := f.(type) {
	case nil:
		return yes, nil
	case catalog.And:
		res := yes
		for _, c := range x {
			v, err := eval(t, r, c)
			if err != nil || v == no {
				return no, err
			}
			if v == null {
				res = null
			}
		}
		return res, nil
	case catalog.Or:
		res := no
		for _, c := range x {
			v, err := eval(t, r, c)
			if err != nil || v == yes {
				return v, err
			}
			if v == null {
				res = null
			}
		}
		return res, nil
	case catalog.Not:
		v, err := eval(t, r, x.Filter)
		switch v {
		case yes:
			return no, err
		case no:
			return yes, err
		}
		return null, err
	case catalog.IsNull:
		if _, err := column(t, x.Column); err != nil {
			return no, err
		}
		if r[x.Column] == nil {
			return yes, nil
		}
		return no, nil
	case catalog.Eq:
		return compare(t, r, x.Column, x.Value, func(c int) bool { return c == 0 })
	case catalog.AnyOf:
		or := make(catalog.Or, len(x.Values))
		for i, v := range x.Values {
			or[i] = catalog.Eq{Column: x.Column, Value: v}
		}
		return eval(t, r, or)
	case catalog.Cmp:
		ops := map[catalog.CmpOp]func(int) bool{
			catalog.Lt: func(c int) bool { return c < 0 }, catalog.Leq: func(c int) bool { return c <= 0 },
			catalog.Gt: func(c int) bool { return c > 0 }, catalog.Geq: func(c int) bool { return c >= 0 },
		}
		op, ok := ops[x.Op]
		if !ok {
			return no, catalog.Errorf(catalog.ErrBadRequest, "", "", "unknown operator %q", x.Op)
		}
		return compare(t, r, x.Column, x.Value, op)
	case catalog.Regexp:
		col, err := column(t, x.Column)
		if err != nil {
			return no, err
		}
		re, err := compile(x.Pattern, x.IgnoreCase)
		if err != nil {
			return no, err
		}
		v := r[x.Column]
		if v == nil {
			return null, nil
		}
		if col.Type.IsArray {
			for _, e := range v.([]any) {
				if e != nil && re.MatchString(fmt.Sprint(e)) {
					return yes, nil
				}
			}
			return no, nil
		}
		if re.MatchString(fmt.Sprint(v)) {
			return yes, nil
		}
		return no, nil
	}
	return no, catalog.Errorf(catalog.ErrBadRequest, "", "", "unsupported filter %T", f)
}

func column(t *catalog.Table, name string) (*catalog.Column, error) {
	c := t.Column(name)
	if c == nil {
		return nil, catalog.Errorf(catalog.ErrConflict, "", "", "Requested column %s does not exist in table %s.", name, t.Name)
	}
	return c, nil
}

// compare applies ok to the ordering of the row's value against want, with
// want converted to the column's type. On an array column it asks whether
// any element satisfies it (= means "contains"). RID= also matches the
// normalized form of a canonical RID.
func compare(t *catalog.Table, r catalog.Row, name string, want any, ok func(int) bool) (tri, error) {
	col, err := column(t, name)
	if err != nil {
		return no, err
	}
	have := r[name]
	if have == nil || want == nil {
		return null, nil
	}
	typ := col.Type
	if typ.IsArray && typ.Base != nil {
		typ = *typ.Base
	}
	w, err := value(typ, want)
	if err != nil {
		return no, badValue(name, err)
	}
	if name == catalog.ColRID {
		if s, isStr := w.(string); isStr && ridEqual(have.(string), s) {
			w = have
		}
	}
	if col.Type.IsArray {
		for _, e := range have.([]any) {
			if e != nil && ok(compareValues(e, w)) {
				return yes, nil
			}
		}
		return no, nil
	}
	if ok(compareValues(have, w)) {
		return yes, nil
	}
	return no, nil
}

// compareRows orders rows as ERMrest's @sort does: ascending with NULLs
// last, descending with NULLs first.
func compareRows(a, b catalog.Row, keys []catalog.SortKey) int {
	for _, k := range keys {
		c := compareValues(a[k.Column], b[k.Column])
		if k.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// compareAfter compares a row with an @after key (values converted to the
// sort columns' types).
func compareAfter(t *catalog.Table, r catalog.Row, keys []catalog.SortKey, after []any) int {
	key := catalog.Row{}
	for i, k := range keys {
		v := after[i]
		if c := t.Column(k.Column); c != nil && v != nil {
			if nv, err := value(c.Type, v); err == nil {
				v = nv
			}
		}
		key[k.Column] = v
	}
	return compareRows(r, key, keys)
}

// compareValues orders normalized values, NULL after everything.
// Timestamps in ERMrest's UTC JSON form order correctly as text.
func compareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	fa, aNum := num(a)
	fb, bNum := num(b)
	if aNum && bNum {
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	}
	if ba, ok := a.(bool); ok {
		if bb, ok := b.(bool); ok && ba != bb {
			if ba {
				return 1
			}
			return -1
		}
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func num(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// value converts v to the stored form for type t: catalog.NormalizeValue,
// plus timestamps in ERMrest's canonical UTC form (as the server renders
// whatever offset it was given).
func value(t catalog.Type, v any) (any, error) {
	nv, err := catalog.NormalizeValue(t, v)
	if err != nil || nv == nil {
		return nv, err
	}
	if t.IsArray || (t.BaseName() != "timestamptz" && t.BaseName() != "timestamp") {
		return nv, nil
	}
	tm, err := catalog.ParseTimestamp(nv.(string))
	if err != nil {
		return nil, err
	}
	return catalog.FormatTimestamp(tm), nil
}
