package ermrest_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
)

// typedModel is a model document with a table of the column types whose
// normalization can fail on a bad answer.
const typedModel = `{"schemas":{"s":{"tables":{"T":{"column_definitions":[
{"name":"RID","type":{"typename":"ermrest_rid","is_domain":true,"base_type":{"typename":"text"}}},
{"name":"N","type":{"typename":"int8"}},{"name":"At","type":{"typename":"timestamptz"}},
{"name":"Ok","type":{"typename":"boolean"}},{"name":"F","type":{"typename":"float8"}},
{"name":"J","type":{"typename":"jsonb"}},
{"name":"A","type":{"typename":"int4[]","is_array":true,"base_type":{"typename":"int4"}}}]}}}}}`

// cannedAnswers answers the model request with typedModel and every other
// request with 200, body and content type ct, without a network. bare
// leaves the answer's Request unset, as a RoundTripper may.
type cannedAnswers struct {
	body, ct string
	bare     bool
}

func (a cannedAnswers) RoundTrip(r *http.Request) (*http.Response, error) {
	body, ct := a.body, a.ct
	if strings.HasSuffix(r.URL.Opaque, "/schema") {
		body, ct = typedModel, "application/json"
	}
	h := http.Header{}
	if ct != "" {
		h.Set("Content-Type", ct)
	}
	res := &http.Response{StatusCode: 200, Status: "200 OK", Header: h, Body: io.NopCloser(bytes.NewReader([]byte(body))),
		ContentLength: int64(len(body)), Request: r}
	if a.bare {
		res.Request = nil
	}
	return res, nil
}

// A client given an HTTPClient whose transport leaves Response.Request
// unset (net/http does not fill it in) reads its answers all the same.
func TestTransportWithoutResponseRequest(t *testing.T) {
	t.Parallel()
	c, err := ermrest.New("http://127.0.0.1:9", "1", ermrest.Options{CredentialFile: "/nonexistent/credential.json",
		HTTPClient: &http.Client{Transport: cannedAnswers{body: `[{"RID":"1-ABC4","N":7}]`, ct: "application/json", bare: true}}})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := c.Query(context.Background(), catalog.Query{Table: catalog.TableRef{Schema: "s", Table: "T"}, Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0]["N"] != int64(7) {
		t.Fatalf("rows = %#v, want one with N 7", rows)
	}
}

// Whatever a 200 answer to a row read holds (truncated or malformed JSON,
// a proxy's HTML page, values of the wrong type), Query gives typed rows or
// a *catalog.Error of kind ErrBadResponse, never a panic (issue #3).
func FuzzDecodeRows(f *testing.F) {
	const js = "application/json"
	for _, seed := range [][2]string{
		{`[{"RID":"1-ABC4","N":9007199254740993,"At":"2026-11-25T16:48:34.01631+00:00","Ok":true,"F":-3,"J":{"k":[1,2.5]},"A":[1,null,3]}]`, js},
		{`[]`, js}, {`[{"N":null,"At":null,"Ok":null,"F":null,"J":null,"A":null}]`, ""},
		{`[{"RID":"1-ABC4","N":1`, js}, {`[{"N":1}] [{"N":2}]`, js}, {``, js}, {`null`, js}, {`{"N":1}`, js},
		{"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "text/html"},
		{"<html><body>Please log in</body></html>", js},
		{`[{"N":1.5}]`, js}, {`[{"N":"x"}]`, js}, {`[{"N":1e400}]`, js}, {`[{"Ok":"maybe"}]`, js}, {`[{"Ok":1}]`, js},
		{`[{"F":"NaN"}]`, js}, {`[{"F":true}]`, js}, {`[{"At":"yesterday"}]`, js}, {`[{"At":"0000-01-01 0:00:00+01"}]`, js},
		{`[{"At":5}]`, js}, {`[{"A":"[1,2]"}]`, js}, {`[{"A":[1,"x"]}]`, js}, {`[{"A":3}]`, js}, {`[{"A":[[1]]}]`, js},
		{`[{"RID":{}}]`, js}, {`[{"Extra":[1,{"a":2}]}]`, js}, {`[1,2]`, js}, {"[{\"RID\":\"\xff\"}]", js},
		{"N,At\n1,2026-11-25 16:48:34+00\n", "text/csv"},
	} {
		f.Add(seed[0], seed[1])
	}
	ref := catalog.TableRef{Schema: "s", Table: "T"}
	f.Fuzz(func(t *testing.T, body, ct string) {
		c, err := ermrest.New("http://127.0.0.1:9", "1", ermrest.Options{CredentialFile: "/nonexistent/credential.json",
			HTTPClient: &http.Client{Transport: cannedAnswers{body: body, ct: ct}}})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := c.Query(context.Background(), catalog.Query{Table: ref, Limit: 5, At: "2PX-WS30-E58W"})
		if err != nil {
			var ce *catalog.Error
			if !errors.As(err, &ce) || !errors.Is(err, catalog.ErrBadResponse) || ce.Fix == "" {
				t.Fatalf("Query on %q (%q) failed without a catalog ErrBadResponse and a fix: %#v", body, ct, err)
			}
			return
		}
		for _, row := range rows {
			for col, v := range row {
				if v != nil && !normalizedAs(col, v) {
					t.Fatalf("Query on %q (%q): column %s is %#v, not normalized", body, ct, col, v)
				}
			}
		}
	})
}

// normalizedAs reports whether v has the form catalog.Row documents for
// column col of typedModel's table.
func normalizedAs(col string, v any) bool {
	switch col {
	case "N":
		_, ok := v.(int64)
		return ok
	case "At", "RID":
		_, ok := v.(string)
		return ok
	case "Ok":
		_, ok := v.(bool)
		return ok
	case "F":
		_, ok := v.(float64)
		return ok
	case "A":
		arr, ok := v.([]any)
		for _, e := range arr {
			if _, isInt := e.(int64); e != nil && !isInt {
				return false
			}
		}
		return ok
	}
	return true // jsonb and unknown columns: any decoded JSON
}
