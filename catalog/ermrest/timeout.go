package ermrest

import (
	"context"
	"fmt"
	"io"
	"net/http/httptrace"
	"sync/atomic"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
)

// Default timeouts (see Options). A read that gets no answer is retried, so
// its wait is short and the retries share a budget: a server that accepts
// connections but never answers fails a read in about 90 seconds, not after
// attempts × minutes (sooner when it never completes the TLS handshake: the
// default transport gives up a handshake after 10 seconds, so the 4 tries
// end in about 41). A write is never retried and may legitimately keep
// the server busy, so it waits longer, once.
const (
	defaultReadTimeout  = 30 * time.Second
	defaultReadBudget   = 90 * time.Second
	defaultWriteTimeout = 2 * time.Minute
)

// ErrNoAnswer is the kind of a failure where the server accepted the
// connection but sent no answer (or stopped sending one) in time. It is
// also a catalog.ErrUnavailable: reads were retried, and trying later may
// work.
var ErrNoAnswer error = kindError{"no answer from the catalog server", catalog.ErrUnavailable}

// noAnswerError is the failure of one try that a watchdog cut off. It is a
// net.Error timeout, so reads retry it like other timeouts; it does not
// wrap context.Canceled, which would mean the caller gave up.
type noAnswerError struct {
	after     time.Duration // the wait that ran out
	connected bool          // a connection to the server was made
	answering bool          // the response headers had arrived; the body stalled
	// handshake: the transport's TLS handshake timeout (after) ended the
	// try, not the watchdog; nothing of the request was sent.
	handshake bool
}

func (e *noAnswerError) Error() string {
	switch {
	case e.answering:
		return fmt.Sprintf("the answer stopped arriving for %v", e.after)
	case e.connected:
		return fmt.Sprintf("no answer within %v", e.after)
	}
	return fmt.Sprintf("no connection within %v", e.after)
}

// Timeout marks the failure as a timeout (net.Error).
func (e *noAnswerError) Timeout() bool { return true }

// Temporary is part of net.Error.
func (e *noAnswerError) Temporary() bool { return true }

// noAnswer turns a cut-off try into the *catalog.Error a user reads. tries
// is how many times a read was sent.
func (c *Client) noAnswer(op string, e *noAnswerError, write bool, tries int) *catalog.Error {
	// The configured wait, not e.after: the budget may have shortened the
	// last try's.
	wait := c.readWait
	if write {
		wait = c.writeWait
	}
	within := fmt.Sprintf("within %v", wait)
	if e.handshake { // the transport's wait, the same for every try
		within = "in time"
		if e.after > 0 {
			within = fmt.Sprintf("within %v", e.after)
		}
	}
	var what string
	switch {
	case e.answering:
		what = fmt.Sprintf("the server at %s started to answer but sent nothing more for %v", c.host, wait)
	case e.connected:
		what = fmt.Sprintf("the server at %s accepted the connection but did not answer %s", c.host, within)
	default:
		what = fmt.Sprintf("the server at %s did not accept a connection %s", c.host, within)
	}
	if write && e.handshake {
		// The request is sent only once the handshake is done.
		return &catalog.Error{Kind: ErrNoAnswer, Op: op, Detail: what, NotApplied: true,
			Fix: "the change was not sent, so it was not applied: check the server, or try again later"}
	}
	if write {
		return &catalog.Error{Kind: ErrNoAnswer, Op: op, Detail: what,
			Fix: "the change may or may not have been applied: check the server, and check the catalog before retrying"}
	}
	if tries == 1 {
		what += " (1 attempt)"
	} else {
		what += fmt.Sprintf(" (%d attempts)", tries)
	}
	return &catalog.Error{Kind: ErrNoAnswer, Op: op, Detail: what, Fix: "check the server or try again later"}
}

// watchdog cuts off one try that waits too long for the server: first for
// the response headers (headerWait), then between two reads of the body
// (bodyWait). A large answer that keeps arriving is never cut off, however
// long it takes in all.
type watchdog struct {
	timer     *time.Timer
	bodyWait  time.Duration
	connected atomic.Bool
	answering atomic.Bool
}

// watch returns ctx with the watchdog attached, and a stop function the
// caller must call when the try is over.
func watch(ctx context.Context, headerWait, bodyWait time.Duration) (context.Context, *watchdog, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	w := &watchdog{bodyWait: bodyWait}
	w.timer = time.AfterFunc(max(headerWait, 0), func() {
		e := &noAnswerError{after: headerWait, connected: w.connected.Load(), answering: w.answering.Load()}
		if e.answering {
			e.after = bodyWait
		}
		cancel(e)
	})
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		// ConnectDone comes before any TLS handshake, GotConn after it:
		// either means the server took the connection.
		ConnectDone: func(_, _ string, err error) {
			if err == nil {
				w.connected.Store(true)
			}
		},
		GotConn: func(httptrace.GotConnInfo) { w.connected.Store(true) },
	})
	return ctx, w, func() {
		w.timer.Stop()
		cancel(nil)
	}
}

// answered switches the watchdog from the headers to the body.
func (w *watchdog) answered() {
	w.answering.Store(true)
	w.timer.Reset(w.bodyWait)
}

// body wraps an answer's body so that each read that brings bytes restarts
// the watchdog's wait.
func (w *watchdog) body(r io.Reader) io.Reader { return &progressReader{r: r, w: w} }

type progressReader struct {
	r io.Reader
	w *watchdog
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.w.timer.Reset(p.w.bodyWait)
	}
	return n, err
}

// cutOff returns the watchdog's failure when it ended the try that failed
// with err in ctx (the watched context), else err. A caller that gave up
// (parent context done) keeps its own error.
func cutOff(ctx, parent context.Context, err error) error {
	if err == nil || parent.Err() != nil {
		return err
	}
	if e, ok := context.Cause(ctx).(*noAnswerError); ok {
		return e
	}
	return err
}
