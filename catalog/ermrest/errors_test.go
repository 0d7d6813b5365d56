package ermrest

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/cyclezero/cyclezero/catalog"
)

func TestParseErrorBody(t *testing.T) {
	t.Parallel()
	for body, want := range map[string][2]string{
		"Request conflicts with state of server. Detail: Table NoSuchTable does not exist in schema cell-imaging.\n": {
			"Request conflicts with state of server.", "Table NoSuchTable does not exist in schema cell-imaging."},
		"Request malformed. Detail: \n":                            {"Request malformed.", ""},
		"Resource state does not match requested preconditions.\n": {"Resource state does not match requested preconditions.", ""},
		"":                                 {"", ""},
		"No existing login session found.": {"No existing login session found.", ""},
		"Request conflicts with state of server. Detail: Input data violates model. ERROR:  duplicate key value violates unique constraint \"Stain_Name_key\"\nDETAIL:  Key (\"Name\")=(DAPI) already exists.\n\n": {
			"Request conflicts with state of server.",
			"Input data violates model. ERROR:  duplicate key value violates unique constraint \"Stain_Name_key\"\nDETAIL:  Key (\"Name\")=(DAPI) already exists."},
	} {
		d, m := ParseErrorBody(body)
		if d != want[0] || m != want[1] {
			t.Errorf("ParseErrorBody(%q) = %q, %q; want %q, %q", body, d, m, want[0], want[1])
		}
	}
}

