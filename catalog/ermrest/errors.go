package ermrest

import (
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/cyclezero/cyclezero/catalog"
)

// notFoundDescription is the fixed first half of every ERMrest 404 body.
const notFoundDescription = "Resource not found."

// maxDetail bounds how much of a server's explanation an error carries.
const maxDetail = 2000

// ParseErrorBody splits an ERMrest text/plain error body
// "{description} Detail: {message}\n" into its two parts. Bodies of 412,
// 405 and 500 have no " Detail: "; Postgres details can span lines, so
// callers match on the status and the fixed description only.
func ParseErrorBody(body string) (description, detail string) {
	body = strings.TrimRight(body, "\r\n")
	if i := strings.Index(body, " Detail:"); i >= 0 {
		return strings.TrimSpace(body[:i]), strings.TrimSpace(body[i+len(" Detail:"):])
	}
	return strings.TrimSpace(body), ""
}

// kindForStatus maps an HTTP status to the catalog's error kind.
func kindForStatus(status int) error {
	switch {
	case status == http.StatusBadRequest:
		return catalog.ErrBadRequest
	case status == http.StatusUnauthorized:
		return catalog.ErrUnauthenticated
	case status == http.StatusForbidden:
		return catalog.ErrForbidden
	case status == http.StatusNotFound:
		return catalog.ErrNotFound
	case status == http.StatusConflict:
		return catalog.ErrConflict
	case status == http.StatusPreconditionFailed:
		return catalog.ErrPrecondition
	case status == http.StatusMethodNotAllowed:
		return ErrMethodNotAllowed
	case status == http.StatusUnsupportedMediaType:
		return ErrUnsupportedBodyType
	case transientStatus(status):
		return catalog.ErrUnavailable
	case status >= 500:
		return catalog.ErrServer
	case status >= 400:
		return catalog.ErrBadRequest
	}
	return catalog.ErrBadResponse
}

// ErrMethodNotAllowed is the kind of ERMrest's 405: the resource does not
// take the request's method. The request was well formed, so "request
// malformed" would mislead; it is still a catalog.ErrBadRequest, a
// mistake in the request (cyclezero's, as it sends only methods ERMrest
// defines).
var ErrMethodNotAllowed error = kindError{"method not allowed on this resource", catalog.ErrBadRequest}

// ErrUnsupportedBodyType is the kind of ERMrest's 415: the request's body
// is of a type the resource does not take. Like ErrMethodNotAllowed it is
// also a catalog.ErrBadRequest.
var ErrUnsupportedBodyType error = kindError{"request body type not supported", catalog.ErrBadRequest}

// transientStatus reports the statuses worth retrying a read on: the service
// (or a gateway in front of it) is temporarily unavailable, or a proxy asks
// the client to slow down (429, which ERMrest itself never sends).
func transientStatus(status int) bool {
	return status == http.StatusServiceUnavailable || status == http.StatusBadGateway ||
		status == http.StatusGatewayTimeout || status == http.StatusTooManyRequests
}

// ErrSchemeMismatch is the kind of a failure to talk to a server because
// the URL's scheme is not the protocol its port speaks: https:// to a
// plain-HTTP server, or http:// to a TLS port. Retrying cannot fix it, so
// it is never retried; it is also a catalog.ErrUnreachable.
var ErrSchemeMismatch error = kindError{"the server speaks another protocol than --host says", catalog.ErrUnreachable}

// tlsPortMarkers are what web servers answer a plain-HTTP request sent to
// their TLS port with (Go's net/http, nginx, Apache httpd), lower-cased.
var tlsPortMarkers = []string{
	"client sent an http request to an https server",
	"plain http request was sent to https port",
	"speaking plain http to an ssl-enabled server port",
}

// tlsPortAnswer reports whether a 400 answer to a plain-HTTP request says
// the port expects TLS.
func tlsPortAnswer(status int, body []byte) bool {
	if status != http.StatusBadRequest {
		return false
	}
	text := strings.ToLower(string(body[:min(len(body), 4096)]))
	for _, m := range tlsPortMarkers {
		if strings.Contains(text, m) {
			return true
		}
	}
	return false
}

