package main

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// fixLine is the fix of a command's error output, from "  fix: " to the
// end (a fix may go on over lines of its own), "" when it has none.
func fixLine(errOut string) string {
	_, fix, _ := strings.Cut(errOut, "\n  fix: ")
	return strings.TrimSuffix(fix, "\n")
}

// sessionOn records a session slug in dir on loc as it is, without
// checking the catalog as new does: a session whose server has moved, or
// whose catalog has gone, since.
func sessionOn(t *testing.T, dir, slug string, loc state.CatalogLocation) {
	t.Helper()
	where, err := state.Locate(context.Background(), dir)
	require.NoError(t, err)
	now := time.Now()
	h, err := state.Create(where.StateDir, &state.Session{Slug: slug, RepoRoot: dir, Catalog: loc,
		CreatedAt: now, UpdatedAt: now, Current: string(steps.Phases[0].ID)})
	require.NoError(t, err)
	require.NoError(t, h.Close())
}

// A session's server that is not there any more: the fix says the
// catalog is the session's saved one, and how to look at another, rather
// than asking to check a host the user never typed. A catalog named with
// --host keeps the client's own fix.
func TestSessionServerGoneFixNamesTheSession(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	srv := fakeServer(t)
	sessionOn(t, dir, "x", state.CatalogLocation{Kind: state.CatalogERMrest, Host: srv.URL, CatalogID: "1"})
	srv.Close()
	c := "cyclezero -C " + dir + " "
	saved := "this is session x's saved catalog (" + srv.URL + " catalog 1); if it moved, point the session at its new place with: " +
		c + "resume x --host NEW --catalog 1\n  or to look at another catalog once: "
	want := saved + c + "catalog ls --host NEW --catalog 1"

	_, errOut, code := cli(t, "", "-C", dir, "catalog", "ls")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "cyclezero: in session x's catalog (the most recent session; choose another with --session SLUG): ")
	assert.Contains(t, errOut, "nothing is listening at ")
	assert.Equal(t, want, fixLine(errOut), errOut)

	_, errOut, code = cli(t, "", "-C", dir, "catalog", "show", "Image", "--session", "x")
	assert.Equal(t, exitError, code)
	assert.Equal(t, saved+c+"catalog show Image --host NEW --catalog 1", fixLine(errOut), errOut)

	_, errOut, code = cli(t, "", "-C", dir, "catalog", "ls", "--host", srv.URL, "--catalog", "1")
	assert.Equal(t, exitError, code)
	assert.Equal(t, "check the host and port, and that the server is running", fixLine(errOut), "named with --host: the client's fix")
}

// A session's catalog that the server no longer has: the same fix, on
// the same server, with the catalog id left for the user to give, not
// "check --catalog".
func TestSessionCatalogGoneFixNamesTheSession(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	srv := fakeServer(t)
	logIn(t, srv)
	sessionOn(t, dir, "x", state.CatalogLocation{Kind: state.CatalogERMrest, Host: srv.URL, CatalogID: "99"})

	_, errOut, code := cli(t, "", "-C", dir, "catalog", "ls", "--session", "x")
	assert.Equal(t, exitError, code)
	c := "cyclezero -C " + dir + " "
	assert.Equal(t, "this is session x's saved catalog ("+srv.URL+" catalog 99); if it moved, point the session at its new place with: "+
		c+"resume x --host "+srv.URL+" --catalog ID\n  or to look at another catalog once: "+
		c+"catalog ls --host "+srv.URL+" --catalog ID", fixLine(errOut), errOut)
	assert.NotContains(t, errOut, "check --catalog")

	// A table the catalog has not is no moved catalog: its own fix stays.
	sessionOn(t, dir, "y", state.CatalogLocation{Kind: state.CatalogERMrest, Host: srv.URL, CatalogID: "1"})
	_, errOut, _ = cli(t, "", "-C", dir, "catalog", "show", "NoSuchTable", "--session", "y")
	assert.NotContains(t, errOut, "saved catalog", errOut)
}

// A 404 about something in the catalog, not the catalog itself (here a
// table dropped while ls counts it), is no moved catalog: the session's
// "point the session at its new place" fix is not offered for it.
func TestSessionTableGoneIsNoMovedCatalog(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	srv := refusingServer(t)
	logIn(t, srv)
	sessionOn(t, dir, "x", state.CatalogLocation{Kind: state.CatalogERMrest, Host: srv.URL, CatalogID: "1"})
	srv.Inject(ermresttest.Fault{Method: http.MethodGet, PathPrefix: countPath(t, srv, "demo:Subject"),
		Status: http.StatusNotFound, Body: "Resource not found. Detail: table Subject in schema demo\n"})

	_, errOut, code := cli(t, "", "-C", dir, "catalog", "ls", "--session", "x")
	assert.Equal(t, exitError, code, errOut)
	assert.Contains(t, errOut, "table Subject in schema demo")
	assert.NotContains(t, errOut, "saved catalog", errOut)
	assert.NotContains(t, errOut, "--catalog ID", errOut)
}
