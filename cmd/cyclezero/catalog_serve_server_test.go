package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serveExit runs serve with args and returns its output and exit status
// once it ends; a serve that starts serving instead fails the test (and
// is stopped) rather than hang it.
func serveExit(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	sv := startServe(t, args...)
	select {
	case code := <-sv.done:
		return sv.out.String(), sv.err.String(), code
	case <-time.After(10 * time.Second):
		sv.cancel()
		<-sv.done
		t.Fatalf("serve %v served instead of refusing: %s", args, sv.out.String())
		return "", "", 0
	}
}

// serve never shares a session's server catalog: anonymous local callers
// would reach it with the user's saved credentials. --session of a server
// session is refused, naming it, before the server is contacted.
func TestCatalogServeRefusesAServerSession(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	srv := serverSession(t, dir, "x") // the cookie serve must never send

	for _, extra := range [][]string{nil, {"--local"}, {"--json"}} {
		args := append([]string{"-C", dir, "catalog", "serve", "--session", "x", "--addr", "127.0.0.1:0"}, extra...)
		out, errOut, code := serveExit(t, args...)
		assert.Equal(t, exitUsage, code, extra)
		assert.Empty(t, out, extra)
		assert.Equal(t, "cyclezero: session x is on a Deriva server ("+srv.URL+" catalog 1); "+
			"serve shares embedded catalogs only: use --local, --db FILE or --session of a session on the embedded catalog\n",
			errOut, extra)
	}
	assert.Zero(t, len(srv.Requests()), "nothing reaches the server")
}

// A bare serve takes the newest session with an embedded catalog, as
// --local does, passing over a newer one on a server.
func TestCatalogServeBareSkipsServerSessions(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	srv := serverSession(t, dir, "served-model")

	sv := startServe(t, "-C", dir, "catalog", "serve", "--json", "--addr", "127.0.0.1:0")
	require.Eventually(t, func() bool { return strings.HasSuffix(sv.out.String(), "\n") }, 10*time.Second, 10*time.Millisecond,
		"serve printed no line: %s", sv.err.String())
	var got serveJSON
	require.NoError(t, json.Unmarshal([]byte(sv.out.String()), &got), sv.out.String())
	assert.Equal(t, sessionCatalog(t, dir, "diagnosis-classifier"), got.DB, "the demo's embedded catalog, not the server's")
	assertListsDemo(t, dir, got.URL, got.Catalog)
	sv.stop(t)
	assert.Zero(t, len(srv.Requests()), "nothing reaches the server")
}

// With only server sessions, a bare serve falls back to the repository's
// own embedded catalog, as --local does, and says it has none yet; the
// server is not contacted.
func TestCatalogServeBareWithOnlyServerSessions(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	srv := serverSession(t, dir, "x")

	out, errOut, code := serveExit(t, "-C", dir, "catalog", "serve", "--addr", "127.0.0.1:0")
	assert.Equal(t, exitError, code)
	assert.Empty(t, out)
	assert.True(t, strings.HasPrefix(errOut, "cyclezero: this repository has no embedded catalog yet"), errOut)
	assert.Contains(t, errOut, "catalog seed-demo --local")
	assert.NotContains(t, errOut, srv.URL)
	assert.Zero(t, len(srv.Requests()), "nothing reaches the server")
}