// tlsRecordAnswer reports whether a plain-HTTP request got TLS bytes back
// instead of an HTTP response: net/http then fails with `malformed HTTP
// response "\x15\x03…"`, a TLS alert (or \x16, a handshake) record.
func tlsRecordAnswer(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, `malformed HTTP response "\x15\x03`) || strings.Contains(msg, `malformed HTTP response "\x16\x03`)
}

// plainHTTPAnswer reports whether an https:// request got a plain-HTTP
// answer.
func plainHTTPAnswer(err error) bool { return errors.Is(err, http.ErrSchemeMismatch) }

// notTLSAnswer returns the first bytes of the answer when a TLS handshake
// got bytes that are no TLS record: a plain-HTTP server that answers
// without a status line (net/http turns one that starts "HTTP/" into
// http.ErrSchemeMismatch), or another protocol on that port.
func notTLSAnswer(err error) ([]byte, bool) {
	var rh tls.RecordHeaderError
	if !errors.As(err, &rh) {
		return nil, false
	}
	return rh.RecordHeader[:], true
}

// speaksTLSError says that the port at --host expects HTTPS.
func (c *Client) speaksTLSError(op string, status int) *catalog.Error {
	return &catalog.Error{Kind: ErrSchemeMismatch, Status: status, Op: op,
		Detail: "the server at " + c.host + " expects HTTPS (TLS), not plain HTTP",
		Fix:    "this server speaks HTTPS; use --host https://" + c.hostPort()}
}

// speaksPlainHTTPError says that the server at --host answers plain HTTP.
func (c *Client) speaksPlainHTTPError(op string) *catalog.Error {
	e := &catalog.Error{Kind: ErrSchemeMismatch, Op: op,
		Detail: "the server at " + c.host + " answered in plain HTTP, not HTTPS"}
	if c.loopback() {
		e.Fix = "this server speaks plain HTTP; use --host http://" + c.hostPort()
	} else {
		e.Fix = "this server speaks plain HTTP, which cyclezero uses only for a server on this machine (anywhere else " +
			"your login would travel unencrypted): check the port in --host, or use the server's HTTPS address"
	}
	return e
}

// noTLSError says that the server at an https:// --host answered with
// first, bytes that are no TLS: most likely a plain-HTTP server, which
// may answer without a status line, though it may be another protocol.
// Retrying cannot help, so it is an ErrSchemeMismatch as well.
func (c *Client) noTLSError(op string, first []byte) *catalog.Error {
	e := &catalog.Error{Kind: ErrSchemeMismatch, Op: op,
		Detail: fmt.Sprintf("the server at %s did not answer in TLS, as HTTPS needs (its answer began %q)", c.host, first)}
	if c.loopback() {
		e.Fix = "this server does not speak HTTPS; if it speaks plain HTTP, use --host http://" + c.hostPort() +
			", or else check the port"
	} else {
		e.Fix = "this server does not speak HTTPS on that port, and cyclezero uses plain HTTP only for a server on this " +
			"machine (anywhere else your login would travel unencrypted): check the port in --host, or use the server's HTTPS address"
	}
	return e
}

// loopback reports whether the server is on this machine.
func (c *Client) loopback() bool {
	host, _, err := net.SplitHostPort(c.hostPort())
	return err == nil && isLoopback(host)
}

// statusError turns a non-success answer, which came from final (nil or
// --host's own address: from --host itself), into a *catalog.Error with
// the server's explanation and a fix for the user; an answer that is not
// ERMrest's names where a redirect led (see notERMrestFixFrom).
func (c *Client) statusError(op string, status int, header http.Header, body []byte, attempts int, final *url.URL) *catalog.Error {
	if strings.HasPrefix(c.base, "http://") && tlsPortAnswer(status, body) {
		return c.speaksTLSError(op, status)
	}
	e := &catalog.Error{Kind: kindForStatus(status), Status: status, Op: op}
	if mediaType(header) == "text/html" || looksLikeHTML(body) {
		// A proxy's or login page's HTML, not ERMrest (which answers
		// text/plain unless asked for HTML). A gateway saying the service is
		// down is still unavailability; anything else means the host is wrong.
		e.Detail = fmt.Sprintf("HTTP %d with an HTML page, not an ERMrest answer", status)
		if transientStatus(status) {
			e.Fix = c.transientFix(status, attempts, !strings.HasPrefix(op, http.MethodGet+" "))
			return e
		}
		e.Kind, e.Fix = catalog.ErrBadResponse, c.notERMrestFixFrom(final)
		return e
	}
	desc, detail := ParseErrorBody(string(body))
	if status == http.StatusNotFound && desc != notFoundDescription {
		// Every ERMrest 404 starts with its fixed description; a bare "404
		// page not found" comes from some other server at that address.
		e.Kind, e.Fix = catalog.ErrBadResponse, c.notERMrestFixFrom(final)
		e.Detail = c.redact(fmt.Sprintf("HTTP 404 %.120q, not an ERMrest answer", strings.TrimSpace(string(body))))
		return e
	}
	if detail == "" {
		detail = desc
	}
	e.Detail = c.redact(clip(detail))
	e.Fix = c.fixFor(status, e.Detail, op, attempts)
	return e
}

