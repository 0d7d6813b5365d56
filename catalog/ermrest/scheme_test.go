package ermrest_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
)

// schemeClient opens a client on host that counts its HTTP attempts.
func schemeClient(t *testing.T, host string, hc *http.Client) (*ermrest.Client, *atomic.Int32) {
	t.Helper()
	var tries atomic.Int32
	c, err := ermrest.New(host, "1", ermrest.Options{HomeDir: t.TempDir(), HTTPClient: hc,
		Retry:   ermrest.RetryPolicy{Attempts: 4, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond},
		Observe: func(ermrest.Attempt) { tries.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, &tries
}

// checkSchemeMismatch asserts a typed, unretried error whose fix names
// the scheme to use.
func checkSchemeMismatch(t *testing.T, name string, err error, tries int32, fix string) {
	t.Helper()
	if !errors.Is(err, ermrest.ErrSchemeMismatch) || !errors.Is(err, catalog.ErrUnreachable) {
		t.Fatalf("%s: want ErrSchemeMismatch, got %v", name, err)
	}
	if errors.Is(err, catalog.ErrUnavailable) || strings.Contains(catalog.Hint(err), "try again") {
		t.Errorf("%s: reads as a passing outage: %v (%s)", name, err, catalog.Hint(err))
	}
	if hint := catalog.Hint(err); hint != fix {
		t.Errorf("%s: fix %q, want %q", name, hint, fix)
	}
	if tries != 1 {
		t.Errorf("%s: tried %d times", name, tries)
	}
}

// https:// to a server that speaks plain HTTP says so, once; the fix is
// the http:// URL for a server on this machine, and for any other the
// reason plain HTTP is refused there.
func TestHTTPSToPlainHTTPServer(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL, "http://")

	c, tries := schemeClient(t, "https://"+addr, nil)
	_, err := c.Snapshot(context.Background())
	checkSchemeMismatch(t, "loopback", err, tries.Load(), "this server speaks plain HTTP; use --host http://"+addr)
	if !strings.Contains(err.Error(), "answered in plain HTTP, not HTTPS") {
		t.Errorf("detail: %v", err)
	}

	toSrv := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	c, tries = schemeClient(t, "deriva.example.org", &http.Client{Transport: toSrv})
	_, err = c.Snapshot(context.Background())
	checkSchemeMismatch(t, "remote", err, tries.Load(), "this server speaks plain HTTP, which cyclezero uses only for a "+
		"server on this machine (anywhere else your login would travel unencrypted): check the port in --host, or use "+
		"the server's HTTPS address")
}

// https:// to a plain server that answers without a status line (so
// net/http cannot tell it is HTTP) is still a scheme mismatch, not a
// passing outage: the fix on this machine is the http:// URL.
func TestHTTPSToServerAnsweringNoTLS(t *testing.T) {
	t.Parallel()
	addr := listen(t, func(c net.Conn) {
		buf := make([]byte, 512)
		_, _ = c.Read(buf)
		_, _ = c.Write([]byte("Bad Request\n"))
	})
	c, tries := schemeClient(t, "https://"+addr, nil)
	_, err := c.Snapshot(context.Background())
	checkSchemeMismatch(t, "loopback", err, tries.Load(),
		"this server does not speak HTTPS; if it speaks plain HTTP, use --host http://"+addr+", or else check the port")
	if !strings.Contains(err.Error(), `did not answer in TLS, as HTTPS needs (its answer began "Bad R")`) {
		t.Errorf("detail: %v", err)
	}

	toSrv := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	c, tries = schemeClient(t, "deriva.example.org", &http.Client{Transport: toSrv})
	_, err = c.Snapshot(context.Background())
	checkSchemeMismatch(t, "remote", err, tries.Load(), "this server does not speak HTTPS on that port, and cyclezero "+
		"uses plain HTTP only for a server on this machine (anywhere else your login would travel unencrypted): "+
		"check the port in --host, or use the server's HTTPS address")
}

// http:// to a TLS port is recognised however the server answers — a 400
// saying so (Go, nginx, Apache httpd), a TLS alert record, or a closed
// connection from a port that completes a TLS handshake — and not retried.
func TestPlainHTTPToTLSPort(t *testing.T) {
	t.Parallel()
	goTLS := httptest.NewUnstartedServer(http.NotFoundHandler())
	goTLS.Config.ErrorLog = log.New(io.Discard, "", 0)
	goTLS.StartTLS()
	t.Cleanup(goTLS.Close)
	apache := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head><title>400 Bad Request</title></head>"+
			"<body><p>Your browser sent a request that this server could not understand.<br />\nReason: You're speaking "+
			"plain HTTP to an SSL-enabled server port.<br />\n Instead use the HTTPS scheme to access this URL, please.<br /></p></body></html>")
	}))
	t.Cleanup(apache.Close)
	alert := listen(t, func(c net.Conn) {
		buf := make([]byte, 512)
		_, _ = c.Read(buf)
		_, _ = c.Write([]byte{0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46}) // protocol_version alert, as OpenSSL sends
	})
	rawTLS := listen(t, func(c net.Conn) {
		_ = tls.Server(c, goTLS.TLS).Handshake() // fails on the plain request; the connection is closed
	})
	for name, addr := range map[string]string{
		"go":      strings.TrimPrefix(goTLS.URL, "https://"),
		"apache":  strings.TrimPrefix(apache.URL, "http://"),
		"alert":   alert,
		"raw TLS": rawTLS,
	} {
		c, tries := schemeClient(t, "http://"+addr, nil)
		_, err := c.Snapshot(context.Background())
		checkSchemeMismatch(t, name, err, tries.Load(), "this server speaks HTTPS; use --host https://"+addr)
	}
}

// A plain-HTTP server that drops connections is not mistaken for a TLS
// port: it is a passing outage, retried.
func TestDroppedPlainConnectionIsRetried(t *testing.T) {
	t.Parallel()
	addr := listen(t, func(c net.Conn) {
		buf := make([]byte, 512)
		_, _ = c.Read(buf)
	})
	c, tries := schemeClient(t, "http://"+addr, nil)
	_, err := c.Snapshot(context.Background())
	if !errors.Is(err, catalog.ErrUnavailable) || errors.Is(err, ermrest.ErrSchemeMismatch) {
		t.Fatalf("want ErrUnavailable, got %v", err)
	}
	if tries.Load() != 4 {
		t.Errorf("tried %d times, want 4", tries.Load())
	}
}

// listen serves each loopback connection with handle, then closes it.
func listen(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(5 * time.Second))
				handle(c)
			}()
		}
	}()
	return ln.Addr().String()
}
