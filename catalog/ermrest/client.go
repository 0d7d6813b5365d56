// Package ermrest is the catalog.Store of a Deriva server, spoken over
// ERMrest's REST protocol (reference ermrest.md; §0 there was checked against
// a real server). It escapes every name and literal as deriva-py does, reads
// the user's deriva credential file, retries idempotent reads with backoff,
// never retries writes blindly, batches many-value look-ups into few
// requests, and turns ERMrest's text/plain errors into *catalog.Error values
// that say what to do.
package ermrest

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
)

// Options tune a Client. The zero value is ready for a real server.
type Options struct {
	// HTTPClient sends the requests (default: one with connection timeouts).
	HTTPClient *http.Client
	// CredentialFile overrides the path of deriva's credential file.
	CredentialFile string
	// HomeDir overrides the home directory holding .deriva/credential.json.
	HomeDir string
	// Retry bounds the retries of idempotent reads.
	Retry RetryPolicy
	// ReadTimeout bounds how long one try of a read waits for the server to
	// start answering, and then for each next part of a started answer
	// (default 30s). An answer that keeps arriving is never cut off.
	ReadTimeout time.Duration
	// ReadBudget bounds the time one read spends on its tries and the waits
	// between them (default 90s): no retry starts once too little of it is
	// left, and the last try's wait for an answer ends with it.
	ReadBudget time.Duration
	// WriteTimeout is ReadTimeout for writes (default 2m): the server may
	// take long over a change, and a write is never retried.
	WriteTimeout time.Duration
	// MaxURLBytes bounds a request URL; longer any(...) lists are split into
	// several requests (default 6000, well under common 8 KB server limits).
	MaxURLBytes int
	// Observe, when set, is told about every HTTP attempt, after it ended
	// and before any retry (for tests, request counting, or a "retrying…"
	// notice). It never sees credentials.
	Observe func(Attempt)
}

// Attempt describes one HTTP exchange.
type Attempt struct {
	Method string
	URL    string // path and query as sent, without host or credentials
	Try    int    // 1 for the first try of a request
	Status int    // 0 when no answer arrived
	Err    error  // transport error, if any
	// Retrying is set when the request will be sent again, after Backoff.
	Retrying bool
	Backoff  time.Duration
}

// Client is a catalog.Store backed by an ERMrest catalog over HTTP(S). It is
// safe for concurrent use.
type Client struct {
	base      string // scheme://host[:port]
	host      string // host[:port], for messages
	credHost  string // the credential file key looked up: the host as the user spelled it
	catalogID string // as given, possibly "N@snap"
	id, snap  string // catalogID split at '@'
	credPath  string
	cred      credential
	http      *http.Client
	retry     RetryPolicy
	maxURL    int
	readWait  time.Duration // Options.ReadTimeout
	budget    time.Duration // Options.ReadBudget
	writeWait time.Duration // Options.WriteTimeout
	observe   func(Attempt)

	mu     sync.Mutex
	models map[string]*catalog.Model // decoded model documents by snapshot ("" = live); never handed out
	login  credential                // cookie obtained from a username/password login
}

var _ catalog.Store = (*Client)(nil)

// New connects to catalog catalogID on host. host is a name ("example.org",
// HTTPS), an https:// URL, or an explicit http:// URL of a loopback server
// ("http://127.0.0.1:8080"). catalogID may carry a snapshot ("1@2PX-WS30-E58W"),
// as deriva-py's connect_ermrest accepts; reads then default to it and
// writes are refused by the server. Nothing is sent until the first call.
func New(host, catalogID string, opts Options) (*Client, error) {
	u, err := parseHost(host)
	if err != nil {
		return nil, err
	}
	catalogID = strings.TrimSpace(catalogID)
	id, snap, _ := strings.Cut(catalogID, "@")
	if err := ValidateCatalogID(id); err != nil {
		return nil, err
	}
	if snap != "" {
		if _, err := catalog.DecodeRID(snap); err != nil {
			return nil, fmt.Errorf("catalog id %q: %q is not a snapshot id: %w", catalogID, snap, err)
		}
	}
	c := &Client{
		base: u.Scheme + "://" + u.Host, host: u.Host, credHost: credentialHost(host, u.Host),
		catalogID: catalogID, id: id, snap: snap,
		http: opts.HTTPClient, retry: opts.Retry.withDefaults(), maxURL: opts.MaxURLBytes,
		observe: opts.Observe, models: map[string]*catalog.Model{},
		readWait: orDefault(opts.ReadTimeout, defaultReadTimeout), budget: orDefault(opts.ReadBudget, defaultReadBudget),
		writeWait: orDefault(opts.WriteTimeout, defaultWriteTimeout),
	}
	if c.http == nil {
		c.http = defaultHTTPClient()
	}
	if c.maxURL <= 0 {
		c.maxURL = 6000
	}
	c.credPath = opts.CredentialFile
	if c.credPath == "" {
		if c.credPath, err = defaultCredentialPath(opts.HomeDir); err != nil {
			return nil, err
		}
	}
	if c.cred, err = loadCredential(c.credPath, c.credHost); err != nil {
		return nil, err
	}
	return c, nil
}

