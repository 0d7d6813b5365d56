package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// lockedBuffer is a bytes.Buffer a running command may write while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestCatalogServeAnswersTheHTTPBackend(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)

	sv := startServe(t, "-C", dir, "catalog", "serve", "--local")
	served := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)/ermrest/catalog/1`)
	var base string
	require.Eventually(t, func() bool {
		m := served.FindStringSubmatch(sv.out.String())
		if m != nil {
			base = m[1]
		}
		return m != nil
	}, 10*time.Second, 10*time.Millisecond, "serve never said where it listens: %s%s", sv.out.String(), sv.err.String())

	assertListsDemo(t, dir, base, "1")
	sv.stop(t)
	assert.Contains(t, sv.out.String(), "Stopped.")
}

// With --json serve prints one JSON line once it listens, so a script
// learns the port --addr 127.0.0.1:0 picked, and nothing else.
func TestCatalogServeJSON(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	sv := startServe(t, "-C", dir, "catalog", "serve", "--local", "--json", "--addr", "127.0.0.1:0")
	out := &sv.out
	require.Eventually(t, func() bool { return strings.HasSuffix(out.String(), "\n") }, 10*time.Second, 10*time.Millisecond,
		"serve --json printed no line: %s", sv.err.String())
	var got serveJSON
	require.NoError(t, json.Unmarshal([]byte(out.String()), &got), out.String())
	assert.Regexp(t, `^http://127\.0\.0\.1:[1-9]\d*$`, got.URL)
	assert.Equal(t, serveJSON{URL: got.URL, Catalog: "1", ERMrestURL: got.URL + "/ermrest/catalog/1",
		DB: sessionCatalog(t, dir, "diagnosis-classifier"), ReadOnly: true}, got)
	assert.Equal(t, []string{"catalog", "db", "ermrest_url", "read_only", "url"}, jsonKeys(t, out.String()))

	assertListsDemo(t, dir, got.URL, got.Catalog)
	assertReadOnlyRights(t, got.ERMrestURL)
	sv.stop(t)
	assert.Equal(t, 1, strings.Count(out.String(), "\n"), "one line only, also on stopping: %s", out.String())
}

// serving is a cyclezero command (a catalog serve) running in the
// background until stop.
type serving struct {
	out, err lockedBuffer
	cancel   context.CancelFunc
	done     chan int
}

// startServe runs cyclezero with args in the background; it is stopped
// at the end of the test even when an assertion ends it early.
func startServe(t *testing.T, args ...string) *serving {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	sv := &serving{cancel: cancel, done: make(chan int, 1)}
	go func() { sv.done <- run(ctx, args, stdio{in: strings.NewReader(""), out: &sv.out, err: &sv.err}) }()
	return sv
}

// stop ends the command's context and asserts that it stops, with exit 0.
func (sv *serving) stop(t *testing.T) {
	t.Helper()
	sv.cancel()
	select {
	case code := <-sv.done:
		assert.Equal(t, exitOK, code, sv.err.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop when its context ended")
	}
}

// assertListsDemo asserts that catalog ls, through the HTTP backend at
// base, lists the demo's images.
func assertListsDemo(t *testing.T, dir, base, catalogID string) {
	t.Helper()
	ls, lsErr, code := cli(t, "", "-C", dir, "catalog", "ls", "--host", base, "--catalog", catalogID)
	require.Equal(t, exitOK, code, lsErr)
	assert.Regexp(t, `demo\s+Image\s+asset\s+1000`, ls)
}

// sessionCatalog is the embedded catalog file of slug's session in dir.
func sessionCatalog(t *testing.T, dir, slug string) string {
	t.Helper()
	loc, err := state.Locate(context.Background(), dir)
	require.NoError(t, err)
	s, err := state.Load(loc.StateDir, slug)
	require.NoError(t, err)
	return s.Catalog.Path
}

func TestCatalogServeListensOnLoopbackOnly(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:80", "nonsense"} {
		_, errOut, code := cli(t, "", "-C", dir, "catalog", "serve", "--local", "--addr", addr)
		assert.Equal(t, exitUsage, code, addr)
		assert.Contains(t, errOut, "--addr", addr)
	}
}

// Loopback may be named as people do: localhost (any case), or any
// 127/8 or ::1 address. serve --addr localhost:0 serves the demo.
func TestCatalogServeAcceptsLocalhost(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	sv := startServe(t, "-C", dir, "catalog", "serve", "--local", "--json", "--addr", "localhost:0")
	require.Eventually(t, func() bool { return strings.HasSuffix(sv.out.String(), "\n") }, 10*time.Second, 10*time.Millisecond,
		"serve --addr localhost:0 printed no line: %s", sv.err.String())
	var got serveJSON
	require.NoError(t, json.Unmarshal([]byte(sv.out.String()), &got), sv.out.String())
	assertListsDemo(t, dir, got.URL, got.Catalog)
	sv.stop(t)

	for _, addr := range []string{"LocalHost:8086", "127.0.0.2:8086", "[::1]:8086"} {
		assert.NoError(t, checkLoopback(addr), addr)
	}
}

// assertReadOnlyRights asserts that the served catalog tells its anonymous
// callers they may not write (no owner or create right, no ACLs), as the
// 401 its writes get says.
func assertReadOnlyRights(t *testing.T, catalogURL string) {
	t.Helper()
	res, err := http.Get(catalogURL)
	require.NoError(t, err)
	defer res.Body.Close()
	var doc struct {
		Rights map[string]bool `json:"rights"`
		ACLs   map[string]any  `json:"acls"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&doc))
	assert.Equal(t, map[string]bool{"owner": false, "create": false}, doc.Rights)
	assert.Nil(t, doc.ACLs)
	post, err := http.Post(catalogURL+"/entity/demo:Image", "application/json", strings.NewReader(`[{}]`))
	require.NoError(t, err)
	_ = post.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, post.StatusCode)
}
