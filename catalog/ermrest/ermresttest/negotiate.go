package ermresttest

import (
	"bufio"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

// Content types the fake negotiates.
const (
	ctJSON   = "application/json"
	ctCSV    = "text/csv"
	ctStream = "application/x-json-stream"
	ctText   = "text/plain"
	ctHTML   = "text/html"
)

// negotiate picks a response type from an Accept header exactly as
// webauthn2's negotiated_content_type does: the header is lower-cased and
// split at commas, the entries are sorted by q *ascending* (Python's stable
// sort, so ties keep their order; a q written with spaces around '=' is not
// recognized and counts as 1), and the first entry that is exactly a
// supported type wins. Wildcards match nothing; no match gives def. This is
// why the captured "application/json, text/csv;q=0.5" answered text/csv.
func negotiate(accept string, supported []string, def string) string {
	type pair struct {
		q float64
		t string
	}
	var pairs []pair
	for _, s := range strings.Split(strings.ToLower(accept), ",") {
		parts := strings.Split(s, ";")
		p := pair{q: 1, t: strings.TrimSpace(parts[0])}
		for _, param := range parts[1:] {
			if k, v, ok := strings.Cut(param, "="); ok && k == "q" && !strings.Contains(v, "=") {
				if q, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					p.q = q
				}
			}
		}
		pairs = append(pairs, p)
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].q < pairs[j].q })
	for _, p := range pairs {
		for _, s := range supported {
			if p.t == s {
				return s
			}
		}
	}
	return def
}

// errorWriter carries the request's Accept header to writeError, which
// answers text/html when the client negotiates it (capture error-html) and
// text/plain otherwise.
type errorWriter struct {
	http.ResponseWriter
	accept string
}

// Hijack lets injected faults drop the connection through the wrapper.
func (w *errorWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.ResponseWriter.(http.Hijacker).Hijack()
}

// errorTitles are the <h1> of HTML error pages: werkzeug's status names,
// with webauthn2's overrides for 401 and 403.
var errorTitles = map[int]string{401: "Authentication Required", 403: "Access Forbidden"}

// writeMessage answers an error status with message (no trailing newline),
// rendered through webauthn2's templates: "%(message)s\n" as text/plain, or
// "<html><body><h1>%(title)s</h1><p>%(message)s</p></body></html>\n" as
// text/html when negotiated. The message is not HTML-escaped, as there.
func writeMessage(w http.ResponseWriter, status int, message string) {
	accept := ""
	if ew, ok := w.(*errorWriter); ok {
		accept = ew.accept
	}
	ct := negotiate(accept, []string{ctText, ctHTML}, ctText)
	body := message + "\n"
	if ct == ctHTML {
		title := errorTitles[status]
		if title == "" {
			title = http.StatusText(status)
		}
		body = "<html><body><h1>" + title + "</h1><p>" + message + "</p></body></html>\n"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// dataType is the negotiated type of a data answer: ?accept= (csv, json, or
// a full type) wins over the Accept header; JSON is the default.
func dataType(r *http.Request, opts map[string][]string) string {
	supported := []string{ctCSV, ctJSON, ctStream}
	if v, ok := opts["accept"]; ok && len(v) == 1 {
		switch t := strings.ToLower(v[0]); t {
		case "csv":
			return ctCSV
		case "json":
			return ctJSON
		default:
			return negotiate(t, supported, ctJSON)
		}
	}
	return negotiate(r.Header.Get("Accept"), supported, ctJSON)
}
