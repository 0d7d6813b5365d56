package catalog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// AppendJSONBText writes a JSON value as PostgreSQL's jsonb output prints
// it, the text ERMrest's CSV answers carry and a regexp filter matches:
// ", " and ": " separators, object keys shorter-first then bytewise, and
// strings with only quotes, backslashes and control characters escaped
// (no \u003c for '<'). Numbers are written as given (a json.Number as
// its text); anything else is JSON-encoded.
func AppendJSONBText(buf *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		buf.WriteString("null")
	case bool:
		buf.WriteString(strconv.FormatBool(x))
	case int64:
		buf.WriteString(strconv.FormatInt(x, 10))
	case float64:
		buf.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
	case json.Number:
		buf.WriteString(x.String())
	case string:
		appendJSONBString(buf, x)
	case []any:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteString(", ")
			}
			AppendJSONBText(buf, e)
		}
		buf.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(x))
		for key := range x {
			keys = append(keys, key)
		}
		sort.Slice(keys, func(i, j int) bool {
			if len(keys[i]) != len(keys[j]) {
				return len(keys[i]) < len(keys[j])
			}
			return keys[i] < keys[j]
		})
		buf.WriteByte('{')
		for i, key := range keys {
			if i > 0 {
				buf.WriteString(", ")
			}
			appendJSONBString(buf, key)
			buf.WriteString(": ")
			AppendJSONBText(buf, x[key])
		}
		buf.WriteByte('}')
	default:
		b, err := json.Marshal(x)
		if err != nil {
			b = []byte("null")
		}
		buf.Write(b)
	}
}

// appendJSONBString quotes s as jsonb output does.
func appendJSONBString(buf *bytes.Buffer, s string) {
	buf.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			buf.WriteString(`\"`)
		case '\\':
			buf.WriteString(`\\`)
		case '\b':
			buf.WriteString(`\b`)
		case '\f':
			buf.WriteString(`\f`)
		case '\n':
			buf.WriteString(`\n`)
		case '\r':
			buf.WriteString(`\r`)
		case '\t':
			buf.WriteString(`\t`)
		default:
			if r < 0x20 {
				fmt.Fprintf(buf, `\u%04x`, r)
				continue
			}
			buf.WriteRune(r)
		}
	}
	buf.WriteByte('"')
}

// PGFloatText spells a float8 (bits 64) or float4 (bits 32) as PostgreSQL
// 12+ prints it: the shortest exact digits, in exponent form when the decimal
// exponent is below -4 or at least 15 (float4: 6), like printf's %g.
func PGFloatText(f float64, bits int) string {
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
