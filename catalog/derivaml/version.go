package derivaml

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Version is a PEP 440 version label, as DerivaML's DatasetVersion holds
// it: released "MAJOR.MINOR.PATCH" or dev "<release>.post1.devN".
type Version struct {
	Epoch   int
	Release []int
	PreKind string // "a", "b" or "rc"; "" for none
	Pre     int
	Post    int // -1 for none
	Dev     int // -1 for none
	Local   string
}

// VersionPart names the release segment a bump advances.
type VersionPart string

// Release segments (DerivaML's VersionPart).
const (
	Major VersionPart = "major"
	Minor VersionPart = "minor"
	Patch VersionPart = "patch"
)

// pep440 is the lenient version syntax of PEP 440's appendix.
var pep440 = regexp.MustCompile(`^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)` +
	`(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?` +
	`(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?` +
	`(?:[-_.]?(dev)[-_.]?(\d+)?)?` +
	`(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$`)

// ParseVersion reads a PEP 440 version. A release with fewer than three
// parts is padded ("0.4" reads as 0.4.0), as DatasetVersion does.
func ParseVersion(s string) (Version, error) {
	m := pep440.FindStringSubmatch(strings.ToLower(s))
	if m == nil {
		return Version{}, fmt.Errorf("%q is not a PEP 440 version (expected e.g. 0.4.0 or 0.4.0.post1.dev2)", s)
	}
	var tooBig string
	// num reads a numeral the pattern matched (or ""); only overflow fails,
	// and it must not turn "1.0.99999999999999999999" into 1.0.0.
	num := func(text string) int {
		if text == "" {
			return 0
		}
		n, err := strconv.Atoi(text)
		if err != nil && tooBig == "" {
			tooBig = text
		}
		return n
	}
	v := Version{Post: -1, Dev: -1, Local: m[10]}
	v.Epoch = num(m[1])
	for _, p := range strings.Split(m[2], ".") {
		v.Release = append(v.Release, num(p))
	}
	for len(v.Release) < 3 {
		v.Release = append(v.Release, 0)
	}
	if m[3] != "" {
		v.PreKind = map[string]string{"a": "a", "alpha": "a", "b": "b", "beta": "b",
			"c": "rc", "rc": "rc", "pre": "rc", "preview": "rc"}[m[3]]
		v.Pre = num(m[4])
	}
	switch {
	case m[5] != "":
		v.Post = num(m[5])
	case m[6] != "":
		v.Post = num(m[7])
	}
	if m[8] != "" {
		v.Dev = num(m[9])
	}
	if tooBig != "" {
		return Version{}, fmt.Errorf("%q is not a usable version: %s is too large a number", s, tooBig)
	}
	return v, nil
}

// MustParseVersion parses a version known to be valid.
func MustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// String renders the canonical PEP 440 form, e.g. "0.4.0.post1.dev3".
func (v Version) String() string {
	var b strings.Builder
	if v.Epoch != 0 {
		fmt.Fprintf(&b, "%d!", v.Epoch)
	}
	for i, r := range v.Release {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(r))
	}
	if v.PreKind != "" {
		fmt.Fprintf(&b, "%s%d", v.PreKind, v.Pre)
	}
	if v.Post >= 0 {
		fmt.Fprintf(&b, ".post%d", v.Post)
	}
	if v.Dev >= 0 {
		fmt.Fprintf(&b, ".dev%d", v.Dev)
	}
	if v.Local != "" {
		b.WriteString("+" + v.Local)
	}
	return b.String()
}

// IsDevRelease reports whether v is a dev label (a mutable, uncitable
// dataset state).
func (v Version) IsDevRelease() bool { return v.Dev >= 0 }

func (v Version) part(i int) int {
	if i < len(v.Release) {
		return v.Release[i]
	}
	return 0
}

// Major returns the first release part.
func (v Version) Major() int { return v.part(0) }

// Minor returns the second release part.
func (v Version) Minor() int { return v.part(1) }

// Micro returns the third release part.
func (v Version) Micro() int { return v.part(2) }

