package ermrest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cyclezero/cyclezero/catalog"
)

func TestEncodeFilter(t *testing.T) {
	t.Parallel()
	w512 := catalog.Eq{Column: "Width", Value: 512}
	dapi := catalog.Eq{Column: "Stain", Value: "DAPI"}
	gfp := catalog.Eq{Column: "Stain", Value: "GFP"}
	for _, c := range []struct {
		f    catalog.Filter
		want string
	}{
		{w512, "Width=512"},
		{catalog.Eq{Column: "Filename", Value: "d+e.png"}, "Filename=d%2Be.png"},
		{catalog.Eq{Column: "Name", Value: ""}, "Name="},
		{catalog.Eq{Column: "Stain", Value: nil}, "Stain::null::"},
		{catalog.Cmp{Column: "Width", Op: catalog.Gt, Value: 500}, "Width::gt::500"},
		{catalog.Cmp{Column: "Acquired", Op: catalog.Leq, Value: "2024-01-02T03:04:05Z"}, "Acquired::leq::2024-01-02T03%3A04%3A05Z"},
		{catalog.IsNull{Column: "Meta"}, "Meta::null::"},
		{catalog.Regexp{Column: "Filename", Pattern: "^[ab]"}, "Filename::regexp::%5E%5Bab%5D"},
		{catalog.Regexp{Column: "Name", Pattern: "dapi", IgnoreCase: true}, "Name::ciregexp::dapi"},
		{catalog.AnyOf{Column: "Width", Values: []any{512, 2048}}, "Width=any(512,2048)"},
		{catalog.AnyOf{Column: "RID", Values: []any{"1-ZA"}}, "RID=1-ZA"},
		{catalog.AnyOf{Column: "Stain", Values: []any{"DAPI", nil}}, "Stain::null::;Stain=DAPI"},
		{catalog.And{w512, dapi}, "Width=512&Stain=DAPI"},
		{catalog.Or{catalog.Eq{Column: "Width", Value: 256}, gfp}, "Width=256;Stain=GFP"},
		{catalog.Not{Filter: w512}, "!Width=512"},
		{catalog.Not{Filter: catalog.Not{Filter: w512}}, "!(!Width=512)"},
		{catalog.Not{Filter: catalog.And{w512, dapi}}, "!(Width=512&Stain=DAPI)"},
		{catalog.Not{Filter: catalog.Or{w512, dapi}}, "!(Width=512;Stain=DAPI)"},
		// & binds tighter than ;: an Or inside an And needs parentheses, an And inside an Or does not.
		{catalog.And{catalog.Or{dapi, gfp}, w512}, "(Stain=DAPI;Stain=GFP)&Width=512"},
		{catalog.Or{catalog.And{dapi, w512}, gfp}, "Stain=DAPI&Width=512;Stain=GFP"},
		{catalog.And{catalog.Not{Filter: dapi}, catalog.Or{w512, catalog.IsNull{Column: "Width"}}},
			"!Stain=DAPI&(Width=512;Width::null::)"},
		// Constants ERMrest cannot spell are folded away.
		{catalog.And{w512, catalog.And{}}, "Width=512"},
		{catalog.Or{w512, catalog.AnyOf{Column: "Stain"}}, "Width=512"},
		{catalog.And{catalog.Or{catalog.And{dapi}}}, "Stain=DAPI"},
	} {
		s, tr := simplify(c.f)
		if tr != unknown {
			t.Errorf("%#v simplified to a constant", c.f)
			continue
		}
		got, err := encodeFilter(s)
		if err != nil || got != c.want {
			t.Errorf("encode %#v = %q, %v; want %q", c.f, got, err, c.want)
		}
	}
}

func TestSimplifyConstants(t *testing.T) {
	t.Parallel()
	x := catalog.Eq{Column: "a", Value: 1}
	for _, c := range []struct {
		f    catalog.Filter
		want truth
	}{
		{nil, always}, {catalog.And{}, always}, {catalog.Or{}, never}, {catalog.AnyOf{Column: "a"}, never},
		{catalog.Not{Filter: catalog.Or{}}, always}, {catalog.Not{Filter: catalog.And{}}, never},
		{catalog.And{x, catalog.Or{}}, never}, {catalog.Or{x, catalog.And{}}, always},
	} {
		if _, got := simplify(c.f); got != c.want {
			t.Errorf("simplify(%#v) = %v, want %v", c.f, got, c.want)
		}
	}
}

func TestEncodeFilterRejectsBadInput(t *testing.T) {
	t.Parallel()
	for _, f := range []catalog.Filter{
		catalog.Eq{Column: "", Value: 1},
		catalog.Cmp{Column: "a", Op: "like", Value: 1},
		catalog.Cmp{Column: "a", Op: catalog.Lt, Value: nil},
		catalog.Eq{Column: "a", Value: struct{}{}},
		catalog.AnyOf{Column: "a", Values: []any{1, []int{2}}},
		catalog.IsNull{},
	} {
		s, _ := simplify(f)
		if _, err := encodeFilter(s); err == nil {
			t.Errorf("encode %#v gave no error", f)
		}
	}
}

func TestChunkFilter(t *testing.T) {
	t.Parallel()
	var rids []any
	for i := 1; i <= 2000; i++ {
		rids = append(rids, catalog.EncodeRID(int64(i*2)))
	}
	f := catalog.And{catalog.Eq{Column: "Stain", Value: "DAPI"}, catalog.AnyOf{Column: "RID", Values: rids}}
	render := func(f catalog.Filter) (string, error) {
		s, err := encodeFilter(f)
		return "/ermrest/catalog/1/entity/S:T/" + s + "?limit=2000", err
	}
	chunks, err := chunkFilter(f, 1000, render)
	if err != nil {
		t.Fatal(err)
	}
	if len(chunks) < 10 || len(chunks) > 32 {
		t.Errorf("%d chunks for 2000 RIDs in 1000-byte URLs", len(chunks))
	}
	seen := 0
	for _, c := range chunks {
		u, _ := render(c)
		if len(u) > 1000 {
			t.Errorf("chunk URL of %d bytes", len(u))
		}
		if !strings.Contains(u, "Stain=DAPI&RID=") {
			t.Errorf("chunk lost the other conjunct: %.80s", u)
		}
		and := c.(catalog.And)
		switch x := and[1].(type) {
		case catalog.AnyOf:
			seen += len(x.Values)
		case catalog.Eq:
			seen++
		}
	}
	if seen != len(rids) {
		t.Errorf("chunks cover %d of %d values", seen, len(rids))
	}
	one, err := chunkFilter(catalog.Eq{Column: "a", Value: "b"}, 1000, render)
	if err != nil || len(one) != 1 {
		t.Errorf("a short filter is one chunk: %v %v", one, err)
	}
	long := catalog.Or{catalog.Eq{Column: "a", Value: strings.Repeat("x", 2000)}, catalog.AnyOf{Column: "b", Values: rids}}
	if _, err := chunkFilter(long, 1000, render); err == nil {
		t.Error("a filter with no top-level any() to split was accepted")
	}
}

func TestDedupeValues(t *testing.T) {
	t.Parallel()
	got := dedupeValues("RID", []any{"1ZA", "1za", "1-ZA", "2", "2"})
	if fmt.Sprint(got) != "[1ZA 2]" {
		t.Errorf("dedupe RIDs = %v", got)
	}
	got = dedupeValues("Name", []any{"a", "A", "a", 1, "1"})
	if fmt.Sprint(got) != "[a A 1]" {
		t.Errorf("dedupe names = %v", got)
	}
}
