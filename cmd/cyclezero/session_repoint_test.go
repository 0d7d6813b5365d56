package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// loadSession is slug's session in dir as saved.
func loadSession(t *testing.T, dir, slug string) *state.Session {
	t.Helper()
	where, err := state.Locate(t.Context(), dir)
	require.NoError(t, err)
	s, err := state.Load(where.StateDir, slug)
	require.NoError(t, err)
	return s
}

// A session whose server moved is pointed at the new place by resume
// SLUG --host --catalog, once the catalog there answers; it says what
// changed and, without a terminal, how to open the session. The catalog
// commands then use the new place.
func TestResumePointsASessionAtItsMovedServer(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	before := serverSession(t, dir, "x")
	before.Close()
	after := fakeServer(t)
	logIn(t, after)
	c := "cyclezero -C " + dir + " "

	out, errOut, code := cli(t, "", "-C", dir, "resume", "x", "--host", after.URL, "--catalog", "1")
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "Session x now uses "+after.URL+" catalog 1 (was "+before.URL+" catalog 1).\n"+
		"Resume with: "+c+"resume x\n", out)
	assert.Equal(t, state.CatalogLocation{Kind: state.CatalogERMrest, Host: after.URL, CatalogID: "1"}, loadSession(t, dir, "x").Catalog)

	out, errOut, code = cli(t, "", "-C", dir, "catalog", "ls")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "demo       Image")

	out, errOut, code = cli(t, "", "-C", dir, "resume", "x", "--host", after.URL, "--catalog", "1")
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "Session x already uses "+after.URL+" catalog 1; nothing changed.\nResume with: "+c+"resume x\n", out)
}

// A new place that does not answer, or has no such catalog, is refused
// with the check new makes, and the session keeps its catalog.
func TestResumeRepointChecksTheNewCatalog(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	srv := serverSession(t, dir, "x")
	saved := loadSession(t, dir, "x").Catalog

	out, errOut, code := cli(t, "", "-C", dir, "resume", "x", "--host", srv.URL, "--catalog", "99")
	assert.Equal(t, exitError, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "cyclezero: session x still uses "+srv.URL+" catalog 1: there is no catalog \"99\" on ")
	assert.Equal(t, saved, loadSession(t, dir, "x").Catalog)

	gone := fakeServer(t)
	gone.Close()
	_, errOut, code = cli(t, "", "-C", dir, "resume", "x", "--host", gone.URL, "--catalog", "1")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "nothing is listening at ")
	assert.Equal(t, "check the host and port, and that the server is running", fixLine(errOut), "the user typed this host")
	assert.Equal(t, saved, loadSession(t, dir, "x").Catalog)
}

// Re-pointing is for a session on a server, named, with both flags; a
// session on the embedded catalog is refused before any server is asked.
func TestResumeRepointRefusals(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "local-one")
	srv := fakeServer(t)
	c := "cyclezero -C " + dir + " "

	_, errOut, code := cli(t, "", "-C", dir, "resume", "local-one", "--host", srv.URL, "--catalog", "1")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "cyclezero: session local-one is on the embedded catalog (local catalog at ")
	assert.Contains(t, errOut, "start a session there: "+c+"new SLUG --host "+srv.URL+" --catalog 1\n")
	assert.Zero(t, len(srv.Requests()), "the server is not asked")
	assert.Equal(t, state.CatalogLocal, loadSession(t, dir, "local-one").Catalog.Kind)

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"resume", "--host", srv.URL, "--catalog", "1"}, "name the session: " + c + "resume SLUG --host " + srv.URL + " --catalog 1\n"},
		{[]string{"resume", "local-one", "--host", srv.URL}, "a Deriva server needs both --host and --catalog"},
		// --catalog alone is not ignored: it too asks for a change.
		{[]string{"resume", "local-one", "--catalog", "2"}, "a Deriva server needs both --host and --catalog"},
		{[]string{"resume", "nope", "--host", srv.URL, "--catalog", "1"}, "nope"},
	} {
		before, err := os.ReadFile(sessionFile(t, dir, "local-one"))
		require.NoError(t, err)
		_, errOut, code := cli(t, "", append([]string{"-C", dir}, tc.args...)...)
		assert.Equal(t, exitUsage, code, tc.args)
		assert.Contains(t, errOut, tc.want, tc.args)
		after, err := os.ReadFile(sessionFile(t, dir, "local-one"))
		require.NoError(t, err)
		assert.Equal(t, string(before), string(after), "a refused change leaves the session file as it was: %v", tc.args)
	}
}

// A session open in another cyclezero is not changed under it.
func TestResumeRepointWaitsForTheSessionToBeFree(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	srv := serverSession(t, dir, "x")
	where, err := state.Locate(t.Context(), dir)
	require.NoError(t, err)
	h, err := state.Open(where.StateDir, "x") // the other cyclezero
	require.NoError(t, err)
	require.False(t, h.ReadOnly())
	t.Cleanup(func() { _ = h.Close() })

	other := fakeServer(t)
	_, errOut, code := cli(t, "", "-C", dir, "resume", "x", "--host", other.URL, "--catalog", "1")
	assert.Equal(t, exitBusy, code, errOut)
	assert.Contains(t, errOut, "cyclezero: cannot change session x's catalog now: it is ")
	assert.Zero(t, len(other.Requests()), "the new place is not asked")
	assert.Equal(t, srv.URL, loadSession(t, dir, "x").Catalog.Host)
}

// A session whose files cannot be written cannot take a new catalog: it
// says so, not that another cyclezero has it open (there is none to
// close), and the server is not asked.
func TestResumeRepointOfAnUnwritableSession(t *testing.T) {
	dir, readOnly := mountedRepo(t)
	srv := serverSession(t, dir, "x")
	// Without its lock file the lock cannot be taken (with one it can: the
	// lock is only read), so the session opens read-only.
	require.NoError(t, os.Remove(state.LockPath(mustStateDir(t, dir), "x")))
	readOnly()
	before, err := os.ReadFile(sessionFile(t, dir, "x"))
	require.NoError(t, err)

	other := fakeServer(t)
	_, errOut, code := cli(t, "", "-C", dir, "resume", "x", "--host", other.URL, "--catalog", "1")
	assert.Equal(t, exitError, code, errOut)
	assert.Contains(t, errOut, "cyclezero: cannot change session x's catalog: the session is in "+
		state.SessionsDir(mustStateDir(t, dir))+", which cannot be written (read-only file system)")
	assert.NotContains(t, errOut, "close it there")
	assert.Zero(t, len(other.Requests()), "the new place is not asked")
	after, err := os.ReadFile(sessionFile(t, dir, "x"))
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))
	assert.Equal(t, srv.URL, loadSession(t, dir, "x").Catalog.Host)
}
