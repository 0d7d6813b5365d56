package main

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml/demo"
	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

// researcher is the client of the demo server's engine, and who logIn's
// cookie logs in where the server's options take loggedIn.
var researcher = catalog.Identity{ID: "researcher", DisplayName: "A Researcher"}

// loggedIn maps the webauthn cookie logIn saves to researcher, for
// ermresttest.Options.Cookies (a fresh map: the server adds to it).
func loggedIn() map[string]catalog.Identity { return map[string]catalog.Identity{"tok123": researcher} }

// serveDemo seeds the demo into eng and serves it over ERMrest's HTTP
// protocol with opts until t ends.
func serveDemo(t *testing.T, eng *local.Store, opts ermresttest.Options) *ermresttest.Server {
	t.Helper()
	_, err := demo.Seed(t.Context(), eng, demo.Options{Subjects: 5, Images: 40})
	require.NoError(t, err)
	srv := ermresttest.New(eng, opts)
	t.Cleanup(srv.Close)
	return srv
}

// demoServer serves the demo catalog over ERMrest's HTTP protocol with opts.
func demoServer(t *testing.T, opts ermresttest.Options) *ermresttest.Server {
	t.Helper()
	return serveDemo(t, localtest.Open(t, local.Options{Client: researcher}), opts)
}

// fakeServer is demoServer with logIn's cookie logging in researcher.
func fakeServer(t *testing.T) *ermresttest.Server {
	t.Helper()
	return demoServer(t, ermresttest.Options{Cookies: loggedIn()})
}

// serverSession starts the fake, logs in to it, and starts session slug in
// dir on its catalog 1 with new --host; the requests new made are
// forgotten, so a test sees only its own.
func serverSession(t *testing.T, dir, slug string) *ermresttest.Server {
	t.Helper()
	srv := fakeServer(t)
	logIn(t, srv)
	_, errOut, code := cli(t, "", "-C", dir, "new", slug, "--host", srv.URL, "--catalog", "1")
	require.Equal(t, exitOK, code, errOut)
	srv.ResetRequests()
	return srv
}

// logIn writes deriva's credential file for the fake's host:port (the key
// deriva-py looks up is the host as given, port included), as
// deriva-globus-auth-utils would.
func logIn(t *testing.T, srv *ermresttest.Server) {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	path := filepath.Join(os.Getenv("HOME"), ".deriva", "credential.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{u.Host: map[string]string{"cookie": "webauthn=tok123"}})
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestCatalogCommandsOverHTTP(t *testing.T) {
	isolate(t)
	srv := fakeServer(t)
	host := []string{"--host", srv.URL, "--catalog", "1"}

	// Anonymous: whoami says so, with how to log in, and exits 4.
	_, errOut, code := cli(t, "", append([]string{"catalog", "whoami"}, host...)...)
	if code != exitAuth || !strings.Contains(errOut, "deriva-globus-auth-utils login") {
		t.Errorf("anonymous whoami: exit %d\n%s", code, errOut)
	}
	// A plain-http server is on this machine, maybe catalog serve: say that
	// one has no login, rather than only send the user off to log in.
	if !strings.Contains(errOut, "if this is `cyclezero catalog serve`, it has no login") {
		t.Errorf("anonymous whoami on a local server: no word about catalog serve\n%s", errOut)
	}

	logIn(t, srv)
	out, errOut, code := cli(t, "", append([]string{"catalog", "whoami"}, host...)...)
	if code != exitOK || !strings.Contains(out, "id:   researcher") {
		t.Errorf("whoami: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = cli(t, "", append([]string{"catalog", "ls"}, host...)...)
	if code != exitOK || !strings.Contains(out, "demo       Image") || !strings.Contains(out, "40") {
		t.Errorf("ls over HTTP: exit %d\n%s%s", code, out, errOut)
	}
	out, _, code = cli(t, "", append([]string{"catalog", "show", "demo:Diagnosis", "--json"}, host...)...)
	if code != exitOK || !strings.Contains(out, `"derivaml_kind": "vocabulary"`) || !strings.Contains(out, `"kind": "table"`) {
		t.Errorf("show over HTTP: exit %d\n%s", code, out)
	}
	out, _, code = cli(t, `{"datasets":[{"rid":"ZZZZ","version":"0.1.0"}],"workflow":"ZZZZ"}`,
		append([]string{"catalog", "validate-config", "-"}, host...)...)
	if code != exitCheckFailed || !strings.Contains(out, "Workflow RID 'ZZZZ' does not exist in catalog") {
		t.Errorf("validate-config over HTTP: exit %d\n%s", code, out)
	}
	_, errOut, code = cli(t, "", append([]string{"catalog", "seed-demo"}, host...)...)
	if code != exitUsage || !strings.Contains(errOut, "only writes embedded catalogs") {
		t.Errorf("seed-demo refuses servers: exit %d %s", code, errOut)
	}
	_, errOut, code = cli(t, "", "catalog", "ls", "--host", "http://example.org", "--catalog", "1")
	if code != exitUsage || !strings.Contains(errOut, "plain http://") {
		t.Errorf("plain http to a remote host: exit %d %s", code, errOut)
	}
}

// A server without the catalog: exit 1 and one sentence with its fix, not
// the request that found out.
func TestNewOnAMissingServerCatalog(t *testing.T) {
	isolate(t)
	srv := fakeServer(t)
	dir := gitRepo(t)
	u, _ := url.Parse(srv.URL)
	_, errOut, code := cli(t, "", "-C", dir, "new", "x", "--host", srv.URL, "--catalog", "99")
	if code != exitError || errOut != "cyclezero: there is no catalog \"99\" on "+u.Host+"; check --catalog\n" {
		t.Errorf("exit %d: %q", code, errOut)
	}
}

// --catalog ID@SNAPSHOT reads the catalog as it was then, as deriva-py's
// connect_ermrest does; a snapshot that does not decode is a usage error
// saying so, and new refuses a snapshot: a session writes to its catalog.
func TestCatalogSnapshotOverHTTP(t *testing.T) {
	isolate(t)
	ctx := context.Background()
	eng := localtest.Open(t, local.Options{Client: researcher})
	before, err := eng.Snapshot(ctx) // before the demo exists
	require.NoError(t, err)
	srv := serveDemo(t, eng, ermresttest.Options{AnonymousReads: true})

	out, errOut, code := cli(t, "", "catalog", "ls", "--host", srv.URL, "--catalog", "1")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "demo       Image")
	out, errOut, code = cli(t, "", "catalog", "ls", "--host", srv.URL, "--catalog", "1@"+before)
	require.Equal(t, exitOK, code, errOut)
	assert.NotContains(t, out, "Image", "the snapshot predates the demo")
	assert.Contains(t, out, "public  ERMrest_Client") // what the engine starts with

	_, errOut, code = cli(t, "", "catalog", "ls", "--host", srv.URL, "--catalog", "1@NOT!SNAP")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `"NOT!SNAP" is not a snapshot id`)
	_, errOut, code = cli(t, "", "catalog", "ls", "--host", srv.URL, "--catalog", "bad id@"+before)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `' ' is not allowed`)

	dir := gitRepo(t)
	_, errOut, code = cli(t, "", "-C", dir, "new", "x", "--host", srv.URL, "--catalog", "1@"+before)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "a snapshot is read-only: a session writes to its catalog, so give the live one: --catalog 1")
	_, errOut, code = cli(t, "", "catalog", "seed-demo", "--host", srv.URL, "--catalog", "1@"+before)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "only writes embedded catalogs")
}

