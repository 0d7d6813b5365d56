package ermrest

// How much of an answer is read: a server that streams without end (or
// sends gigabytes) must not exhaust memory, since every answer is read
// whole before it is decoded.

import (
	"fmt"
	"net/url"

	"github.com/cyclezero/cyclezero/catalog"
)

const (
	// defaultMaxAnswer is Options.MaxAnswerBytes's default.
	defaultMaxAnswer = 256 << 20
	// smallAnswer caps the answers that are always small: webauthn's
	// session document (a client and its groups) and the catalog
	// document (a snaptime and a few flags).
	smallAnswer = 4 << 20
)

// ErrAnswerTooLarge is the kind of an answer past Options.MaxAnswerBytes
// (or the lower cap of an answer that is always small): no ERMrest answer
// cyclezero asks for is that large, so the server is not a catalog, or a
// misbehaving one. Retrying cannot help, so it is never retried; it is
// also a catalog.ErrBadResponse.
var ErrAnswerTooLarge error = kindError{"the answer is too large", catalog.ErrBadResponse}

// tooLargeError is the failure of one try whose answer went past limit
// bytes; from is the URL that sent it.
type tooLargeError struct {
	limit int64
	from  *url.URL
}

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("the answer from %s is over %s", e.from.Host, sizeText(e.limit))
}

// answerLimit is how many bytes of an answer to r are read.
func (c *Client) answerLimit(r request) int64 {
	if r.limit > 0 {
		return min(r.limit, c.maxAnswer)
	}
	return c.maxAnswer
}

// tooLarge turns an over-long answer into the *catalog.Error a user reads.
func (c *Client) tooLarge(op string, e *tooLargeError) *catalog.Error {
	return &catalog.Error{Kind: ErrAnswerTooLarge, Op: op,
		Detail: c.redact(e.Error() + ", not an ERMrest answer"), Fix: c.notERMrestFixFrom(e.from)}
}

// sizeText says n bytes in the largest unit that divides it, so a limit
// reads as it was set ("256 MiB", "4 KiB", "1000 bytes").
func sizeText(n int64) string {
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}
