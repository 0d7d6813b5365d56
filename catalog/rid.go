package catalog

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// crockford is the base32 alphabet of ERMrest RIDs and snaptimes.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// EncodeRID encodes v as ERMrest's urlb32 does (reference ermrest.md §5.2):
// the 64-bit two's-complement value with one padding 0 bit appended (65 bits),
// written as 13 Crockford symbols, a dash every 4 symbols from the right, and
// leading zeros and dashes stripped. Canonical encodings end in an even symbol.
func EncodeRID(v int64) string {
	hi := uint64(v) >> 63 // bit 64 of the 65-bit value
	lo := uint64(v) << 1
	var syms [13]byte
	for i := 12; i >= 0; i-- {
		syms[i] = crockford[lo&31]
		lo = lo>>5 | hi<<59
		hi = 0
	}
	var b strings.Builder
	for i, s := range syms {
		if i > 0 && (13-i)%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(s)
	}
	out := strings.TrimLeft(b.String(), "0-")
	if out == "" {
		return "0"
	}
	return out
}

// DecodeRID decodes a RID or snaptime: case-insensitive, dashes optional,
// O read as 0 and I/L as 1, at most 13 symbols.
func DecodeRID(s string) (int64, error) {
	var hi, lo uint64
	n := 0
	for _, r := range strings.ToUpper(s) {
		switch r {
		case '-':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		i := strings.IndexRune(crockford, r)
		if i < 0 {
			return 0, fmt.Errorf("decode RID %q: %q is not a base32 symbol", s, r)
		}
		n++
		if n > 13 {
			return 0, fmt.Errorf("decode RID %q: more than 13 symbols", s)
		}
		hi = hi<<5 | lo>>59
		lo = lo<<5 | uint64(i)
	}
	if n == 0 {
		return 0, fmt.Errorf("decode RID %q: empty", s)
	}
	return int64(lo>>1 | hi<<63), nil
}

// NormalizeRID returns the canonical spelling of a RID (upper case, dashes
// where ERMrest puts them) and true, or s unchanged and false when s does not
// decode or is not canonical (its last symbol is odd). ERMrest resolves a
// non-canonical RID only when it is spelled exactly as stored.
func NormalizeRID(s string) (string, bool) {
	v, err := DecodeRID(s)
	if err != nil {
		return s, false
	}
	enc := EncodeRID(v)
	back, _ := DecodeRID(enc)
	if back != v || !canonicalTail(s) {
		return s, false
	}
	return enc, true
}

func canonicalTail(s string) bool {
	s = strings.TrimRight(s, "-")
	if s == "" {
		return false
	}
	last := strings.ToUpper(s[len(s)-1:])
	switch last {
	case "O":
		last = "0"
	case "I", "L":
		last = "1"
	}
	return strings.Index(crockford, last)%2 == 0
}

// RIDSpellings returns the spellings ERMrest's RID= and entity_rid match
// for s: s as given, then its re-encoding when that differs (upper case,
// dashes placed, O/I/L read as digits). Exact spelling comes first.
func RIDSpellings(s string) []string {
	if v, err := DecodeRID(s); err == nil {
		if enc := EncodeRID(v); enc != s {
			return []string{s, enc}
		}
	}
	return []string{s}
}

// Snaptime encodes a time as an ERMrest snapshot id (microseconds since the epoch).
func Snaptime(t time.Time) string { return EncodeRID(t.UnixMicro()) }

// SnaptimeTime decodes a snapshot id to the time it names.
func SnaptimeTime(snap string) (time.Time, error) {
	us, err := DecodeRID(snap)
	if err != nil {
		return time.Time{}, fmt.Errorf("snaptime: %w", err)
	}
	return time.UnixMicro(us).UTC(), nil
}

// ridPattern is DerivaML's RID regex (core/constants.py), with an optional
// @snapshot suffix.
var ridPattern = regexp.MustCompile(`^[A-Z\d]{1,4}(-[A-Z\d]{4})*(@[A-Z\d]{1,4}(-[A-Z\d]{4})*)?$`)

// LooksLikeRID reports whether s has DerivaML's RID shape (e.g. "1-ABC4",
// "28CT", "2-B4C8@2PX-WS30-E58W"). It does not say the RID exists.
func LooksLikeRID(s string) bool { return ridPattern.MatchString(s) }
