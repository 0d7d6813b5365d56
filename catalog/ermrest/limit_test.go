package ermrest_test

import (
	"bytes"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
)

// streaming is a server that answers every request 200 with a JSON
// content type and then body, or, when body is nil, an endless stream of
// spaces (bounded at 64 MiB so a broken client cannot hang the test). It
// counts the requests.
func streaming(t *testing.T, body []byte) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	chunk := bytes.Repeat([]byte(" "), 32<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if body != nil {
			_, _ = w.Write(body)
			return
		}
		for sent := 0; sent < 64<<20 && r.Context().Err() == nil; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func tooLargeError(t *testing.T, err error) *catalog.Error {
	t.Helper()
	require.ErrorIs(t, err, ermrest.ErrAnswerTooLarge)
	require.ErrorIs(t, err, catalog.ErrBadResponse)
	var ce *catalog.Error
	require.ErrorAs(t, err, &ce)
	return ce
}

// An answer that keeps coming is cut off at Options.MaxAnswerBytes, not
// read into memory whole, and the read fails at once: no retry, an
// ErrAnswerTooLarge that says the server is no catalog.
func TestEndlessAnswerIsCutOff(t *testing.T) {
	t.Parallel()
	srv, n := streaming(t, nil)
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{CredentialFile: "/nonexistent", MaxAnswerBytes: 64 << 10})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })

	_, err = c.Model(t.Context(), "")
	ce := tooLargeError(t, err)
	host := strings.TrimPrefix(srv.URL, "http://")
	assert.Equal(t, "the answer from "+host+" is over 64 KiB, not an ERMrest answer", ce.Detail)
	assert.Contains(t, ce.Fix, "check --host")
	assert.Equal(t, int32(1), n.Load(), "an answer too large is not asked for again")
}

// The login session and the catalog document are always small, so they
// are cut off far sooner than the default cap.
func TestSmallAnswersHaveALowerCap(t *testing.T) {
	t.Parallel()
	srv, _ := streaming(t, nil)
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{CredentialFile: "/nonexistent"})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })

	_, err = c.Whoami(t.Context())
	assert.Contains(t, tooLargeError(t, err).Detail, " is over 4 MiB, not an ERMrest answer")
	_, err = c.Snapshot(t.Context())
	assert.Contains(t, tooLargeError(t, err).Detail, " is over 4 MiB, not an ERMrest answer")
}

// An answer of exactly the cap is read; one byte more is not.
func TestAnswerOfExactlyTheCapIsRead(t *testing.T) {
	t.Parallel()
	doc := []byte(`{"snaptime": "2PX-WS30-E58W"}`)
	srv, _ := streaming(t, doc)
	for _, tc := range []struct {
		limit int64
		fits  bool
	}{{int64(len(doc)), true}, {int64(len(doc)) - 1, false}} {
		c, err := ermrest.New(srv.URL, "1", ermrest.Options{CredentialFile: "/nonexistent", MaxAnswerBytes: tc.limit})
		require.NoError(t, err)
		snap, err := c.Snapshot(t.Context())
		if tc.fits {
			require.NoError(t, err)
			assert.Equal(t, "2PX-WS30-E58W", snap)
		} else {
			assert.Contains(t, tooLargeError(t, err).Detail, " is over 28 bytes, not an ERMrest answer")
		}
		_ = c.Close()
	}
}

// No cap at all (math.MaxInt64) reads answers as usual: the byte read
// past the cap must not wrap around to reading nothing.
func TestUnboundedAnswerCapReads(t *testing.T) {
	t.Parallel()
	srv, _ := streaming(t, []byte(`{"schemas": {}}`))
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{CredentialFile: "/nonexistent", MaxAnswerBytes: math.MaxInt64})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	m, err := c.Model(t.Context(), "")
	require.NoError(t, err)
	assert.Empty(t, m.Schemas)
}
