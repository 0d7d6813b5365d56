package ermrest

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
)

// Escape percent-encodes s for use inside an ERMrest URL, as deriva-py's
// urlquote(s, safe=”) does: only [A-Za-z0-9-_.~] stay as they are, every
// other UTF-8 byte becomes %XX.
//
// url.PathEscape is wrong here: it leaves ": @ & = + $ ," unescaped, and the
// ERMrest lexer treats those as syntax (an unescaped '+' is even a 400,
// reference ermrest.md §0.5). Every name and literal goes through Escape,
// including those in @sort(), @after(), ?defaults= and annotation keys.
func Escape(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return string(b)
}

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// tablePath renders a table reference as "S:T" with both names escaped.
func tablePath(t catalog.TableRef) string {
	return Escape(t.Schema) + ":" + Escape(t.Table)
}

// joinEscaped escapes each name and joins them with commas.
func joinEscaped(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = Escape(n)
	}
	return strings.Join(parts, ",")
}

// literal renders a filter or paging value as ERMrest text, escaped. nil is
// not a literal: callers turn it into ::null:: where ERMrest allows that.
func literal(v any) (string, error) {
	s, err := literalText(v)
	if err != nil {
		return "", err
	}
	return Escape(s), nil
}

func literalText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x), nil
	case float32:
		return floatText(float64(x)), nil
	case float64:
		return floatText(x), nil
	case json.Number:
		return x.String(), nil
	case time.Time:
		return catalog.FormatTimestamp(x), nil
	case fmt.Stringer:
		return x.String(), nil
	}
	return "", fmt.Errorf("a %T cannot be written as an ERMrest literal", v)
}

// floatText spells floats as PostgreSQL reads them (Infinity, not +Inf).
func floatText(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case math.IsNaN(f):
		return "NaN"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// pageValues renders @after/@before values: ::null:: for nil, escaped text
// otherwise (an empty value is the empty string).
func pageValues(vals []any) (string, error) {
	parts := make([]string, len(vals))
	for i, v := range vals {
		if v == nil {
			parts[i] = "::null::"
			continue
		}
		s, err := literal(v)
		if err != nil {
			return "", err
		}
		parts[i] = s
	}
	return strings.Join(parts, ","), nil
}

// sortSpec renders "@sort(c1,c2::desc::)".
func sortSpec(keys []catalog.SortKey) string {
	if len(keys) == 0 {
		return ""
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = Escape(k.Column)
		if k.Desc {
			parts[i] += "::desc::"
		}
	}
	return "@sort(" + strings.Join(parts, ",") + ")"
}
