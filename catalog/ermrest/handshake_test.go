package ermrest_test

import (
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
)

// stalledTLS is a client of an https:// server that accepts connections
// and never answers the TLS handshake, whose transport gives a handshake
// wait, so tries end on the transport's handshake timeout.
func stalledTLS(t *testing.T, wait, readTimeout time.Duration) (*ermrest.Client, string) {
	t.Helper()
	addr := listen(t, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSHandshakeTimeout = wait
	c, err := ermrest.New("https://"+addr, "1", ermrest.Options{HTTPClient: &http.Client{Transport: tr},
		CredentialFile: "/nonexistent", ReadTimeout: readTimeout, Retry: ermrest.RetryPolicy{Attempts: 2, BaseDelay: time.Millisecond}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, addr
}

// A server that takes the connection but never completes the TLS
// handshake is told as one that never answers: the same wording as over
// plain HTTP, with the handshake's wait.
func TestStalledTLSHandshakeIsNoAnswer(t *testing.T) {
	t.Parallel()
	c, addr := stalledTLS(t, 50*time.Millisecond, 0)

	_, err := c.Snapshot(t.Context())
	ce := noAnswerError(t, err)
	assert.Equal(t, "the server at "+addr+" accepted the connection but did not answer within 50ms (2 attempts)", ce.Detail)
	assert.Equal(t, "check the server or try again later", ce.Fix)

	// A write's request is sent only after the handshake: surely not applied.
	_, err = c.Insert(t.Context(), catalog.TableRef{Schema: "s", Table: "T"}, []catalog.Row{{"Name": "x"}}, catalog.InsertOptions{})
	ce = noAnswerError(t, err)
	assert.True(t, catalog.NotApplied(err), "nothing was sent")
	assert.Equal(t, "the server at "+addr+" accepted the connection but did not answer within 50ms", ce.Detail)
	assert.Contains(t, ce.Fix, "the change was not sent")
}

// With no handshake timeout in the transport, the try's own wait cuts a
// stalled handshake off, and still knows the server took the connection.
func TestStalledTLSHandshakeWithoutTransportTimeout(t *testing.T) {
	t.Parallel()
	c, addr := stalledTLS(t, 0, 50*time.Millisecond)

	_, err := c.Snapshot(t.Context())
	assert.Equal(t, "the server at "+addr+" accepted the connection but did not answer within 50ms (2 attempts)",
		noAnswerError(t, err).Detail)
}
