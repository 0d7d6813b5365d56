package ermrest

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
)

func TestEscape(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Image":                    "Image",
		"cell-imaging":             "cell-imaging",
		"a_b.c~d":                  "a_b.c~d",
		"d+e.png":                  "d%2Be.png",
		"odd schema:+/é":           "odd%20schema%3A%2B%2F%C3%A9",
		"Slide Scan (v2)/µ#1":      "Slide%20Scan%20%28v2%29%2F%C2%B5%231",
		"2024-01-02T03:04:05Z":     "2024-01-02T03%3A04%3A05Z",
		"tag:isrd.isi.edu,2016:vc": "tag%3Aisrd.isi.edu%2C2016%3Avc",
		"a*b":                      "a%2Ab",
		"@&=$,;!?'\"[]%":           "%40%26%3D%24%2C%3B%21%3F%27%22%5B%5D%25",
		"":                         "",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLiterals(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("x", -3600))
	for _, c := range []struct {
		v    any
		want string
	}{
		{"d+e.png", "d%2Be.png"}, {512, "512"}, {int64(-3), "-3"}, {0.5, "0.5"}, {1e21, "1e%2B21"},
		{math.Inf(1), "Infinity"}, {math.NaN(), "NaN"}, {true, "true"}, {json.Number("12"), "12"},
		{at, "2024-01-02T04%3A04%3A05%2B00%3A00"},
	} {
		got, err := literal(c.v)
		if err != nil || got != c.want {
			t.Errorf("literal(%#v) = %q, %v; want %q", c.v, got, err, c.want)
		}
	}
	if _, err := literal(map[string]any{}); err == nil {
		t.Error("a map became a literal")
	}
	vals, err := pageValues([]any{"1-ZA", nil, ""})
	if err != nil || vals != "1-ZA,::null::," {
		t.Errorf("pageValues = %q, %v", vals, err)
	}
	if got := sortSpec([]catalog.SortKey{{Column: "RID"}, {Column: "a b", Desc: true}}); got != "@sort(RID,a%20b::desc::)" {
		t.Errorf("sortSpec = %q", got)
	}
}

// Escape's output only holds bytes ERMrest's lexer reads as text, and the
// fake's lexer decodes it back to the input.
func FuzzEscapeRoundTrip(f *testing.F) {
	for _, s := range []string{"", "a", "d+e.png", "odd schema:+/é", "%", "\x00\xff", "::", ":=", "1-ZA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		esc := Escape(s)
		for i := 0; i < len(esc); i++ {
			if c := esc[i]; !unreserved(c) && c != '%' {
				t.Fatalf("Escape(%q) = %q holds %q", s, esc, c)
			}
		}
		back, err := ermresttest.Unescape(esc)
		if err != nil {
			t.Fatalf("the fake cannot read Escape(%q) = %q: %v", s, esc, err)
		}
		if back != s {
			t.Fatalf("round trip %q -> %q -> %q", s, esc, back)
		}
	})
}