// validate-config on a catalog without the deriva-ml schema says it is no
// DerivaML catalog in the same words over either backend, with a command
// spelled for this catalog, not a protocol error that differs between them.
func TestValidateConfigOnANonDerivaMLCatalog(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "plain.sqlite")
	eng, err := local.Open(db, local.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { eng.Close() })
	srv := ermresttest.New(eng, ermresttest.Options{AnonymousReads: true})
	t.Cleanup(srv.Close)

	config := `{"datasets":[{"rid":"ZZZZ","version":"0.1.0"}],"workflow":"ZZZZ"}`
	tail := func(errOut string) string {
		_, after, _ := strings.Cut(errOut, " has no deriva-ml schema")
		return after
	}
	_, localErr, code := cli(t, config, "catalog", "validate-config", "-", "--db", db)
	assert.Equal(t, exitError, code)
	assert.Equal(t, ": it is not a DerivaML catalog; check which catalog you named, or see what it holds with: "+
		"cyclezero catalog ls --db "+db+"\n", tail(localErr), localErr)
	_, httpErr, code := cli(t, config, "catalog", "validate-config", "-", "--host", srv.URL, "--catalog", "1")
	assert.Equal(t, exitError, code)
	assert.Equal(t, ": it is not a DerivaML catalog; check which catalog you named, or see what it holds with: "+
		"cyclezero catalog ls --host "+srv.URL+" --catalog 1\n", tail(httpErr), httpErr)
	assert.NotContains(t, localErr+httpErr, "fix:", "no protocol error's fix")
}

// whoami --json answers a saved credential the server does not accept
// as it answers none: the anonymous document on stdout, noting the
// refusal, exit 4. A real server answers an expired or revoked token or
// cookie as it answers none, 404 "No existing login session found."
// (ermrest.md §0); the fix then says to log in again.
func TestWhoamiRefusedCredentialIsAnonymous(t *testing.T) {
	isolate(t)
	srv := demoServer(t, ermresttest.Options{}) // knows no cookie: logIn's has expired
	args := []string{"catalog", "whoami", "--json", "--host", srv.URL, "--catalog", "1"}
	type doc struct {
		Anonymous         bool   `json:"anonymous"`
		CredentialRefused bool   `json:"credential_refused"`
		ID                string `json:"id"`
	}
	hint := func(errOut string) string { _, fix, _ := strings.Cut(errOut, "fix: "); return fix }

	out, noneErr, code := cli(t, "", args...)
	require.Equal(t, exitAuth, code, noneErr)
	var none doc
	require.NoError(t, json.Unmarshal([]byte(out), &none), out)
	assert.Equal(t, doc{Anonymous: true}, none)

	logIn(t, srv)
	out, refusedErr, code := cli(t, "", args...)
	require.Equal(t, exitAuth, code, refusedErr)
	var refused doc
	require.NoError(t, json.Unmarshal([]byte(out), &refused), "stdout: %q\nstderr: %s", out, refusedErr)
	assert.Equal(t, doc{Anonymous: true, CredentialRefused: true}, refused)
	assert.Contains(t, refusedErr, "the server refused your saved credential (expired or revoked?)")
	u, _ := url.Parse(srv.URL)
	assert.Contains(t, hint(noneErr), "log in with: deriva-globus-auth-utils login --host "+u.Host)
	assert.Contains(t, hint(refusedErr), "the saved login for "+u.Host)
	assert.Contains(t, hint(refusedErr), "log in again with: deriva-globus-auth-utils login --host "+u.Host)
	assert.Contains(t, hint(refusedErr), "catalog serve`, it has no login: it serves everyone anonymously, read-only, "+
		"so the saved login is not needed (remove its entry)", "plain http:// may well be catalog serve")
	assert.NotContains(t, refusedErr, "tok123", "the cookie never shows")
}
