package ermrest

// Sending a request: one logical call (request), its tries (do, once) and
// what the caller's Observe hook is told about each.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"
)

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
	// limit, when set, caps the answer's size below the client's
	// Options.MaxAnswerBytes, for answers that are always small.
	limit int64
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
	// credentialed: the request this answers carried a credential (a
	// redirect off the catalog's origin strips it, see checkRedirect).
	credentialed bool
	// final is the URL that answered: the request's own, or where
	// redirects led.
	final *url.URL
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
			lastErr = c.answerError(r.op(), resp, try)
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

// once sends one HTTP attempt and reads the whole answer, up to the size
// limit for r (a *tooLargeError past it). The try is cut off when the
// answer's headers take longer than headerWait to come, or its body pauses
// for longer than bodyWait. status is the answer's status, 0 when none
// arrived.
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
	final := req // the last request of any redirects, when the transport says
	if res.Request != nil {
		final = res.Request
	}
	dog.answered()
	limit := c.answerLimit(r)
	// One byte past the limit tells an answer of exactly limit bytes from
	// a longer one.
	data, err := io.ReadAll(io.LimitReader(dog.body(res.Body), limit+1))
	if err != nil {
		return nil, res.StatusCode, cutOff(tctx, ctx, err)
	}
	if int64(len(data)) > limit {
		return nil, res.StatusCode, &tooLargeError{limit: limit, from: final.URL}
	}
	credentialed := final.Header.Get("Authorization") != "" || final.Header.Get("Cookie") != ""
	return &response{status: res.StatusCode, header: res.Header, body: data, credentialed: credentialed,
		final: final.URL}, res.StatusCode, nil
}

// note tells Options.Observe, when set, about one try of r.
func (c *Client) note(r request, try, status int, err error, retrying bool, backoff time.Duration) {
	if c.observe == nil {
		return
	}
	c.observe(Attempt{Method: r.method, URL: r.uri(), Try: try, Status: status, Err: err,
		Retrying: retrying, Backoff: backoff})
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
