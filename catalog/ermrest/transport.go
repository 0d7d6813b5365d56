package ermrest

// Failures to get an answer at all (no HTTP status): what they mean and
// what the user can do about them.

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
)

// transportError wraps a failure to get an answer at all.
func (c *Client) transportError(ctx context.Context, r request, err error, tries int) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", r.op(), ctx.Err())
	}
	var cut *noAnswerError
	if errors.As(err, &cut) {
		return c.noAnswer(r.op(), cut, r.method != http.MethodGet, tries)
	}
	if tlsHandshakeTimeout(err) {
		// The transport's own handshake timeout, not the watchdog's: the
		// server took the connection and never finished the handshake,
		// the HTTPS form of taking it and never answering.
		return c.noAnswer(r.op(), &noAnswerError{after: c.handshakeWait(), connected: true, handshake: true},
			r.method != http.MethodGet, tries)
	}
	var large *tooLargeError
	if errors.As(err, &large) {
		return c.tooLarge(r.op(), large)
	}
	var insecure *insecureRedirectError
	if errors.As(err, &insecure) {
		return c.insecureRedirect(r.op(), insecure)
	}
	// A redirect that led off --host's server: what failed is there.
	where, there := c.host, ""
	if to := c.redirectedHost(err); to != "" {
		where, there = to, " ("+c.host+" redirected there)"
	}
	if detail, ok := certificateProblem(err); ok {
		return &catalog.Error{Kind: ErrUntrustedCertificate, Op: r.op(), Detail: detail,
			// The message already says the certificate is not trusted and why;
			// the fix only says what to do.
			Fix: "check the host name (" + c.host + "), or install the CA that signed it " +
				"(in the system's trust store, or name its file in SSL_CERT_FILE)"}
	}
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		e := &catalog.Error{Kind: catalog.ErrUnreachable, Op: r.op(), Detail: "no server is named " + dns.Name + there,
			Fix: "check the host name (for example --host www.example.org)"}
		if there != "" {
			e.Fix = "the server at " + c.host + " sent the request to a host name that does not exist; " +
				"check --host, and tell the server's operators if it is right"
		}
		return e
	}
	if plainHTTPAnswer(err) {
		return c.speaksPlainHTTPError(r.op())
	}
	if first, ok := notTLSAnswer(err); ok && strings.HasPrefix(c.base, "https://") {
		return c.noTLSError(r.op(), first)
	}
	if strings.HasPrefix(c.base, "http://") && (tlsRecordAnswer(err) || c.speaksTLS(ctx, err)) {
		return c.speaksTLSError(r.op(), 0)
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		e := &catalog.Error{Kind: catalog.ErrUnreachable, Op: r.op(), Detail: "nothing is listening at " + where + there,
			Fix: "check the host and port, and that the server is running"}
		if there != "" {
			e.Fix = "the server at " + c.host + " sent the request where no server is running; " +
				"check --host, and tell the server's operators if it is right"
		}
		return e
	}
	detail := c.redact(err.Error())
	// url.Error repeats the method and URL we already put in Op.
	var ue *url.Error
	if errors.As(err, &ue) {
		detail = c.redact(ue.Err.Error())
	}
	return &catalog.Error{Kind: catalog.ErrUnavailable, Op: r.op(), Detail: detail,
		Fix: c.unavailableFix(tries, r.method != http.MethodGet) + "; check the network and that " + c.host + " is reachable"}
}

// hostPort is the server's host:port, the port explicit (the scheme's
// default when --host gave none), as a fix must name it once the scheme
// changes.
func (c *Client) hostPort() string {
	if _, _, err := net.SplitHostPort(c.host); err == nil {
		return c.host
	}
	port := "443"
	if strings.HasPrefix(c.base, "http://") {
		port = "80"
	}
	return net.JoinHostPort(strings.Trim(c.host, "[]"), port)
}

// tlsProbeTimeout bounds the handshake speaksTLS tries.
const tlsProbeTimeout = 2 * time.Second

// speaksTLS reports, after a plain-HTTP request got no answer at all (the
// connection was closed or reset, as a TLS server does with bytes that are
// not a handshake), whether the port completes a TLS handshake. The probe
// sends nothing else: no request, no credential, so not verifying the
// certificate here exposes nothing; it only picks the fix to suggest.
func (c *Client) speaksTLS(ctx context.Context, err error) bool {
	if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, syscall.ECONNRESET) {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, tlsProbeTimeout)
	defer cancel()
	d := tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true}} //nolint:gosec // a handshake probe only; see above
	conn, derr := d.DialContext(ctx, "tcp", c.hostPort())
	if derr != nil {
		return false
	}
	_ = conn.Close()
	return true
}

// tlsHandshakeTimeout reports whether err is net/http's "TLS handshake
// timeout" (an unexported type, so known by its timeout and message).
func tlsHandshakeTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() && strings.Contains(err.Error(), "TLS handshake timeout")
}

// handshakeWait is how long the client's transport waits for a TLS
// handshake, or 0 when that cannot be known.
func (c *Client) handshakeWait() time.Duration {
	switch t := c.http.Transport.(type) {
	case *http.Transport:
		return t.TLSHandshakeTimeout
	case nil:
		if dt, ok := http.DefaultTransport.(*http.Transport); ok {
			return dt.TLSHandshakeTimeout
		}
	}
	return 0
}
