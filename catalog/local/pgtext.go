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
	if k == kFloat4Text {
		return true
	}
	switch k {
	case kBool, kFloat, kTimestamptz, kJSON:
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
			return pgFloat(x, bits)
		case int64:
			return pgFloat(float64(x), bits)
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

// pgFloat spells a float8 (bits 64) or float4 (bits 32) as PostgreSQL 12+
// does: the shortest exact digits, in exponent form when the decimal
// exponent is below -4 or at least 15 (float4: 6), like printf's %g.
func pgFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return strconv.FormatFloat(f, 'f', -1, bits) // keeps "-0"
	}
	// The exponent of the shortest digits, not Log10's, which rounds up
	// near a power of ten (999999999999999.9 is not 1e15).
	e := strconv.FormatFloat(f, 'e', -1, bits)
	maxExp := 15
	if bits == 32 {
		maxExp = 6
	}
	if exp, err := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:]); err == nil && (exp < -4 || exp >= maxExp) {
		return e
	}
	return strconv.FormatFloat(f, 'f', -1, bits)
}
