package catalog

import (
	"fmt"
	"strings"
)

// CompareRows orders rows as ERMrest's @sort does: ascending puts NULLs
// last, descending first. Text compares by bytes, which can differ from a
// server's collation.
func CompareRows(a, b Row, keys []SortKey) int {
	for _, k := range keys {
		c := CompareValues(a[k.Column], b[k.Column])
		if k.Desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// CompareValues orders two normalized values (see Row) ascending: numbers
// numerically, false before true, anything else by its text; NULL after
// everything.
func CompareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	if fa, ok := Numeric(a); ok {
		if fb, ok := Numeric(b); ok {
			switch {
			case fa < fb:
				return -1
			case fa > fb:
				return 1
			}
			return 0
		}
	}
	if ba, ok := a.(bool); ok {
		if bb, ok := b.(bool); ok {
			switch {
			case ba == bb:
				return 0
			case !ba:
				return -1
			}
			return 1
		}
	}
	return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

// Numeric returns v as a float64 when it is one of the number types the
// backends return for int and float columns (int64, float64).
func Numeric(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}
