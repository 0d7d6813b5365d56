package ermrest

// Redirects: which are followed (checkRedirect, in client.go), and what a
// failure after one says, since the fix for a server that sent the
// request elsewhere is to name that place in --host, not to log in again.

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// ErrLoginRefused is the kind of a 401 (or webauthn's "no session" 404, or
// a refused username/password login) answered to a request that carried
// a credential from deriva's credential file: the saved login was sent and
// not accepted, so logging in again is the fix. A 401 to a request that
// carried none (there is no saved login, or a redirect to another origin
// left it behind) keeps the plain catalog.ErrUnauthenticated kind, which
// this one also is.
var ErrLoginRefused error = kindError{"the saved login was not accepted", catalog.ErrUnauthenticated}

// ErrInsecureRedirect is the kind of a redirect that is not followed: to
// plain http:// on another machine (cyclezero speaks plain HTTP only to a
// server on this machine, since anywhere else the answer could be read or
// changed on the way), or from a server elsewhere to this machine (which
// would have a remote server make cyclezero read local services).
// Retrying cannot help, so it is never retried; it is also a
// catalog.ErrBadResponse.
var ErrInsecureRedirect error = kindError{"redirect not followed", catalog.ErrBadResponse}

// insecureRedirectError is checkRedirect's refusal of a redirect to to;
// local says it was refused for leading from elsewhere to this machine.
type insecureRedirectError struct {
	to    *url.URL
	local bool
}

func (e *insecureRedirectError) Error() string {
	if e.local {
		return "refused a redirect from another machine to this one (" + e.to.Scheme + "://" + e.to.Host + ")"
	}
	return "refused a redirect to plain HTTP on another machine (" + e.to.Scheme + "://" + e.to.Host + ")"
}

// plainRemote reports whether u is plain http:// to a host not on this
// machine, which host.go's NormalizeHost refuses as --host.
func plainRemote(u *url.URL) bool {
	return strings.EqualFold(u.Scheme, "http") && !isLoopback(u.Hostname())
}

// answerError is statusError for an answer to op, told where the answer
// came from and whether the request carried the credential: a 401 or 403
// from where a redirect led, without the credential, says so instead of
// blaming the saved login; a 401 to a request that carried one is an
// ErrLoginRefused.
func (c *Client) answerError(op string, resp *response, attempts int) *catalog.Error {
	e := c.statusError(op, resp.status, resp.header, resp.body, attempts, resp.final)
	if !errors.Is(e.Kind, catalog.ErrUnauthenticated) && !errors.Is(e.Kind, catalog.ErrForbidden) {
		return e
	}
	if to := c.elsewhere(resp.final); to != "" {
		e.Fix = c.redirectedFix(to)
		return e
	}
	if resp.status == http.StatusUnauthorized && resp.credentialed {
		e.Kind = ErrLoginRefused
	}
	return e
}

// elsewhere is u's scheme://host when it is not the client's own origin
// (a redirect led there), else "".
func (c *Client) elsewhere(u *url.URL) string {
	base, err := url.Parse(c.base)
	if u == nil || err != nil || origin(u) == origin(base) {
		return ""
	}
	return strings.ToLower(u.Scheme) + "://" + u.Host
}

// redirectedFix says that the server at --host sent the request to to,
// which is where --host should point.
func (c *Client) redirectedFix(to string) string {
	fix := fmt.Sprintf("%s redirected to %s", c.host, to)
	if c.savedLoginSent() || c.cred.username != "" {
		fix += ", where your saved login is not sent"
	}
	return fix + fmt.Sprintf("; use --host %s (%s resume SLUG --host %s to repoint a session)", to, c.command, to)
}

// redirectedHost is the host (and port) a failed request was sent to
// when a redirect led it off the client's origin, else "": err is the
// transport's failure, a *url.Error naming the URL that failed. (The
// client's own requests have an opaque URL, which names no host.)
func (c *Client) redirectedHost(err error) string {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return ""
	}
	u, perr := url.Parse(ue.URL)
	if perr != nil || u.Host == "" || c.elsewhere(u) == "" {
		return ""
	}
	return u.Host
}

// insecureRedirect turns checkRedirect's refusal into the *catalog.Error a
// user reads.
func (c *Client) insecureRedirect(op string, e *insecureRedirectError) *catalog.Error {
	if e.local {
		return &catalog.Error{Kind: ErrInsecureRedirect, Op: op,
			Detail: fmt.Sprintf("%s redirected to %s, on this machine, which cyclezero does not follow from a server elsewhere",
				c.host, e.to.Scheme+"://"+e.to.Host),
			Fix: "check --host: a Deriva server does not send its clients to their own machine"}
	}
	to := "http://" + e.to.Host
	return &catalog.Error{Kind: ErrInsecureRedirect, Op: op,
		Detail: fmt.Sprintf("%s redirected to %s, plain HTTP on another machine, which cyclezero does not follow", c.host, to),
		Fix: "plain http:// is only used for a server on this machine (anywhere else the answer could be read or " +
			"changed on the way); check --host, and use the server's HTTPS address"}
}
