package state

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidateSlug(t *testing.T) {
	t.Parallel()
	ok := []string{"a", "0", "cifar10-cnn", "cifar10-2layer-cnn", "a-b-c", strings.Repeat("a", 63), "x-" + strings.Repeat("9", 61)}
	for _, s := range ok {
		if err := ValidateSlug(s); err != nil {
			t.Errorf("ValidateSlug(%q) = %v, want nil", s, err)
		}
	}
	bad := []struct{ slug, problem string }{
		{"", "empty"},
		{strings.Repeat("a", 64), "64 bytes is too long"},
		{"../x", "no dots"},
		{"..", "no dots"},
		{".", "no dots"},
		{"a..b", "no dots"},
		{"a.b", "no dots"},
		{"a/b", "no slashes"},
		{"/abs", "no slashes"},
		{`a\b`, "no slashes"},
		{"My Model", "no upper-case"},
		{"my model", "no spaces"},
		{"my_model", "no underscores"},
		{"-a", "start or end with a dash"},
		{"a-", "start or end with a dash"},
		{"-", "start or end with a dash"},
		{"a--b", "double dashes"},
		{"modèle", "ASCII only"},
		{"ｍodel", "ASCII only"}, // full-width m
		{"a\x00b", "is not allowed"},
		{"a\nb", "is not allowed"},
		{"a~b", "is not allowed"},
	}
	for _, c := range bad {
		err := ValidateSlug(c.slug)
		if err == nil {
			t.Errorf("ValidateSlug(%q) = nil, want an error", c.slug)
			continue
		}
		require.ErrorIs(t, err, ErrInvalidSlug)
		msg := err.Error()
		assert.Contains(t, msg, c.problem)
		assert.Contains(t, msg, `use lower-case letters, digits and single dashes, like "cifar10-2layer-cnn"`)
	}
	assert.Equal(t,
		`slug "My Model": no upper-case letters; use lower-case letters, digits and single dashes, like "cifar10-2layer-cnn"`,
		ValidateSlug("My Model").Error(), "message for My Model")
}

// A valid slug, joined under a directory, stays in that directory.
func TestValidSlugStaysInside(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"../x", "a/../../b", "..", "x/..", "a..b", "./a"} {
		if ValidateSlug(s) == nil {
			t.Errorf("ValidateSlug(%q) accepted a path", s)
		}
	}
	for _, s := range []string{"a", "a-b", "1-2-3"} {
		p := filepath.Join("docs/design/model", s+".md")
		assert.Equal(t, filepath.Clean("docs/design/model"), filepath.Dir(p), "dir of "+p)
	}
}

func TestSuggestSlug(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"CIFAR-10 2-layer CNN":    "cifar-10-2-layer-cnn",
		"MyModel":                 "my-model",
		"  spaces  everywhere  ":  "spaces-everywhere",
		"../../etc/passwd":        "etc-passwd",
		"a__b..c":                 "a-b-c",
		"Modèle très bon":         "mod-le-tr-s-bon",
		"":                        "",
		"---":                     "",
		"日本語":                     "",
		strings.Repeat("ab-", 40): strings.TrimRight(strings.Repeat("ab-", 21), "-"),
	}
	for in, want := range cases {
		got := SuggestSlug(in)
		assert.Equal(t, want, got, "SuggestSlug("+in+")")
		if got != "" {
			if err := ValidateSlug(got); err != nil {
				t.Errorf("SuggestSlug(%q) = %q is not valid: %v", in, got, err)
			}
		}
	}
}

func FuzzSuggestSlug(f *testing.F) {
	for _, s := range []string{"My Model", "../x", "a--b", "日本", strings.Repeat("Z", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if got := SuggestSlug(in); got != "" {
			if err := ValidateSlug(got); err != nil {
				t.Fatalf("SuggestSlug(%q) = %q: %v", in, got, err)
			}
		}
	})
}
