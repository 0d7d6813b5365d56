// Package ermrest is the catalog.Store of a Deriva server, spoken over
// ERMrest's REST protocol (reference ermrest.md; §0 there was checked against
// a real server). It escapes every name and literal as deriva-py does, reads
// the user's deriva credential file, retries idempotent reads with backoff,
// never retries writes blindly, batches many-value look-ups into few
// requests, and turns ERMrest's text/plain errors into *catalog.Error values
// that say what to do.
package ermrest

import (
	"cmp"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
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
	// MaxAnswerBytes bounds the size of one answer (default 256 MiB, far
	// past any page of rows or model document cyclezero asks for): a
	// server that sends more is no ERMrest catalog, and reading it all
	// would only exhaust memory. Past it a read fails at once with
	// ErrAnswerTooLarge, unretried. Answers that are always small (the
	// login session, the catalog document) are capped lower.
	MaxAnswerBytes int64
	// MaxURLBytes bounds a request URL; longer any(...) lists are split into
	// several requests (default 6000, well under common 8 KB server limits).
	MaxURLBytes int
	// Command is how the fixes in errors spell the cyclezero command
	// ("go run ./cmd/cyclezero" when run that way; default "cyclezero"),
	// so a suggested command can be pasted as it is.
	Command string
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
	maxAnswer int64         // Options.MaxAnswerBytes
	readWait  time.Duration // Options.ReadTimeout
	budget    time.Duration // Options.ReadBudget
	writeWait time.Duration // Options.WriteTimeout
	observe   func(Attempt)
	command   string // Options.Command

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
			return nil, invalid(fmt.Sprintf("catalog id %q", catalogID),
				fmt.Sprintf("give ID@SNAPSHOT with the snapshot as ERMrest writes it (like %s@2PX-WS30-E58W), or just %s for the live catalog", id, id),
				"%q is not a snapshot id: %v", snap, err)
		}
	}
	c := &Client{
		base: u.Scheme + "://" + u.Host, host: u.Host, credHost: credentialHost(host, u.Host),
		catalogID: catalogID, id: id, snap: snap,
		http: opts.HTTPClient, retry: opts.Retry.withDefaults(), maxURL: opts.MaxURLBytes,
		observe: opts.Observe, command: cmp.Or(opts.Command, "cyclezero"), models: map[string]*catalog.Model{},
		readWait: orDefault(opts.ReadTimeout, defaultReadTimeout), budget: orDefault(opts.ReadBudget, defaultReadBudget),
		writeWait: orDefault(opts.WriteTimeout, defaultWriteTimeout),
	}
	if c.http == nil {
		c.http = defaultHTTPClient()
	}
	if c.maxURL <= 0 {
		c.maxURL = 6000
	}
	if c.maxAnswer = opts.MaxAnswerBytes; c.maxAnswer <= 0 {
		c.maxAnswer = defaultMaxAnswer
	}
	// once reads one byte past the cap to tell an answer of exactly the
	// cap from a longer one; at math.MaxInt64 (no cap) that would wrap.
	c.maxAnswer = min(c.maxAnswer, math.MaxInt64-1)
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
	return &http.Client{Transport: t, CheckRedirect: checkRedirect}
}

// checkRedirect follows up to four redirects of a GET and none of a write:
// net/http would turn a redirected POST into a GET, and a write must never
// be silently dropped or replayed, so it sees the 3xx instead.
//
// A redirect that leaves the origin of the first request (another scheme,
// host or port) is followed without the credential. net/http itself only
// compares host names, so it would resend the Authorization and Cookie
// headers set by hand after an https→http downgrade or to another port of
// the same host, in clear text or to another service. Stripping, rather
// than refusing, is what deriva-py does (requests' should_strip_auth), so
// such a redirect reads what deriva-py would read: an anonymous answer.
//
// A redirect to plain http:// on another machine is refused
// (insecureRedirectError), as --host itself would be: its answer could be
// read or changed on the way. So is one from a server elsewhere to this
// machine: a remote server must not make cyclezero read local services.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if via[0].Method != http.MethodGet || len(via) >= 5 {
		return http.ErrUseLastResponse
	}
	if plainRemote(req.URL) {
		return &insecureRedirectError{to: req.URL}
	}
	if isLoopback(req.URL.Hostname()) && !isLoopback(via[0].URL.Hostname()) {
		return &insecureRedirectError{to: req.URL, local: true}
	}
	if origin(req.URL) != origin(via[0].URL) {
		for _, h := range []string{"Authorization", "Cookie", "Cookie2", "Proxy-Authorization"} {
			req.Header.Del(h)
		}
	}
	return nil
}

// origin is u's scheme://host:port, lower-cased, with the scheme's default
// port made explicit so that "https://h" and "https://h:443" compare equal.
func origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
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

// orDefault is d when v is not positive.
func orDefault(v, d time.Duration) time.Duration {
	if v <= 0 {
		return d
	}
	return v
}
