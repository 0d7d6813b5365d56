package catalog

import (
	"crypto/md5"
	"encoding/base64"
	"slices"
	"strings"
	"unicode"
)

// maxIdentBytes is PostgreSQL's identifier limit, which ERMrest enforces.
const maxIdentBytes = 63

// MakeID builds an identifier exactly as deriva-py's make_id does: the parts
// joined with "_" when that fits 63 bytes; otherwise parts are shortened
// (longest first, to 15, 12 then 9 characters with a ".." marker) and a
// 5-character hash of the full name is appended, falling back to trimming
// the middle of the joined name. Equal inputs always give equal names, so a
// constraint name computed here matches the one DerivaML's Python creates.
func MakeID(parts ...string) string {
	naive := strings.Join(parts, "_")
	if len(naive) <= maxIdentBytes {
		return naive
	}
	sum := md5.Sum([]byte(naive))
	hash := base64.URLEncoding.EncodeToString(sum[:])[:5]

	type part struct {
		idx  int
		text string
	}
	ps := make([]part, len(parts))
	for i, p := range parts {
		ps[i] = part{i, p}
	}
	for _, maxlen := range []int{15, 12, 9} {
		// Longest (in bytes) first; among equals, the later part first.
		slices.SortFunc(ps, func(a, b part) int {
			if len(a.text) != len(b.text) {
				return len(b.text) - len(a.text)
			}
			return b.idx - a.idx
		})
		for i := range ps {
			if len(ps[i].text) > maxlen {
				ps[i].text = truncateID(ps[i].text, maxlen)
			}
			ordered := slices.Clone(ps)
			slices.SortFunc(ordered, func(a, b part) int { return a.idx - b.idx })
			texts := make([]string, 0, len(ordered)+1)
			for _, p := range ordered {
				texts = append(texts, p.text)
			}
			if candidate := strings.Join(append(texts, hash), "_"); len(candidate) < maxIdentBytes {
				return candidate
			}
		}
	}

	// Keep the start and the end of the naive name, trim the middle.
	runes := []rune(naive)
	third := len(runes) / 3
	tail := string(runes[len(runes)-(len(runes)+2)/3:])
	if result := truncateID(naive, third) + tail + "_" + hash; len(result) <= maxIdentBytes {
		return result
	}
	return truncateID(naive, 55) + hash
}

// truncateID shortens s (counting characters, measuring bytes) to fit
// maxlen bytes including a trailing "..", trimming trailing spaces as
// deriva-py's helper does; s is returned unchanged when no cut fits.
func truncateID(s string, maxlen int) string {
	runes := []rune(s)
	n := len(runes)
	for i := max(1, n-maxlen); i < n-1; i++ {
		result := strings.TrimRightFunc(string(runes[:n-i]), unicode.IsSpace)
		if len(result) <= maxlen-2 {
			return result + ".."
		}
	}
	return s
}
