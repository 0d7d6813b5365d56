package ermresttest

import (
	"errors"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUnescape(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"abc":                                  "abc",
		"":                                     "",
		"odd%20schema%3A%2B%2F%C3%A9":          "odd schema:+/é",
		"A%2bB":                                "A+B",
		"Slide%20Scan%20%28v2%29%2F%C2%B5%231": "Slide Scan (v2)/µ#1",
		"1-ZA":                                 "1-ZA",
		"*._~-":                                "*._~-",
	} {
		got, err := Unescape(in)
		require.NoError(t, err)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"d+e", "a b", "%zz", "%2", "a:b", "a/b", "a=b", "é"} {
		if _, err := Unescape(bad); err == nil {
			t.Errorf("Unescape(%q) gave no error", bad)
		}
	}
}

// Parse errors reproduce the real server's messages (request_log_all_exchanges.txt).
func TestParseErrorsMatchTheRealServer(t *testing.T) {
	t.Parallel()
	for uri, want := range map[string]string{
		"/ermrest/catalog/1/attribute/cell-imaging:Image/Filename,RID@after(1ZC)?limit=2":          "URL parse error at token: LexToken(AFTER,'after',1,61)",
		"/ermrest/catalog/1/attribute/cell-imaging:Image/Acquired=2024-01-02T03:04:05Z/Filename":   "URL parse error at token: LexToken(:,':',1,70)",
		"/ermrest/catalog/1/attribute/cell-imaging:Image/Filename=a.png/t:=trs(RID),tc:=tcrs(RID)": "URL parse error at token: LexToken((,'(',1,69)",
		"/ermrest/catalog/1@NOTASNAP!/entity/cell-imaging:Stain":                                   "URL parse error at token: LexToken(!,'!',1,27)",
		"/ermrest/catalog/1/entity/cell-imaging:Image/Filename=(":                                  "Value list requires quantifier prefix, e.g. all(1,2,3) or any(1,2,3)",
	} {
		_, err := parseURI(uri)
		var pe parseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: got %v, want a parse error", uri, err)
			continue
		}
		assert.Equal(t, want, pe.msg, uri)
	}
	_, err := parseURI("/ermrest/catalog/1/attribute/cell-imaging:Image/Filename=d+e.png/Filename")
	var le lexError
	if !errors.As(err, &le) {
		t.Errorf("unescaped '+': got %v, want a lexical error", err)
	}
}

func TestParseDataPath(t *testing.T) {
	t.Parallel()
	r, err := parseURI("/ermrest/catalog/1@2PX-WS30-E58W/attribute/A:=cell-imaging:Image/!(Width=any(1,2);Stain::null::)&Filename::regexp::%5Ea/Filename,w:=Width@sort(Filename::desc::,w)@after(x,::null::)?limit=10&accept=json")
	require.NoError(t, err)
	assert.Equal(t, "1", r.catalog)
	assert.Equal(t, "2PX-WS30-E58W", r.snap)
	assert.Equal(t, "attribute", r.api)
	assert.Equal(t, "A", r.alias)
	if !reflect.DeepEqual(r.root, []string{"cell-imaging", "Image"}) {
		t.Errorf("root %q", r.root)
	}
	want := fAnd{
		fNot{fOr{fAnd{fPred{col: []string{"Width"}, op: "=", quant: "any", vals: []string{"1", "2"}}},
			fAnd{fPred{col: []string{"Stain"}, op: "null"}}}},
		fPred{col: []string{"Filename"}, op: "regexp", vals: []string{"^a"}},
	}
	if len(r.filters) != 1 || !reflect.DeepEqual(r.filters[0], want) {
		t.Errorf("filters:\n got %#v\nwant %#v", r.filters, want)
	}
	if !reflect.DeepEqual(r.attrs, []attr{{name: []string{"Filename"}}, {alias: "w", name: []string{"Width"}}}) {
		t.Errorf("attrs %#v", r.attrs)
	}
	if !reflect.DeepEqual(r.sort, []sortKey{{"Filename", true}, {"w", false}}) {
		t.Errorf("sort %#v", r.sort)
	}
	if !reflect.DeepEqual(r.after, []pageVal{{text: "x"}, {null: true}}) {
		t.Errorf("after %#v", r.after)
	}
	if !reflect.DeepEqual(r.opts, map[string][]string{"limit": {"10"}, "accept": {"json"}}) {
		t.Errorf("opts %#v", r.opts)
	}

	g, err := parseURI("/ermrest/catalog/1/attributegroup/S:T/Stain,k:=Width;n:=cnt(*)@sort(n::desc::)")
	require.NoError(t, err)
	if !reflect.DeepEqual(g.keys, []attr{{name: []string{"Stain"}}, {alias: "k", name: []string{"Width"}}}) ||
		!reflect.DeepEqual(g.attrs, []attr{{alias: "n", fn: "cnt", name: []string{"*"}}}) {
		t.Errorf("keys %#v attrs %#v", g.keys, g.attrs)
	}

	q, err := parseURI("/ermrest/catalog/1/entity/S:T?defaults=RID,ID&onconflict=skip")
	require.NoError(t, err)
	if !reflect.DeepEqual(q.opts, map[string][]string{"defaults": {"RID", "ID"}, "onconflict": {"skip"}}) {
		t.Errorf("opts %#v", q.opts)
	}
	e, err := parseURI("/ermrest/catalog/1/entity/S:T/Name=")
	require.NoError(t, err)
	assert.Empty(t, e.filters[0].(fAnd)[0].(fPred).vals[0], "col= is the empty string")
}

func FuzzParseURI(f *testing.F) {
	for _, s := range []string{
		"/ermrest/catalog/1/entity/S:T/a=1&b::gt::2;!(c::null::)@sort(a::desc::)@after(::null::)?limit=3",
		"/ermrest/catalog/1/attributegroup/S:T/a;n:=cnt(*)",
		"/ermrest/catalog/1@2PX/schema/S/table/T",
		"/ermrest/", "/ermrest/catalog/1/entity_rid/1-ZA", "%", "/(((", "/ermrest/catalog/1/entity/::",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		_, _ = parseURI(uri) // must not panic
	})
}
