package ermresttest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// capture reads a response body captured from the real server (copied from
// reference/ermrest-observed/).
func capture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}

// With Accept: text/html an error is the HTML page the real server sends
// (capture error-html); otherwise text/plain.
func TestErrorsNegotiateHTML(t *testing.T) {
	t.Parallel()
	s, _ := fixture(t, Options{})
	uri := "/ermrest/catalog/1/entity/cell-imaging:NoSuchTable"
	a := do(t, s, "GET", uri, "", "Accept", "text/html")
	assert.Equal(t, 409, a.status)
	assert.Equal(t, "text/html", a.ctype)
	assert.Equal(t, "<html><body><h1>Conflict</h1><p>Request conflicts with state of server. Detail: "+
		"Table NoSuchTable does not exist in schema cell-imaging.</p></body></html>\n", a.body)
	for accept, want := range map[string]string{
		"":                            "text/plain",
		"*/*":                         "text/plain",
		"application/json":            "text/plain",
		"application/json, text/html": "text/html",
		"text/plain, text/html":       "text/plain",
		"text/plain;q=0.9, text/html": "text/plain", // q ascending: webauthn2 picks the lowest
		"TEXT/HTML":                   "text/html",
	} {
		a := do(t, s, "GET", uri, "", "Accept", accept)
		assert.Equal(t, want, a.ctype, "Accept %q", accept)
	}
	a = do(t, s, "GET", "/ermrest/catalog/1", "", append([]string{"Accept", "text/html"}, anonymous...)...)
	assert.Equal(t, "<html><body><h1>Authentication Required</h1><p>Access requires authentication. Detail: "+
		"enumerate access on catalog/1</p></body></html>\n", a.body)
	a = do(t, s, "GET", "/authn/session", "", append([]string{"Accept", "text/html"}, anonymous...)...)
	assert.Equal(t, "<html><body><h1>Not Found</h1><p>No existing login session found.</p></body></html>\n", a.body)
}

// The service and session documents are the captured ones, Python
// separators at every depth and a final newline (captures
// service_GET_ermrest.json, authn_session_GET_200.json), times aside.
func TestDocumentsMatchTheCaptures(t *testing.T) {
	t.Parallel()
	s, _ := fixture(t, Options{})
	assert.Equal(t, capture(t, "service_GET_ermrest.json"), do(t, s, "GET", "/ermrest/", "", anonymous...).body)
	a := do(t, s, "GET", "/authn/session", "")
	assert.Equal(t, 200, a.status)
	times := regexp.MustCompile(`"(since|expires)": "[^"]*"|"seconds_remaining": \d+`)
	assert.Equal(t, times.ReplaceAllString(capture(t, "authn_session_GET_200.json"), "$1"), times.ReplaceAllString(a.body, "$1"))
}

// Data answers negotiate JSON, CSV and JSON streams as the captures show:
// ?accept= wins, the Accept header is matched exactly with the lowest q
// first, and anything else is JSON (captures accept-csv, accept-multi,
// accept-html, accept-wild, jsonstream).
func TestDataAnswersNegotiateTheirType(t *testing.T) {
	t.Parallel()
	s, _ := fixture(t, Options{})
	uri := "/ermrest/catalog/1/entity/cell-imaging:Image/Filename=a.png"
	for _, c := range []struct {
		query, accept, want string
	}{
		{"", "", "application/json"},
		{"?accept=csv", "", "text/csv"},
		{"?accept=text%2Fcsv", "", "text/csv"},
		{"?accept=json", "text/csv", "application/json"},
		{"", "text/csv", "text/csv"},
		{"", "application/json, text/csv;q=0.5", "text/csv"},
		{"", "text/html", "application/json"},
		{"", "*/*", "application/json"},
		{"", "application/x-json-stream", "application/x-json-stream"},
	} {
		a := do(t, s, "GET", uri+c.query, "", "Accept", c.accept)
		assert.Equal(t, 200, a.status)
		assert.Equal(t, c.want, a.ctype, "%s Accept %q", c.query, c.accept)
		assert.Contains(t, a.etag, ";"+c.accept+";", "the ETag carries the raw Accept header")
		switch c.want {
		case "text/csv":
			assert.True(t, strings.HasPrefix(a.body, "RID,RCT,RMT,RCB,RMB,Filename,Stain,Width,Score,Acquired,Tags,Meta\n"), a.body)
			assert.Contains(t, a.body, `,a.png,DAPI,512,0.5,2024-01-02 03:04:05+00,"{x,y}","{""k"": 1}"`+"\n")
		case "application/x-json-stream":
			assert.True(t, strings.HasPrefix(a.body, `{"RID":`) && strings.HasSuffix(a.body, "}\n"), a.body)
		default:
			assert.Contains(t, a.body, `"Meta":{"k": 1}`)
		}
	}
	a := do(t, s, "GET", "/ermrest/catalog/1/attributegroup/cell-imaging:Image/Stain;n:=cnt(*)@sort(Stain)?accept=csv", "")
	assert.Equal(t, "Stain,n\nDAPI,2\nGFP,1\nPhalloidin,1\n,4\n", a.body)
	// Not captured as CSV: the fake renders array_d as the jsonb its JSON form is.
	a = do(t, s, "GET", "/ermrest/catalog/1/aggregate/cell-imaging:Image/n:=cnt(*),ids:=array_d(Stain)?accept=csv", "")
	assert.Equal(t, "n,ids\n8,\"[\"\"DAPI\"\", \"\"GFP\"\", \"\"Phalloidin\"\", null]\"\n", a.body)
}