// credentialHost is the credential file key for host as the user spelled
// it: deriva-py's get_credential looks up the host name as given, then its
// lower-case form (credentials.get(host, credentials.get(host.lower()))), so
// the case must survive NormalizeHost's lower-casing. normalized is the
// fallback when the spelling cannot be recovered.
func credentialHost(typed, normalized string) string {
	s := strings.TrimSpace(typed)
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s) // url.Parse keeps the host's case
	if err != nil || !strings.EqualFold(u.Host, normalized) {
		return normalized
	}
	return u.Host
}

// parseHost accepts "name", "name:port", "https://name[:port][/]" and
// "http://<loopback>[:port][/]".
func parseHost(host string) (*url.URL, error) {
	base, err := NormalizeHost(host)
	if err != nil {
		return nil, fmt.Errorf("catalog %w", err)
	}
	return url.Parse(base)
}

func defaultHTTPClient() *http.Client {
	// No ResponseHeaderTimeout: each try has its own watchdog (see do), as
	// reads and writes wait differently long.
	t := http.DefaultTransport.(*http.Transport).Clone()
	return &http.Client{Transport: t, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		// net/http would turn a redirected POST into a GET; a write must
		// never be silently dropped or replayed, so it sees the 3xx instead.
		if via[0].Method != http.MethodGet || len(via) >= 5 {
			return http.ErrUseLastResponse
		}
		return nil
	}}
}

// Describe says which catalog this is, e.g. "https://example.org catalog 1".
func (c *Client) Describe() string {
	return fmt.Sprintf("%s catalog %s", c.base, c.catalogID)
}

// Close releases idle connections.
func (c *Client) Close() error {
	c.http.CloseIdleConnections()
	return nil
}

// catalogPath is "/ermrest/catalog/{id}[@{snap}]" for a read at snapshot at
// ("" means the client's default: live or the snapshot it was opened at).
func (c *Client) catalogPath(at string) string {
	if at == "" {
		at = c.snap
	}
	p := "/ermrest/catalog/" + Escape(c.id)
	if at != "" {
		p += "@" + Escape(at)
	}
	return p
}

// request is one logical call; do may send it several times.
type request struct {
	method string
	path   string // escaped path, starting with '/'
	query  string // raw query, without '?'
	body   []byte // JSON, or a form when form is set
	form   bool
	// ifMatch, when set, is sent as If-Match: the ETag the resource must
	// still carry (ERMrest answers 412 and changes nothing otherwise).
	ifMatch string
}

// uri is the path and query as sent.
func (r request) uri() string {
	if r.query != "" {
		return r.path + "?" + r.query
	}
	return r.path
}

// op names the call in errors: "METHOD uri".
func (r request) op() string { return r.method + " " + r.uri() }