// catalogFlags are the command-line flags that name this catalog, for the
// commands a fix suggests.
func (c *Client) catalogFlags() string {
	return "--host " + c.base + " --catalog " + c.id
}

// fixFor says what the user can do about an error status.
func (c *Client) fixFor(status int, detail, op string, attempts int) string {
	switch status {
	case http.StatusUnauthorized:
		return c.loginFix()
	case http.StatusForbidden:
		if strings.Contains(detail, "previous revision") {
			return "a catalog snapshot is read-only: write to the live catalog instead of " + c.catalogID
		}
		return fmt.Sprintf("your login may not do this on %s; ask the catalog's owner for access "+
			"(check who you are logged in as with: %s catalog whoami %s)", c.host, c.command, c.catalogFlags())
	case http.StatusNotFound:
		switch {
		case strings.HasPrefix(detail, "catalog"):
			return fmt.Sprintf("there is no catalog %q on %s; check --catalog", c.catalogID, c.host)
		case strings.Contains(op, "/entity_rid/"):
			return "no entity has that RID in this catalog (as of the snapshot asked for); check the RID"
		}
		return "check the schema and table names (list them with: " + c.command + " catalog ls " + c.catalogFlags() + ")"
	case http.StatusConflict:
		switch {
		case strings.Contains(detail, "does not exist") || strings.Contains(detail, "not found in model"):
			return "check the name, or list the catalog's tables with: " + c.command + " catalog ls " + c.catalogFlags()
		case strings.Contains(detail, "prior to any known revision"):
			return "that snapshot is older than the catalog's history; use a later one"
		case strings.Contains(detail, "already exists") && !strings.Contains(detail, "duplicate key"):
			// "Requested schema cell-imaging already exists." (capture
			// post-schema-dup); a duplicate row's Postgres detail also says
			// "already exists" and keeps the generic fix below.
			return "it exists already: choose another name, or use the existing one"
		}
		return "the change conflicts with what the catalog holds (a duplicate key, a missing " +
			"referenced row or a required value); fix the data and retry"
	case http.StatusPreconditionFailed:
		return "someone else changed it since it was read: reload it and retry"
	case http.StatusBadRequest:
		return "the catalog rejected the request as malformed; check the names and values given " +
			"(if they look right, this is a cyclezero bug: please report it)"
	case http.StatusMethodNotAllowed:
		// cyclezero only sends methods ERMrest defines for each resource.
		return "the catalog refused the request's method on this resource: this is a cyclezero bug; " +
			"please report it with the request line (" + op + ")"
	case http.StatusUnsupportedMediaType:
		return "the catalog refused the request's body type: this is a cyclezero bug; " +
			"please report it with the request line (" + op + ")"
	case http.StatusNotModified:
		// cyclezero sends no If-None-Match, so only something between it
		// and the catalog could answer "not modified".
		return fmt.Sprintf("the catalog answered \"not modified\" to a request that asked for no cache check; "+
			"a proxy or cache in front of %s may be in the way: try again, and check --host if it persists", c.host)
	}
	if transientStatus(status) {
		return c.transientFix(status, attempts, !strings.HasPrefix(op, http.MethodGet+" "))
	}
	if status >= 500 {
		return fmt.Sprintf("the catalog server at %s failed; try again, and tell its operators if it persists", c.host)
	}
	return fmt.Sprintf("unexpected HTTP %d from %s; check --host, and report it as a cyclezero bug if it persists", status, c.host)
}