func testClient(t *testing.T) *Client {
	t.Helper()
	c, err := New("catalog.example.org", "1", Options{CredentialFile: "/nonexistent/credential.json"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Every status maps to its kind, with the server's detail and a fix.
func TestStatusErrors(t *testing.T) {
	t.Parallel()
	c := testClient(t)
	text := http.Header{"Content-Type": {"text/plain"}}
	for _, tc := range []struct {
		status int
		op     string
		body   string
		kind   error
		fix    string
	}{
		{400, "GET /x", "Request malformed. Detail: \n", catalog.ErrBadRequest, "malformed"},
		{401, "GET /ermrest/catalog/1", "Access requires authentication. Detail: enumerate access on catalog/1\n",
			catalog.ErrUnauthenticated, "deriva-globus-auth-utils login --host catalog.example.org"},
		{403, "POST /x", "Access forbidden. Detail: insert access on :S:T:RMT\n", catalog.ErrForbidden, "ask the catalog's owner"},
		{403, "POST /x", "Access forbidden. Detail: modification to catalog at previous revision\n", catalog.ErrForbidden, "read-only"},
		{404, "GET /ermrest/catalog/9", "Resource not found. Detail: catalog 9\n", catalog.ErrNotFound, "--catalog"},
		{404, "GET /ermrest/catalog/1/entity_rid/ZZ", "Resource not found. Detail: entity with RID=ZZ\n", catalog.ErrNotFound, "check the RID"},
		{409, "GET /x", "Request conflicts with state of server. Detail: Table NoSuchTable does not exist in schema s.\n",
			catalog.ErrConflict, "cyclezero catalog ls"},
		{409, "POST /x", "Request conflicts with state of server. Detail: Input data violates model. ERROR:  duplicate key\nDETAIL: x\n",
			catalog.ErrConflict, "duplicate key"},
		{409, "POST /x", "Request conflicts with state of server. Detail: Input data violates model. ERROR:  duplicate key value " +
			"violates unique constraint \"Stain_Name_key\"\nDETAIL:  Key (\"Name\")=(DAPI) already exists.\n\n",
			catalog.ErrConflict, "duplicate key"},
		{409, "POST /ermrest/catalog/1/schema/cell-imaging", "Request conflicts with state of server. Detail: Requested schema cell-imaging already exists.\n",
			catalog.ErrConflict, "it exists already: choose another name, or use the existing one"},
		{412, "PUT /x", "Resource state does not match requested preconditions.\n", catalog.ErrPrecondition, "someone else changed it"},
		{503, "GET /x", "The service is temporarily unavailable. Detail: db\n", catalog.ErrUnavailable, "temporarily unavailable (tried 4 times)"},
		{503, "POST /x", "The service is temporarily unavailable. Detail: db\n", catalog.ErrUnavailable, "may or may not have been applied"},
		{500, "GET /x", "The request execution encountered a runtime error. Detail: name 'right_value' is not defined\n", catalog.ErrServer, "operators"},
		{405, "PATCH /x", "Request method not allowed on this resource.\n", ErrMethodNotAllowed, "cyclezero bug; please report it with the request line (PATCH /x)"},
		{415, "POST /x", "The request input type is not supported. Detail: text/csv\n", ErrUnsupportedBodyType, "refused the request's body type"},
		{429, "GET /x", "Too Many Requests\n", catalog.ErrUnavailable, "wait a minute and try again"},
		{429, "POST /x", "Too Many Requests\n", catalog.ErrUnavailable, "turned the change away unapplied: wait a minute and send it again"},
	} {
		e := c.statusError(tc.op, tc.status, text, []byte(tc.body), 4, nil)
		if !errors.Is(e, tc.kind) {
			t.Errorf("%d %s: kind %v, want %v", tc.status, tc.body, e.Kind, tc.kind)
		}
		if e.Status != tc.status || e.Op != tc.op {
			t.Errorf("%d: status %d op %q", tc.status, e.Status, e.Op)
		}
		if !strings.Contains(e.Fix, tc.fix) {
			t.Errorf("%d %q: fix %q lacks %q", tc.status, tc.body, e.Fix, tc.fix)
		}
		if tc.status != 412 && tc.status != 405 && tc.status != 429 && !strings.Contains(tc.body, e.Detail) {
			t.Errorf("%d: detail %q is not the server's", tc.status, e.Detail)
		}
	}
	e := c.statusError("GET /x", 401, text, []byte("Access requires authentication. Detail: x\n"), 1, nil)
	if !strings.Contains(e.Fix, c.credPath) {
		t.Errorf("the 401 fix %q should name the credential file", e.Fix)
	}
}

// Every status of ERMrest's error table (reference ermrest.md §4.3), and a
// proxy's 429 or a gateway's 502 and 504, gets a kind and a fix that says
// what to do, for a read and a write alike; none falls through to the
// catch-all.
func TestEveryDocumentedStatusHasAFix(t *testing.T) {
	t.Parallel()
	c := testClient(t)
	text := http.Header{"Content-Type": {"text/plain"}}
	kinds := map[int]error{
		304: catalog.ErrBadResponse, 400: catalog.ErrBadRequest, 401: catalog.ErrUnauthenticated,
		403: catalog.ErrForbidden, 404: catalog.ErrNotFound, 405: ErrMethodNotAllowed, 409: catalog.ErrConflict,
		412: catalog.ErrPrecondition, 415: ErrUnsupportedBodyType, 429: catalog.ErrUnavailable,
		500: catalog.ErrServer, 502: catalog.ErrUnavailable, 503: catalog.ErrUnavailable, 504: catalog.ErrUnavailable,
	}
	for status, kind := range kinds {
		for _, op := range []string{"GET /ermrest/catalog/1/schema", "PUT /ermrest/catalog/1/entity/S:T"} {
			body := http.StatusText(status) + ". Detail: x\n"
			if status == 404 {
				body = "Resource not found. Detail: table T\n"
			}
			e := c.statusError(op, status, text, []byte(body), 1, nil)
			if e.Kind != kind {
				t.Errorf("%d %s: kind %v, want %v", status, op, e.Kind, kind)
			}
			if e.Fix == "" || strings.Contains(e.Fix, "unexpected HTTP") {
				t.Errorf("%d %s: fix %q does not say what to do", status, op, e.Fix)
			}
		}
	}
}

func TestHTMLAndProxyAnswers(t *testing.T) {
	t.Parallel()
	c := testClient(t)
	html := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	page := []byte("<!DOCTYPE html><html><body><h1>Sign in</h1></body></html>")
	e := c.statusError("GET /ermrest/catalog/1", 404, html, page, 1, nil)
	if !errors.Is(e, catalog.ErrBadResponse) || !strings.Contains(e.Fix, "proxy or login page") {
		t.Errorf("an HTML 404: %v (fix %q)", e, e.Fix)
	}
	e = c.statusError("GET /ermrest/catalog/1", 502, http.Header{}, []byte("<html><body>Bad Gateway</body></html>"), 3, nil)
	if !errors.Is(e, catalog.ErrUnavailable) {
		t.Errorf("an HTML 502 from a proxy is still unavailability: %v", e)
	}
}

func TestRedactAndClip(t *testing.T) {
	t.Parallel()
	c := testClient(t)
	c.cred = credential{bearer: "SECRET-TOKEN", cookieName: "webauthn", cookieValue: "COOKIE-VALUE"}
	e := c.statusError("GET /x", 400, http.Header{}, []byte("Request malformed. Detail: saw SECRET-TOKEN and COOKIE-VALUE\n"), 1, nil)
	if strings.Contains(e.Error(), "SECRET") || strings.Contains(e.Error(), "COOKIE-VALUE") {
		t.Errorf("secrets leaked: %v", e)
	}
	long := strings.Repeat("é", 3000)
	if got := clip(long); len(got) > maxDetail+len("…") || !strings.HasSuffix(got, "…") {
		t.Errorf("clip gave %d bytes", len(got))
	}
}

// Whatever the body and content type, an error status becomes a typed error
// with a fix; an HTML page (by content type or by its look) is never taken
// for an ERMrest answer, and its markup never reaches the message.
func FuzzParseErrorBody(f *testing.F) {
	for _, s := range []string{"Request malformed. Detail: \n", "x Detail:", " Detail: ", "\n\n", "a\nb Detail: c\nd"} {
		f.Add(s, "text/plain")
	}
	f.Add("<html><body><h1>Conflict</h1><p>Request conflicts with state of server. Detail: x</p></body></html>\n", "text/html")
	f.Add("<!DOCTYPE html><html><body>Sign in</body></html>", "text/plain")
	f.Add("Resource not found. Detail: catalog 9\n", "text/plain; charset=utf-8")
	f.Add("404 page not found\n", "")
	f.Add("{}", "application/json")
	f.Add("x", "text/html;;=")
	f.Fuzz(func(t *testing.T, body, ctype string) {
		d, m := ParseErrorBody(body)
		if len(d)+len(m) > len(body) {
			t.Fatalf("parts longer than the body: %q %q", d, m)
		}
		c := &Client{host: "h", catalogID: "1"}
		html := mediaType(http.Header{"Content-Type": {ctype}}) == "text/html" || looksLikeHTML([]byte(body))
		for _, status := range []int{400, 401, 404, 405, 409, 412, 415, 429, 500, 502, 503, 504} {
			e := c.statusError("GET /x", status, http.Header{"Content-Type": {ctype}}, []byte(body), 1, nil)
			if e.Kind == nil || e.Fix == "" || e.Status != status {
				t.Fatalf("status %d body %q type %q: %#v", status, body, ctype, e)
			}
			if !html {
				continue
			}
			want := catalog.ErrBadResponse
			if transientStatus(status) {
				want = catalog.ErrUnavailable
			}
			if e.Kind != want {
				t.Fatalf("HTML %d (%q, %q) is %v, want %v", status, ctype, body, e.Kind, want)
			}
			if strings.Contains(e.Detail, "<") {
				t.Fatalf("HTML markup in the detail: %q", e.Detail)
			}
		}
	})
}

// A 405 or 415 is not a malformed request: its message says what the
// catalog refused, and it is still a catalog.ErrBadRequest for callers
// that only know the catalog's kinds.
func TestMethodAndBodyTypeRefusalsSayWhat(t *testing.T) {
	t.Parallel()
	c := testClient(t)
	text := http.Header{"Content-Type": {"text/plain"}}
	for status, want := range map[int]string{
		405: "PATCH /x: method not allowed on this resource: Request method not allowed on this resource.",
		415: "PATCH /x: request body type not supported: text/csv",
	} {
		body := "Request method not allowed on this resource.\n"
		if status == 415 {
			body = "The request input type is not supported. Detail: text/csv\n"
		}
		e := c.statusError("PATCH /x", status, text, []byte(body), 1, nil)
		if e.Error() != want {
			t.Errorf("%d: %q, want %q", status, e.Error(), want)
		}
		if !errors.Is(e, catalog.ErrBadRequest) || strings.Contains(e.Error(), catalog.ErrBadRequest.Error()) {
			t.Errorf("%d: %v should be a catalog.ErrBadRequest not labelled %q", status, e, catalog.ErrBadRequest)
		}
	}
}
