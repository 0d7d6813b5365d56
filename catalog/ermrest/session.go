package ermrest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// sessionDoc is webauthn's GET /authn/session answer (reference ermrest.md
// §6.2). Only client.id and attributes[].id are always present.
type sessionDoc struct {
	Client struct {
		ID          string `json:"id"`
		DisplayName string `json:"display_name"`
		FullName    string `json:"full_name"`
		Email       string `json:"email"`
	} `json:"client"`
	Attributes []struct {
		ID string `json:"id"`
	} `json:"attributes"`
}

// noSession is webauthn's whole text/plain answer to GET /authn/session
// when there is no login session (capture authn_session_GET_anonymous_404).
const noSession = "No existing login session found."

// Whoami asks webauthn who the caller is. No session (404) means anonymous,
// not an error — unless a saved token or cookie was sent: a bogus, expired
// or revoked one gets that same 404 (ermrest.md §0), and the user needs to
// hear that their login was not accepted, so that is ErrLoginRefused (an
// ErrUnauthenticated) with the log-in-again fix. Only webauthn's own text/plain 404 counts: any
// other 404 (a proxy's HTML page, a server without /authn) means the host
// is not a Deriva server, and is an ErrBadResponse instead of a silent
// "anonymous".
func (c *Client) Whoami(ctx context.Context) (catalog.Identity, error) {
	r := request{method: http.MethodGet, path: "/authn/session", limit: smallAnswer}
	resp, err := c.do(ctx, r, http.StatusNotFound)
	if err != nil {
		return catalog.Identity{}, err
	}
	if resp.status == http.StatusNotFound {
		if mediaType(resp.header) == "text/plain" && strings.TrimRight(string(resp.body), "\r\n") == noSession {
			if resp.credentialed && c.savedLoginSent() {
				return catalog.Identity{}, &catalog.Error{Kind: ErrLoginRefused, Status: resp.status,
					Op: r.op(), Detail: noSession, Fix: c.loginFix()}
			}
			return catalog.Identity{Anonymous: true}, nil
		}
		e := c.statusError(r.op(), resp.status, resp.header, resp.body, 1, resp.final)
		e.Kind, e.Fix = catalog.ErrBadResponse, c.notERMrestFixFrom(resp.final)
		if mediaType(resp.header) != "text/html" && !looksLikeHTML(resp.body) {
			e.Detail = fmt.Sprintf("HTTP 404 %.120q, not webauthn's %q", strings.TrimSpace(string(resp.body)), noSession)
		}
		return catalog.Identity{}, e
	}
	var doc sessionDoc
	if err := c.decodeJSON(r.op(), resp, &doc); err != nil {
		return catalog.Identity{}, err
	}
	if doc.Client.ID == "" {
		return catalog.Identity{}, c.badResponse(r.op(), "the session names no client id")
	}
	id := catalog.Identity{ID: doc.Client.ID, DisplayName: doc.Client.DisplayName,
		FullName: doc.Client.FullName, Email: doc.Client.Email}
	for _, a := range doc.Attributes {
		if a.ID != "" && a.ID != doc.Client.ID {
			id.Groups = append(id.Groups, a.ID)
		}
	}
	return id, nil
}

// ensureLogin performs the username/password login deriva-py does for a
// credential entry that has no token or cookie: POST /authn/session with
// the two form fields, keeping the webauthn cookie it sets. Done once; a
// failed login is retried on the next call.
func (c *Client) ensureLogin(ctx context.Context) error {
	c.mu.Lock()
	need := c.cred.username != "" && c.cred.bearer == "" && c.cred.cookieValue == "" && c.login.cookieValue == ""
	c.mu.Unlock()
	if !need {
		return nil
	}
	form := url.Values{"username": {c.cred.username}, "password": {c.cred.password}}
	r := request{method: http.MethodPost, path: "/authn/session", body: []byte(form.Encode()), form: true,
		limit: smallAnswer}
	resp, status, err := c.once(ctx, r, c.writeWait, c.writeWait)
	c.note(r, 1, status, err, false, 0)
	if err != nil {
		return c.transportError(ctx, r, err, 1)
	}
	if resp.status != http.StatusOK {
		e := c.statusError(r.op(), resp.status, resp.header, resp.body, 1, resp.final)
		// A 401 in webauthn's words refuses the password; one that is not
		// ERMrest's at all (a proxy's HTML page) keeps statusError's
		// bad-response kind and fix, which say so.
		if resp.status == http.StatusUnauthorized && errors.Is(e.Kind, catalog.ErrUnauthenticated) {
			e.Kind = ErrLoginRefused
			e.Fix = "the username and password in " + c.credPath + " for " + c.credHost +
				" were refused; fix them, or " + c.loginFix()
		}
		return e
	}
	for _, ck := range (&http.Response{Header: resp.header}).Cookies() {
		if ck.Name == "webauthn" && ck.Value != "" {
			c.mu.Lock()
			c.login = credential{cookieName: ck.Name, cookieValue: ck.Value}
			c.mu.Unlock()
			return nil
		}
	}
	return c.badResponse(r.op(), "the login answer set no webauthn cookie")
}

// decodeJSON decodes a JSON answer, insisting it is JSON.
func (c *Client) decodeJSON(op string, resp *response, v any) error {
	if mt := mediaType(resp.header); mt != "" && mt != "application/json" {
		return c.badResponse(op, "expected JSON, got %s: %.120q", mt, strings.TrimSpace(string(resp.body)))
	}
	if err := json.Unmarshal(resp.body, v); err != nil {
		return c.badResponse(op, "malformed or truncated JSON (%d bytes): %v", len(resp.body), err)
	}
	return nil
}
