package derivaml

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseVersionCanonicalForms(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"0.4.0":            "0.4.0",
		"0.4":              "0.4.0",
		"v1.2.3":           "1.2.3",
		"0.4.0.post1.dev3": "0.4.0.post1.dev3",
		"0.4.0-post1-dev3": "0.4.0.post1.dev3",
		"1.0.0rc1":         "1.0.0rc1",
		"1.0.0-beta.2":     "1.0.0b2",
		"1!2.0.0":          "1!2.0.0",
		"1.2.3+local.7":    "1.2.3+local.7",
	}
	for in, want := range cases {
		v, err := ParseVersion(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, v.String(), in)
	}
	for _, bad := range []string{"", "latest", "1.x", "0.4.0.post1.dev3.extra"} {
		_, err := ParseVersion(bad)
		assert.Error(t, err, bad)
	}
}

func TestVersionOrderingFollowsPEP440(t *testing.T) {
	t.Parallel()
	ordered := []string{"0.1.0.dev1", "0.1.0a1", "0.1.0rc1", "0.1.0", "0.1.0.post1.dev1", "0.1.0.post1.dev2",
		"0.1.0.post1", "0.2.0", "1.0.0", "1!0.1.0"}
	for i := 1; i < len(ordered); i++ {
		a, b := MustParseVersion(ordered[i-1]), MustParseVersion(ordered[i])
		assert.Equal(t, -1, a.Compare(b), "%s < %s", a, b)
		assert.Equal(t, 1, b.Compare(a), "%s > %s", b, a)
	}
	assert.Equal(t, 0, MustParseVersion("1.0").Compare(MustParseVersion("1.0.0")))
}

func TestVersionBumps(t *testing.T) {
	t.Parallel()
	v := MustParseVersion("0.4.2")
	for part, want := range map[VersionPart]string{Major: "1.0.0", Minor: "0.5.0", Patch: "0.4.3"} {
		n, err := v.NextRelease(part)
		require.NoError(t, err)
		assert.Equal(t, want, n.String())
	}
	_, err := v.NextRelease("micro")
	assert.Error(t, err)

	dev := v.FirstDev()
	assert.Equal(t, "0.4.2.post1.dev1", dev.String())
	assert.True(t, dev.IsDevRelease())
	assert.False(t, v.IsDevRelease())
	assert.Equal(t, "0.4.2.post1.dev2", dev.NextDev().String())
	n, err := MustParseVersion("0.4.2.post1.dev7").NextRelease(Minor)
	require.NoError(t, err)
	assert.Equal(t, "0.5.0", n.String(), "a release from a dev label drops the dev segments")
}

func TestSortVersionsNewestFirst(t *testing.T) {
	t.Parallel()
	// DerivaML's _semver_key: integer tuples, newest first; a label with a
	// non-integer part (dev labels, junk) keys as (0,), after every
	// release, in its original order; a shorter tuple sorts below a longer
	// one it prefixes.
	got := sortVersionsNewestFirst([]string{"0.1.0", "junk", "0.10.0", "0.2.0.post1.dev1", "0.2.0", "1.0", "1.0.0"})
	assert.Equal(t, []string{"1.0.0", "1.0", "0.10.0", "0.2.0", "0.1.0", "junk", "0.2.0.post1.dev1"}, got)
}

func TestSortVersionsPEP440(t *testing.T) {
	t.Parallel()
	got := sortVersionsPEP440([]string{"0.2.0", "junk", "0.2.0.post1.dev1", "0.10.0", "0.1.0"})
	assert.Equal(t, []string{"0.1.0", "0.2.0", "0.2.0.post1.dev1", "0.10.0", "junk"}, got)
}

func TestParseVersionRefusesNumbersTooLarge(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"1.0.99999999999999999999", "99999999999999999999.0.0", "0.1.0.post1.dev99999999999999999999"} {
		_, err := ParseVersion(in)
		require.Error(t, err, in)
		assert.Contains(t, err.Error(), "too large", in)
	}
}