// loginFix says how to log in. When a saved token or cookie was sent, the
// server did not accept it, so it says that first: logging in again is
// the fix for an expired login, not a first login.
func (c *Client) loginFix() string {
	how := fmt.Sprintf("deriva-globus-auth-utils login --host %s "+
		"(or `uv run deriva-globus-auth-utils login --host %s` in a DerivaML project)", c.credHost, c.credHost)
	if c.savedLoginSent() {
		return fmt.Sprintf("the saved login for %s in %s was not accepted; "+
			"log in again with: %s", c.credHost, c.credPath, how)
	}
	return fmt.Sprintf("log in with: %s; cyclezero reads the login from %s", how, c.credPath)
}

// savedLoginSent reports whether requests carry a bearer token or cookie
// from the credential file (not one from a username/password login, whose
// refusal is said on its own).
func (c *Client) savedLoginSent() bool {
	return c.cred.bearer != "" || c.cred.cookieValue != ""
}

func (c *Client) notERMrestFix() string {
	return fmt.Sprintf("the server at %s did not answer like an ERMrest catalog (a proxy or login page may be "+
		"in the way); check --host and that %s/ermrest/ opens in a browser", c.host, c.base)
}

// notERMrestFixFrom is notERMrestFix for an answer that came from final:
// when a redirect led off --host, it names where, since that server (often
// a login page) is the one that did not answer like ERMrest.
func (c *Client) notERMrestFixFrom(final *url.URL) string {
	to := c.elsewhere(final)
	if to == "" {
		return c.notERMrestFix()
	}
	return fmt.Sprintf("%s redirected to %s, which did not answer like an ERMrest catalog (a proxy or login page "+
		"may be in the way); check --host and that %s/ermrest/ opens in a browser", c.host, to, c.base)
}

// transientFix says what to do about a status worth retrying a read on. A
// 429 means the request was turned away before the catalog saw it, so even a
// write can simply be sent again later (never by the client itself).
func (c *Client) transientFix(status, attempts int, write bool) string {
	if status != http.StatusTooManyRequests {
		return c.unavailableFix(attempts, write)
	}
	msg := fmt.Sprintf("%s (or a proxy in front of it) is limiting how many requests it takes", c.host) + tried(attempts)
	if write {
		return msg + "; it turned the change away unapplied: wait a minute and send it again"
	}
	return msg + "; wait a minute and try again"
}

func (c *Client) unavailableFix(attempts int, write bool) string {
	msg := fmt.Sprintf("the catalog at %s is temporarily unavailable", c.host) + tried(attempts)
	if write {
		return msg + "; the change may or may not have been applied: check before retrying"
	}
	return msg + "; try again later"
}

// tried says how many times a read was sent, when it was more than once.
func tried(attempts int) string {
	if attempts > 1 {
		return fmt.Sprintf(" (tried %d times)", attempts)
	}
	return ""
}

// badResponse reports an answer the client could not make sense of.
func (c *Client) badResponse(op, format string, args ...any) *catalog.Error {
	return &catalog.Error{Kind: catalog.ErrBadResponse, Op: op, Detail: c.redact(clip(fmt.Sprintf(format, args...))),
		Fix: c.notERMrestFix()}
}

// invalid reports input rejected before anything was sent.
func invalid(op, fix, format string, args ...any) *catalog.Error {
	return &catalog.Error{Kind: catalog.ErrInvalidInput, Op: op, Detail: fmt.Sprintf(format, args...), Fix: fix}
}

// redact removes the caller's secrets from text that may be shown.
func (c *Client) redact(s string) string {
	c.mu.Lock()
	secrets := append(c.cred.secrets(), c.login.secrets()...)
	c.mu.Unlock()
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

func mediaType(h http.Header) string {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return mt
}

func looksLikeHTML(body []byte) bool {
	s := strings.ToLower(strings.TrimSpace(string(body[:min(len(body), 256)])))
	return strings.HasPrefix(s, "<!doctype html") || strings.HasPrefix(s, "<html")
}

// clip bounds s to maxDetail bytes without splitting a UTF-8 sequence.
func clip(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if len(s) <= maxDetail {
		return s
	}
	cut := maxDetail
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// errorf builds a plain error for the Detail of an invalid-input *catalog.Error.
func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
