package local

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// intRanges are the bounds of PostgreSQL's narrow integer types, with the
// type name its "out of range" message uses.
var intRanges = map[string]struct {
	lo, hi int64
	pgName string
}{
	"int2":    {-1 << 15, 1<<15 - 1, "smallint"},
	"serial2": {-1 << 15, 1<<15 - 1, "smallint"},
	"int4":    {-1 << 31, 1<<31 - 1, "integer"},
	"serial4": {-1 << 31, 1<<31 - 1, "integer"},
}

// checkIntRange rejects an integer that does not fit the column's type, as
// PostgreSQL does ("value "…" is out of range for type integer").
func checkIntRange(base string, v any) error {
	r, ok := intRanges[base]
	if !ok {
		return nil
	}
	if n, ok := v.(int64); ok && (n < r.lo || n > r.hi) {
		return fmt.Errorf("value \"%d\" is out of range for type %s", n, r.pgName)
	}
	return nil
}

// isoDate is PostgreSQL's ISO date input: year-month-day with one- or
// two-digit month and day, optionally followed by a time it ignores.
var isoDate = regexp.MustCompile(`^(\d{4,5})-(\d{1,2})-(\d{1,2})([T ].*)?$`)

// compactDate is the ISO basic form YYYYMMDD, which PostgreSQL also reads.
var compactDate = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)

// parseDate reads a date as PostgreSQL's date input does for the ISO forms
// and returns its canonical text YYYY-MM-DD; other spellings, impossible
// days and a malformed time part are errors worded as PostgreSQL's.
func parseDate(s string) (string, error) {
	trimmed := strings.TrimSpace(s)
	m := isoDate.FindStringSubmatch(trimmed)
	if m == nil {
		m = compactDate.FindStringSubmatch(trimmed)
	}
	if m == nil {
		return "", fmt.Errorf("invalid input syntax for type date: %q", s)
	}
	y, _ := strconv.Atoi(m[1])
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[3])
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if y < 1 || t.Year() != y || t.Month() != time.Month(mo) || t.Day() != d {
		return "", fmt.Errorf("date/time field value out of range: %q", s)
	}
	day := fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
	if len(m) > 4 && m[4] != "" { // a time part must itself be valid
		if _, err := parseTimestamp(day + "T" + m[4][1:]); err != nil {
			return "", fmt.Errorf("invalid input syntax for type date: %q", s)
		}
	}
	return day, nil
}
