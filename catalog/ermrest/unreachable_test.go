package ermrest_test

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
)

// A port nothing listens on is reported as an unreachable server, with a
// fix, and not retried as if it were a passing fault.
func TestConnectionRefusedIsUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	tries := 0
	c, err := ermrest.New("http://"+addr, "1", ermrest.Options{HomeDir: t.TempDir(),
		Observe: func(ermrest.Attempt) { tries++ }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Snapshot(context.Background())
	if !errors.Is(err, catalog.ErrUnreachable) {
		t.Fatalf("want ErrUnreachable, got %v", err)
	}
	if hint := catalog.Hint(err); !strings.Contains(hint, "server is running") {
		t.Errorf("fix %q should say what to check", hint)
	}
	if tries != 1 {
		t.Errorf("a refused connection was tried %d times", tries)
	}
}

// A server whose certificate is not trusted (unknown CA, another host's
// certificate) gets its own error kind with a fix, and is never retried:
// waiting does not make a certificate trusted.
func TestUntrustedCertificateIsNotUnavailability(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(http.NotFoundHandler())
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		host   string
		client *http.Client // nil: the default, which does not trust the test CA
		detail string
	}{
		"unknown authority": {srv.URL, nil, "authority this machine does not trust"},
		"other host name":   {"https://localhost:" + u.Port(), srv.Client(), "another host name"},
	} {
		tries := 0
		c, err := ermrest.New(tc.host, "1", ermrest.Options{HomeDir: t.TempDir(), HTTPClient: tc.client,
			Retry:   ermrest.RetryPolicy{Attempts: 4, BaseDelay: time.Millisecond},
			Observe: func(ermrest.Attempt) { tries++ }})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Snapshot(context.Background())
		if !errors.Is(err, ermrest.ErrUntrustedCertificate) || !errors.Is(err, catalog.ErrUnreachable) {
			t.Fatalf("%s: want ErrUntrustedCertificate, got %v", name, err)
		}
		if errors.Is(err, catalog.ErrUnavailable) || strings.Contains(catalog.Hint(err), "try again") {
			t.Errorf("%s: a certificate problem reads as a passing outage: %v (%s)", name, err, catalog.Hint(err))
		}
		if msg := err.Error(); !strings.Contains(msg, "the server's certificate is not trusted: ") ||
			!strings.Contains(msg, tc.detail) {
			t.Errorf("%s: message %q should say what is wrong with the certificate", name, msg)
		}
		// The fix says what to do, without repeating the message.
		want := "check the host name (" + strings.TrimPrefix(strings.TrimPrefix(tc.host, "https://"), "http://") +
			"), or install the CA that signed it (in the system's trust store, or name its file in SSL_CERT_FILE)"
		if hint := catalog.Hint(err); hint != want {
			t.Errorf("%s: fix %q, want %q", name, hint, want)
		}
		if tries != 1 {
			t.Errorf("%s: tried %d times", name, tries)
		}
	}
}

// A host name that does not exist is reported as such, once.
func TestUnknownHostIsUnreachable(t *testing.T) {
	t.Parallel()
	tries := 0
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		return nil, &net.DNSError{Err: "no such host", Name: "nosuch.example.org", IsNotFound: true}
	}
	c, err := ermrest.New("nosuch.example.org", "1", ermrest.Options{HomeDir: t.TempDir(),
		HTTPClient: &http.Client{Transport: &http.Transport{DialContext: dial}},
		Retry:      ermrest.RetryPolicy{Attempts: 4, BaseDelay: time.Millisecond},
		Observe:    func(ermrest.Attempt) { tries++ }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Model(context.Background(), "")
	if !errors.Is(err, catalog.ErrUnreachable) || !strings.Contains(err.Error(), "no server is named nosuch.example.org") {
		t.Fatalf("want ErrUnreachable naming the host, got %v", err)
	}
	if hint := catalog.Hint(err); !strings.Contains(hint, "check the host name") {
		t.Errorf("fix %q", hint)
	}
	if tries != 1 {
		t.Errorf("an unknown host was tried %d times", tries)
	}
}
