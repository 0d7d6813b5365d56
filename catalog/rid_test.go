package catalog

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The vectors of reference ermrest.md §5.2, checked against a real server.
func TestRIDCodecVectors(t *testing.T) {
	t.Parallel()
	us, err := DecodeRID("2PX-WS30-E58W")
	require.NoError(t, err)
	assert.Equal(t, int64(1529365427096206), us)
	assert.Equal(t, "2PX-WS30-E58W", EncodeRID(1529365427096206))

	tm, err := SnaptimeTime("2PX-WS30-E58W")
	require.NoError(t, err)
	assert.Equal(t, "2018-06-18T23:43:47.096206Z", tm.Format(time.RFC3339Nano))
	assert.Equal(t, "2PX-WS30-E58W", Snaptime(tm))

	tm, err = SnaptimeTime("2PV-1QEH-93Z6")
	require.NoError(t, err)
	assert.Equal(t, "2018-05-31T21:12:58.638323Z", tm.Format(time.RFC3339Nano))

	assert.Equal(t, "2", EncodeRID(1))
	assert.Equal(t, "2-0000", EncodeRID(1048576))
	assert.Equal(t, "0", EncodeRID(0))

	v, err := DecodeRID("1-ABC2")
	require.NoError(t, err)
	assert.Equal(t, int64(693953), v)
	assert.Equal(t, "1-ABC2", EncodeRID(693953))
}

func TestEncodeRIDEndsInEvenSymbol(t *testing.T) {
	t.Parallel()
	for _, v := range []int64{1, 2, 31, 32, 693953, 1048576, 1529365427096206, 1<<62 - 1, -1} {
		enc := EncodeRID(v)
		last := enc[len(enc)-1]
		idx := -1
		for i := 0; i < len(crockford); i++ {
			if crockford[i] == last {
				idx = i
			}
		}
		assert.Equal(t, 0, idx%2, "odd last symbol of EncodeRID %v %v", v, enc)
	}
}

func TestDecodeRIDSynonymsAndErrors(t *testing.T) {
	t.Parallel()
	a, err := DecodeRID("1-abc2")
	require.NoError(t, err)
	b, err := DecodeRID("1ABC2")
	require.NoError(t, err)
	assert.Equal(t, a, b)

	o, err := DecodeRID("O")
	require.NoError(t, err)
	assert.Equal(t, int64(0), o)
	i, err := DecodeRID("I2")
	require.NoError(t, err)
	l, err := DecodeRID("L2")
	require.NoError(t, err)
	one, err := DecodeRID("12")
	require.NoError(t, err)
	assert.Equal(t, one, i)
	assert.Equal(t, one, l)

	for _, bad := range []string{"", "-", "not a rid", "1U", "ZZZZ-ZZZZ-ZZZZ-ZZ", "1#2"} {
		_, err := DecodeRID(bad)
		if err == nil {
			t.Errorf("DecodeRID(%q) gave no error", bad)
		}
	}
	// Thirteen symbols is the maximum and round-trips the full 64-bit range.
	v, err := DecodeRID(EncodeRID(-1))
	require.NoError(t, err)
	assert.Equal(t, int64(-1), v)
}

func TestNormalizeRID(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"1za": "1ZA", "1-ZA": "1ZA", "1ZA": "1ZA", "1-abc2": "1-ABC2", "1abc2": "1-ABC2", "2-0000": "2-0000", "20000": "2-0000"} {
		got, ok := NormalizeRID(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	// A non-canonical RID (odd last symbol) resolves only when spelled exactly,
	// so it is left alone; garbage too.
	for _, in := range []string{"ABCD", "abcd", "1ZB", "not a rid", ""} {
		got, ok := NormalizeRID(in)
		assert.False(t, ok, in)
		assert.Equal(t, in, got)
	}
}

func TestLooksLikeRID(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"1-ABC4", "28CT", "2-B4C8@2PX-WS30-E58W", "2"} {
		assert.True(t, LooksLikeRID(s), s)
	}
	for _, s := range []string{"", "1-abc4", "12345", "1-ABC", "1 ABC", "1-ABC4@", "x;rm -rf"} {
		assert.False(t, LooksLikeRID(s), s)
	}
}

func FuzzRIDRoundTrip(f *testing.F) {
	for _, v := range []int64{0, 1, 693953, 1048576, 1529365427096206, -1, 1 << 62} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v int64) {
		enc := EncodeRID(v)
		got, err := DecodeRID(enc)
		if err != nil {
			t.Fatalf("DecodeRID(EncodeRID(%d)=%q): %v", v, enc, err)
		}
		if got != v {
			t.Fatalf("round trip %d -> %q -> %d", v, enc, got)
		}
		norm, ok := NormalizeRID(enc)
		if !ok || norm != enc {
			t.Fatalf("NormalizeRID(%q) = %q, %v", enc, norm, ok)
		}
	})
}

func FuzzDecodeRID(f *testing.F) {
	for _, s := range []string{"1-ABC2", "2PX-WS30-E58W", "", "zzzz", "1-za", "%%%", "0", "0000", "1-oil",
		"F-ZZZZ-ZZZZ-ZZZZ", "G-0000-0000-0000", "--1ZA-", "1ZA@2PX-WS30-E58W"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := DecodeRID(s)
		if err != nil {
			return
		}
		if back, err := DecodeRID(EncodeRID(v)); err != nil || back != v {
			t.Fatalf("re-encoding %q (%d) does not round-trip: %d, %v", s, v, back, err)
		}
		norm, ok := NormalizeRID(s)
		if !ok {
			if norm != s {
				t.Fatalf("NormalizeRID(%q) failed but changed it to %q", s, norm)
			}
			return
		}
		if !LooksLikeRID(norm) {
			t.Fatalf("NormalizeRID(%q) = %q, which LooksLikeRID rejects", s, norm)
		}
		if got, err := DecodeRID(norm); err != nil || got != v {
			t.Fatalf("NormalizeRID(%q) = %q decodes to %d, %v; want %d", s, norm, got, err, v)
		}
	})
}

func TestRIDSpellings(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"1ZA"}, RIDSpellings("1ZA"))
	assert.Equal(t, []string{"1-za", "1ZA"}, RIDSpellings("1-za"))
	assert.Equal(t, []string{"not a rid!"}, RIDSpellings("not a rid!"))
}
