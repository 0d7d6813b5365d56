package local

import (
	"bytes"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"modernc.org/sqlite"

	"github.com/cyclezero/cyclezero/catalog"
)

// pgTextFunc is the SQL function a Regexp filter reads a non-text column
// through: cz_pgtext(kind, stored) is the value as PostgreSQL's text output
// spells it, which is what ~ matches on the server (true/false, not 1/0;
// "2024-01-01 06:00:00+00", not "2024-01-01T06:00:00+00:00"; jsonb's
// spaced form).
const pgTextFunc = "cz_pgtext"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(pgTextFunc, 2, pgTextSQL)
}

// needsPGText reports whether a kind's stored form differs from
// PostgreSQL's text form (text, dates and integers already agree).
func needsPGText(k kind) bool {
	switch k {
	case kBool, kFloat, kFloat4Text, kTimestamptz, kJSON:
		return true
	}
	return false
}

func pgTextSQL(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	k, ok := args[0].(int64)
	if !ok {
		return nil, fmt.Errorf("%s: kind must be an integer", pgTextFunc)
	}
	if args[1] == nil {
		return nil, nil
	}
	return pgText(kind(k), args[1]), nil
}

// kFloat4Text is the kind cz_pgtext is passed for a float4 column: stored
// as a float (REAL) like float8, but printed with float4's shortest digits
// and exponent threshold.
const kFloat4Text kind = math.MaxUint8

// pgText renders one stored scalar of kind k as PostgreSQL prints it.
func pgText(k kind, v any) string {
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	switch k {
	case kBool:
		switch x := v.(type) {
		case int64:
			return strconv.FormatBool(x != 0)
		case float64:
			return strconv.FormatBool(x != 0)
		}
	case kFloat, kFloat4Text:
		bits := 64
		if k == kFloat4Text {
			bits = 32
		}
		switch x := v.(type) {
		case float64:
			return catalog.PGFloatText(x, bits)
		case int64:
			return catalog.PGFloatText(float64(x), bits)
		}
	case kTimestamptz:
		if s, ok := v.(string); ok {
			// Stored as FormatTimestamp's UTC form, "…T06:00:00.5+00:00".
			s = strings.Replace(s, "T", " ", 1)
			return strings.TrimSuffix(s, ":00")
		}
	case kJSON:
		if s, ok := v.(string); ok {
			dec := json.NewDecoder(strings.NewReader(s))
			dec.UseNumber()
			var x any
			if dec.Decode(&x) == nil {
				var buf bytes.Buffer
				catalog.AppendJSONBText(&buf, x)
				return buf.String()
			}
			return s
		}
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}
