package catalog

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Normalize converts a row's values to the forms documented on Row, using the
// table's column types. Columns the table does not have are kept as they are
// (projections may rename). It returns a new row.
func Normalize(t *Table, row Row) (Row, error) {
	out := make(Row, len(row))
	for k, v := range row {
		c := t.Column(k)
		if c == nil {
			out[k] = v
			continue
		}
		nv, err := NormalizeValue(c.Type, v)
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", k, err)
		}
		out[k] = nv
	}
	return out, nil
}

// NormalizeValue converts one value to the form documented on Row for type t.
// It accepts what encoding/json, database/sql and Go callers produce.
func NormalizeValue(t Type, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if t.IsArray {
		if s, ok := v.(string); ok { // stored as JSON text
			var arr []any
			if err := json.Unmarshal([]byte(s), &arr); err != nil {
				return nil, fmt.Errorf("array value %q: %w", s, err)
			}
			v = arr
		}
		arr, ok := toSlice(v)
		if !ok {
			return nil, fmt.Errorf("want an array for %s, got %T", t.Name, v)
		}
		elem := TypeText
		if t.Base != nil {
			elem = *t.Base
		}
		out := make([]any, len(arr))
		for i, e := range arr {
			ne, err := NormalizeValue(elem, e)
			if err != nil {
				return nil, err
			}
			out[i] = ne
		}
		return out, nil
	}
	switch t.BaseName() {
	case "boolean":
		switch b := v.(type) {
		case bool:
			return b, nil
		case int64:
			return b != 0, nil
		case string:
			return strconv.ParseBool(b)
		}
	case "int2", "int4", "int8", "serial2", "serial4", "serial8":
		return toInt(v)
	case "float4", "float8", "numeric":
		return toFloat(v)
	case "json", "jsonb":
		switch j := v.(type) {
		case json.RawMessage:
			return decodeJSON(j)
		case []byte:
			return decodeJSON(j)
		}
		return v, nil
	case "timestamptz", "timestamp":
		if tm, ok := v.(time.Time); ok {
			if err := CheckTimestamp(tm); err != nil {
				return nil, err
			}
			return FormatTimestamp(tm), nil
		}
		return toText(v)
	default:
		return toText(v)
	}
	return nil, fmt.Errorf("want %s, got %T", t.Name, v)
}

// FormatTimestamp renders a time as ERMrest's JSON output does:
// "2026-11-25T16:48:34.01631+00:00" (fractional digits trimmed).
func FormatTimestamp(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.999999-07:00")
}

// ParseTimestamp reads the timestamp forms ERMrest emits: JSON
// ("2026-11-25T16:48:34.01631+00:00"), GET CSV ("2026-11-25 16:48:34.01631+00")
// and POST-response CSV ("2026-11-25 16:48:34.170470+00:00"). Errors are
// *Error of kind ErrInvalidInput.
func ParseTimestamp(s string) (time.Time, error) {
	for _, layout := range []string{
		"2006-01-02T15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02T15:04:05.999999999Z07",
		"2006-01-02 15:04:05.999999999Z07",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			if err := CheckTimestamp(t); err != nil {
				return time.Time{}, err
			}
			return t, nil
		}
	}
	return time.Time{}, &Error{Kind: ErrInvalidInput, Detail: fmt.Sprintf("%q is not an ERMrest timestamptz", s),
		Fix: "write it as ERMrest does, like 2026-11-25T16:48:34.01631+00:00"}
}

// CheckTimestamp accepts a time whose year is 1 to 9999 both as written and
// in UTC. PostgreSQL (and so ERMrest) has no year 0 (it rejects
// "0000-01-01") and writes years before 1 with a " BC" suffix and years
// after 9999 with five digits; FormatTimestamp's four-digit UTC form can
// hold neither, so such a time ("0001-01-01 00:00:00+01" is 1 BC in UTC)
// would be stored in a form ParseTimestamp cannot read back.
func CheckTimestamp(t time.Time) error {
	if y, u := t.Year(), t.UTC().Year(); y < 1 || y > 9999 || u < 1 || u > 9999 {
		return &Error{Kind: ErrInvalidInput,
			Detail: fmt.Sprintf("timestamp %s is outside years 1 to 9999 (UTC)", t.Format("2006-01-02T15:04:05.999999999Z07:00")),
			Fix:    "give a time between 0001-01-01T00:00:00+00:00 and 9999-12-31T23:59:59.999999+00:00"}
	}
	return nil
}

func decodeJSON(b []byte) (any, error) {
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("json value: %w", err)
	}
	return out, nil
}

func toSlice(v any) ([]any, bool) {
	switch a := v.(type) {
	case []any:
		return a, true
	case []string:
		out := make([]any, len(a))
		for i, s := range a {
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

func toInt(v any) (any, error) {
	switch n := v.(type) {
	case int64:
		return n, nil
	case int:
		return int64(n), nil
	case int32:
		return int64(n), nil
	case float64:
		if n != math.Trunc(n) {
			return nil, fmt.Errorf("want an integer, got %v", n)
		}
		return int64(n), nil
	case json.Number:
		return n.Int64()
	case string:
		return strconv.ParseInt(n, 10, 64)
	}
	return nil, fmt.Errorf("want an integer, got %T", v)
}

func toFloat(v any) (any, error) {
	switch n := v.(type) {
	case float64:
		return n, nil
	case float32:
		return float64(n), nil
	case int64:
		return float64(n), nil
	case int:
		return float64(n), nil
	case json.Number:
		return n.Float64()
	case string:
		return strconv.ParseFloat(n, 64)
	}
	return nil, fmt.Errorf("want a number, got %T", v)
}

func toText(v any) (any, error) {
	switch s := v.(type) {
	case string:
		return s, nil
	case []byte:
		return string(s), nil
	case json.Number:
		return s.String(), nil
	case int64, int, float64, bool:
		return fmt.Sprint(s), nil
	}
	return nil, fmt.Errorf("want text, got %T", v)
}
