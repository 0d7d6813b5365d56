package catalog

import (
	"errors"
)

// Sentinel kinds of catalog errors. Test with errors.Is(err, catalog.ErrNotFound);
// get the details with errors.As(err, &*catalog.Error).
var (
	ErrBadRequest      = errors.New("request malformed")                  // 400
	ErrUnauthenticated = errors.New("not logged in")                      // 401
	ErrForbidden       = errors.New("access forbidden")                   // 403
	ErrNotFound        = errors.New("not found")                          // 404
	ErrConflict        = errors.New("conflicts with the catalog's state") // 409
	ErrPrecondition    = errors.New("changed by someone else")            // 412
	ErrUnavailable     = errors.New("catalog temporarily unavailable")    // 503, resets, timeouts
	ErrUnreachable     = errors.New("catalog server not found")           // unknown host name, connection refused
	ErrServer          = errors.New("catalog server error")               // other 5xx
	ErrBadResponse     = errors.New("unexpected answer from the catalog") // malformed, truncated, HTML
	ErrInvalidInput    = errors.New("invalid input")                      // rejected before anything was sent
)

// Error is a catalog failure with what was attempted, what the catalog said,
// and what the user can do about it.
type Error struct {
	Kind   error  // one of the Err* sentinels
	Status int    // HTTP status when there was one
	Op     string // what was attempted, e.g. "GET /ermrest/catalog/1/entity/S:T"
	Detail string // the catalog's own explanation, trimmed
	Fix    string // what to do, for the user

	// NotApplied says the change surely was not made: the catalog refused
	// it before writing anything (the embedded catalog's file was held by
	// another process's write, say), even though its kind, such as
	// ErrUnavailable, alone would leave that open. See NotApplied.
	NotApplied bool
}

// Error says what was attempted, what kind of failure it was and the
// catalog's own detail ("Op: kind: Detail"); Fix is left to Hint, so
// callers can put it on a line of its own.
func (e *Error) Error() string {
	msg := e.Kind.Error()
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

// Unwrap lets errors.Is match the error's kind.
func (e *Error) Unwrap() error { return e.Kind }

// Hint returns the fix for err: the outermost error in its chain with a
// Hint() string method gives it (so a wrapper that knows better, say that
// an undo failed, replaces the fix of the failure it wraps while keeping
// its kind for errors.Is), else the Fix of the catalog *Error it is or
// wraps, else "".
func Hint(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	var ce *Error
	if errors.As(err, &ce) {
		return ce.Fix
	}
	return ""
}

// NotApplied reports whether err says for certain that the change it
// failed was not made: the catalog *Error it is or wraps has NotApplied
// set. A caller that would otherwise read back a change whose answer may
// have been lost (an ErrUnavailable) can retry or undo at once, and keep
// the error's own fix.
func NotApplied(err error) bool {
	var ce *Error
	return errors.As(err, &ce) && ce.NotApplied
}