// response is an answer with a success status (2xx) or one of the statuses
// a call said it handles itself.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends r, retrying a GET on transient failures within the read budget,
// and returns a 2xx answer or one whose status is in accept. Other statuses
// become *catalog.Error.
func (c *Client) do(ctx context.Context, r request, accept ...int) (*response, error) {
	if err := c.ensureLogin(ctx); err != nil {
		return nil, err
	}
	read := r.method == http.MethodGet
	attempts, wait := 1, c.writeWait
	if read {
		attempts, wait = c.retry.Attempts, c.readWait
	}
	deadline := time.Now().Add(c.budget)
	var lastErr error
	for try := 1; ; try++ {
		headerWait := wait
		if read {
			headerWait = min(wait, time.Until(deadline))
		}
		resp, status, err := c.once(ctx, r, headerWait, wait)
		retryable := false
		var after time.Duration // the server's Retry-After
		switch {
		case err != nil:
			lastErr = c.transportError(ctx, r, err, try)
			retryable = transientNetError(ctx, err) && !errors.Is(lastErr, ErrSchemeMismatch)
		case resp.status >= 200 && resp.status < 300 || slices.Contains(accept, resp.status):
			c.note(r, try, status, nil, false, 0)
			return resp, nil
		default:
			lastErr = c.statusError(r.op(), resp.status, resp.header, resp.body, try)
			retryable = transientStatus(resp.status)
			after = retryAfter(resp.header)
		}
		var backoff time.Duration
		if retryable && try < attempts {
			backoff = c.retry.backoff(try, after)
			// A retry needs a fair part of a try's wait left in the budget;
			// one cut off at once would only add a misleading attempt.
			retryable = time.Until(deadline)-backoff >= wait/2
		} else {
			retryable = false
		}
		c.note(r, try, status, err, retryable, backoff)
		if !retryable {
			return nil, lastErr
		}
		if err := sleep(ctx, backoff); err != nil {
			return nil, fmt.Errorf("%s: %w (while waiting to retry after: %v)", r.op(), err, lastErr)
		}
	}
}

// once sends one HTTP attempt and reads the whole answer. The try is cut
// off when the answer's headers take longer than headerWait to come, or
// its body pauses for longer than bodyWait. status is the answer's status,
// 0 when none arrived.
func (c *Client) once(ctx context.Context, r request, headerWait, bodyWait time.Duration) (resp *response, status int, err error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	tctx, dog, stop := watch(ctx, headerWait, bodyWait)
	defer stop()
	req, err := http.NewRequestWithContext(tctx, r.method, c.base, body)
	if err != nil {
		return nil, 0, err
	}
	// Opaque keeps the path byte-for-byte as escaped (sent in origin form,
	// since it starts with a single '/'): ERMrest reparses the raw request
	// URI, so Go must not re-escape or unescape any of it.
	req.URL.Opaque = r.path
	req.URL.RawQuery = r.query
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "cyclezero")
	if r.ifMatch != "" {
		req.Header.Set("If-Match", r.ifMatch)
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
		if r.form {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	c.credentialFor().apply(req.Header)
	res, err := c.http.Do(req)
	if err != nil {
		return nil, 0, cutOff(tctx, ctx, err)
	}
	defer res.Body.Close()
	dog.answered()
	data, err := io.ReadAll(dog.body(res.Body))
	if err != nil {
		return nil, res.StatusCode, cutOff(tctx, ctx, err)
	}
	return &response{status: res.StatusCode, header: res.Header, body: data}, res.StatusCode, nil
}

func (c *Client) note(r request, try, status int, err error, retrying bool, backoff time.Duration) {
	if c.observe == nil {
		return
	}
	c.observe(Attempt{Method: r.method, URL: r.uri(), Try: try, Status: status, Err: err,
		Retrying: retrying, Backoff: backoff})
}

// orDefault is d when v is not positive.
func orDefault(v, d time.Duration) time.Duration {
	if v <= 0 {
		return d
	}
	return v
}

// credentialFor picks the file's credential, or the cookie a
// username/password login produced.
func (c *Client) credentialFor() credential {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.login.cookieValue != "" {
		return c.login
	}
	return c.cred
}

// transportError wraps a failure to get an answer at all.
func (c *Client) transportError(ctx context.Context, r request, err error, tries int) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", r.op(), ctx.Err())
	}
	var cut *noAnswerError
	if errors.As(err, &cut) {
		return c.noAnswer(r.op(), cut, r.method != http.MethodGet, tries)
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
		return &catalog.Error{Kind: catalog.ErrUnreachable, Op: r.op(), Detail: "no server is named " + dns.Name,
			Fix: "check the host name (for example --host www.example.org)"}
	}
	if plainHTTPAnswer(err) {
		return c.speaksPlainHTTPError(r.op())
	}
	if strings.HasPrefix(c.base, "http://") && (tlsRecordAnswer(err) || c.speaksTLS(ctx, err)) {
		return c.speaksTLSError(r.op(), 0)
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return &catalog.Error{Kind: catalog.ErrUnreachable, Op: r.op(), Detail: "nothing is listening at " + c.host,
			Fix: "check the host and port, and that the server is running"}
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