// NextRelease returns the release after v's release segment with part
// bumped and the lower parts zeroed (DatasetVersion.next_release).
func (v Version) NextRelease(part VersionPart) (Version, error) {
	mj, mn, mc := v.Major(), v.Minor(), v.Micro()
	switch part {
	case Major:
		mj, mn, mc = mj+1, 0, 0
	case Minor:
		mn, mc = mn+1, 0
	case Patch:
		mc++
	default:
		return Version{}, fmt.Errorf("unknown version part %q (want major, minor or patch)", part)
	}
	return Version{Epoch: v.Epoch, Release: []int{mj, mn, mc}, Post: -1, Dev: -1}, nil
}

// FirstDev is the first dev label after a release: "<release>.post1.dev1".
func (v Version) FirstDev() Version {
	return Version{Epoch: v.Epoch, Release: slices.Clone(v.Release), Post: 1, Dev: 1}
}

// NextDev advances a dev label's .devN by one.
func (v Version) NextDev() Version {
	n := v
	n.Release = slices.Clone(v.Release)
	n.Post = max(v.Post, 1)
	n.Dev = v.Dev + 1
	return n
}

// Compare orders versions as PEP 440 (packaging) does: -1, 0 or +1.
func (v Version) Compare(o Version) int {
	if c := cmp.Compare(v.Epoch, o.Epoch); c != 0 {
		return c
	}
	if c := slices.Compare(trimZeros(v.Release), trimZeros(o.Release)); c != 0 {
		return c
	}
	if c := cmp.Compare(v.preKey(), o.preKey()); c != 0 {
		return c
	}
	if c := cmp.Compare(v.Post, o.Post); c != 0 { // -1 (none) sorts first
		return c
	}
	return cmp.Compare(devKey(v.Dev), devKey(o.Dev))
}

// preKey ranks the pre-release segment: a dev-only release sorts before any
// pre-release, no pre-release after every one.
func (v Version) preKey() int {
	switch {
	case v.PreKind == "" && v.Post < 0 && v.Dev >= 0:
		return -1 << 40
	case v.PreKind == "":
		return 1 << 40
	}
	rank := map[string]int{"a": 0, "b": 1, "rc": 2}[v.PreKind]
	return rank<<32 + v.Pre
}

func devKey(d int) int {
	if d < 0 {
		return 1 << 40 // no dev segment sorts after any dev
	}
	return d
}

func trimZeros(r []int) []int {
	n := len(r)
	for n > 0 && r[n-1] == 0 {
		n--
	}
	return r[:n]
}

// sortVersionsNewestFirst orders version labels as DerivaML's
// validate_dataset_specs orders available_versions (_semver_key, reversed):
// by the tuple of the label's dot-separated integers, newest first, where a
// label with any part that is not an integer — a dev label such as
// 0.4.0.post1.dev2, or junk — counts as (0,) and so sorts after every
// release; equal keys keep their given order (Python's sort is stable).
func sortVersionsNewestFirst(vs []string) []string {
	out := slices.Clone(vs)
	slices.SortStableFunc(out, func(a, b string) int { return slices.Compare(semverKey(b), semverKey(a)) })
	return out
}

// semverKey is DerivaML's _semver_key: the label's parts as integers, or
// (0,) when one does not parse.
func semverKey(v string) []int {
	parts := strings.Split(v, ".")
	key := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil {
			return []int{0}
		}
		key[i] = n
	}
	return key
}

// sortVersionsPEP440 orders version labels oldest first under PEP 440, as
// dataset_history does; labels that do not parse go last in given order.
func sortVersionsPEP440(vs []string) []string {
	out := slices.Clone(vs)
	slices.SortStableFunc(out, func(a, b string) int {
		va, ea := ParseVersion(a)
		vb, eb := ParseVersion(b)
		switch {
		case ea != nil && eb != nil:
			return 0
		case ea != nil:
			return 1
		case eb != nil:
			return -1
		}
		return va.Compare(vb)
	})
	return out
}
