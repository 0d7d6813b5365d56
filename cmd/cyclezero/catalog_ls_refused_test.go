package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
)

// refusingServer serves the demo catalog like fakeServer, except that no
// caller may read the rows of the tables refused (a table-level select
// ACL), and anonymous callers may read the rest.
func refusingServer(t *testing.T, refused ...catalog.TableRef) *ermresttest.Server {
	t.Helper()
	return demoServer(t, ermresttest.Options{Cookies: loggedIn(), AnonymousReads: true, SelectRefused: refused})
}

// countPath is the path prefix of ls's row count of table: ls counts
// every table at the catalog's snapshot when it starts (srv's live one,
// as long as nothing writes in between).
func countPath(t *testing.T, srv *ermresttest.Server, table string) string {
	t.Helper()
	res, err := http.Get(srv.URL + "/ermrest/catalog/1")
	require.NoError(t, err)
	defer res.Body.Close()
	var doc struct {
		Snaptime string `json:"snaptime"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&doc))
	require.NotEmpty(t, doc.Snaptime)
	return "/ermrest/catalog/1@" + doc.Snaptime + "/aggregate/" + table
}

// A table whose rows the catalog will not let the caller read is still
// listed, its count "?" (null in --json), with one note on stderr saying
// which counts are missing and why, and the catalog's fix.
func TestCatalogLsListsTablesWhoseCountIsRefused(t *testing.T) {
	isolate(t)
	image := catalog.TableRef{Schema: "demo", Table: "Image"}
	subject := catalog.TableRef{Schema: "demo", Table: "Subject"}
	srv := refusingServer(t, image, subject)
	logIn(t, srv)
	host := []string{"--host", srv.URL, "--catalog", "1"}

	out, errOut, code := cli(t, "", append([]string{"catalog", "ls"}, host...)...)
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^demo +Image +\S+ +\?$`, out)
	assert.Regexp(t, `(?m)^demo +Subject +\S+ +\?$`, out)
	assert.Regexp(t, `(?m)^demo +Diagnosis +\S+ +\d+$`, out, "the other tables keep their counts")
	assert.Equal(t, 1, strings.Count(errOut, "cyclezero: note:"), errOut)
	assert.Contains(t, errOut, "cyclezero: note: could not count the rows of demo:Image, demo:Subject (shown as ?): "+
		"the catalog refused to read them (access forbidden: select access on :demo:Image)\n")
	assert.Contains(t, errOut, "  fix: your login may not do this on ")

	out, errOut, code = cli(t, "", append([]string{"catalog", "ls", "--json"}, host...)...)
	require.Equal(t, exitOK, code, errOut)
	var rows []struct {
		Schema, Table string
		Rows          *int64
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rows), out)
	require.NotEmpty(t, rows)
	for _, r := range rows {
		ref := catalog.TableRef{Schema: r.Schema, Table: r.Table}
		if ref == image || ref == subject {
			assert.Nil(t, r.Rows, "%s: count null", ref)
		} else {
			assert.NotNil(t, r.Rows, "%s: count kept", ref)
		}
	}
	assert.Contains(t, out, `"rows": null`)
	assert.Contains(t, errOut, "(shown as null)")
}

// Anonymous, the refusal is a 401: the note says so and its fix is to log
// in. Any other failure of a count still fails the whole list.
func TestCatalogLsRefusedAnonymouslyAndOtherFailures(t *testing.T) {
	isolate(t)
	srv := refusingServer(t, catalog.TableRef{Schema: "demo", Table: "Image"})
	host := []string{"--host", srv.URL, "--catalog", "1"}

	out, errOut, code := cli(t, "", append([]string{"catalog", "ls"}, host...)...)
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `(?m)^demo +Image +\S+ +\?$`, out)
	assert.Contains(t, errOut, "cyclezero: note: could not count the rows of demo:Image (shown as ?): "+
		"the catalog refused to read them (not logged in: select access on :demo:Image)\n")
	assert.Contains(t, errOut, "  fix: log in with: deriva-globus-auth-utils login --host ")

	srv.Inject(ermresttest.Fault{Method: http.MethodGet, PathPrefix: countPath(t, srv, "demo:Subject"),
		Status: http.StatusBadRequest})
	out, errOut, code = cli(t, "", append([]string{"catalog", "ls"}, host...)...)
	assert.Equal(t, exitError, code, out+errOut)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "cyclezero: count rows of demo:Subject: ")
}

// A table dropped between reading the model and counting its rows gets
// ERMrest's 409 for an unknown table: the fix says the model changed and
// to list again, not (as for a name the user typed) to list the tables
// with the very command that failed.
func TestCatalogLsTableDroppedWhileListing(t *testing.T) {
	isolate(t)
	srv := refusingServer(t)
	host := []string{"--host", srv.URL, "--catalog", "1"}
	srv.Inject(ermresttest.Fault{Method: http.MethodGet, PathPrefix: countPath(t, srv, "demo:Subject"),
		Status: http.StatusConflict, Body: "Request conflicts with state of server. Detail: Table Subject does not exist in schema demo.\n"})
	out, errOut, code := cli(t, "", append([]string{"catalog", "ls"}, host...)...)
	assert.Equal(t, exitError, code, out+errOut)
	assert.Contains(t, errOut, "Table Subject does not exist in schema demo.\n")
	assert.Contains(t, errOut, "  fix: the catalog's model changed while it was being listed (a table was dropped or renamed); "+
		"run it again: cyclezero catalog ls --host "+srv.URL+" --catalog 1\n")
	assert.NotContains(t, errOut, "list the catalog's tables with")
}

// A 403 on reading the catalog's model fails the command with exit 4 (not
// allowed, as the README says), the refusal and its fix: which login may.
func TestCatalogReadForbiddenExitsAuth(t *testing.T) {
	isolate(t)
	srv := refusingServer(t)
	logIn(t, srv)
	srv.Inject(ermresttest.Fault{Method: http.MethodGet, PathPrefix: "/ermrest/catalog/1/schema", Status: http.StatusForbidden})
	out, errOut, code := cli(t, "", "catalog", "ls", "--host", srv.URL, "--catalog", "1")
	assert.Equal(t, exitAuth, code, out+errOut)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "cyclezero: read the model of "+srv.URL+" catalog 1: ")
	assert.Contains(t, errOut, "access forbidden")
	assert.Contains(t, errOut, "  fix: your login may not do this on ")
	assert.Contains(t, errOut, "ask the catalog's owner for access")
}

// ls counts every table at one snapshot, the one the catalog was at when
// it started, so a writer working meanwhile (a training run) cannot make
// one listing mix moments.
func TestCatalogLsCountsAtOneSnapshot(t *testing.T) {
	isolate(t)
	srv := refusingServer(t)
	host := []string{"--host", srv.URL, "--catalog", "1"}
	at := strings.TrimSuffix(countPath(t, srv, ""), "/aggregate/")
	srv.ResetRequests()
	out, errOut, code := cli(t, "", append([]string{"catalog", "ls"}, host...)...)
	require.Equal(t, exitOK, code, out+errOut)
	counts := 0
	for _, r := range srv.Requests() {
		if strings.Contains(r.Path, "/aggregate/") {
			counts++
			assert.True(t, strings.HasPrefix(r.Path, at+"/aggregate/"), "count %s not at %s", r.Path, at)
		}
	}
	assert.Greater(t, counts, 10, "one count per table")
}
