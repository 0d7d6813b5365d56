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
	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
)

// saveCredential writes deriva's credential file with entry for srv's
// host:port and returns the file's path.
func saveCredential(t *testing.T, srv *ermresttest.Server, entry map[string]string) string {
	t.Helper()
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	path := filepath.Join(os.Getenv("HOME"), ".deriva", "credential.json")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	b, err := json.Marshal(map[string]any{u.Host: entry})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o600))
	return path
}

// A saved username and password the server refuses: whoami says so (not
// "expired or revoked", which only a token or cookie can be) and gives the
// same fix catalog ls does, naming the file and host; a refused cookie
// keeps "expired or revoked?".
func TestWhoamiRefusedPasswordSaysSo(t *testing.T) {
	isolate(t)
	who := catalog.Identity{ID: "researcher"}
	srv := demoServer(t, ermresttest.Options{Users: map[string]ermresttest.User{"u1": {Password: "pw", Identity: who}}})
	host := []string{"--host", srv.URL, "--catalog", "1"}
	u, _ := url.Parse(srv.URL)
	path := saveCredential(t, srv, map[string]string{"username": "u1", "password": "wrong"})

	_, lsErr, code := cli(t, "", append([]string{"catalog", "ls"}, host...)...)
	require.Equal(t, exitAuth, code, lsErr)
	fix := "the username and password in " + path + " for " + u.Host + " were refused; fix them, or log in with"
	require.Contains(t, lsErr, "fix: "+fix, "catalog ls gives the fix whoami should")

	out, errOut, code := cli(t, "", append([]string{"catalog", "whoami"}, host...)...)
	assert.Equal(t, exitAuth, code, errOut)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "the server refused your saved username and password: login failed\n")
	assert.Contains(t, errOut, "  fix: "+fix)
	assert.NotContains(t, errOut, "expired or revoked")

	// --json: the same anonymous document as for any refusal, and the same fix.
	out, errOut, code = cli(t, "", append([]string{"catalog", "whoami", "--json"}, host...)...)
	assert.Equal(t, exitAuth, code, errOut)
	assert.Contains(t, out, `"credential_refused": true`)
	assert.Contains(t, errOut, "  fix: "+fix)

	// The right password: logged in.
	saveCredential(t, srv, map[string]string{"username": "u1", "password": "pw"})
	out, errOut, code = cli(t, "", append([]string{"catalog", "whoami"}, host...)...)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "id:   researcher")
}

func TestRefusedDetailNamesWhatWasRefused(t *testing.T) {
	t.Parallel()
	login := &catalog.Error{Kind: catalog.ErrUnauthenticated, Status: 401, Op: "POST /authn/session",
		Detail: "login failed", Fix: "the username and password in f for h were refused; fix them"}
	assert.Equal(t, "the server refused your saved username and password: login failed", refusedDetail(login))
	assert.Same(t, login, passwordRefusal(login))

	token := &catalog.Error{Kind: catalog.ErrUnauthenticated, Status: 401, Op: "GET /authn/session", Detail: "no"}
	assert.Equal(t, "the server refused your saved credential (expired or revoked?): no", refusedDetail(token))
	assert.Nil(t, passwordRefusal(token))

	// A POST refused for another reason is not a refused password.
	assert.Nil(t, passwordRefusal(&catalog.Error{Kind: catalog.ErrUnavailable, Op: "POST /authn/session"}))
	assert.True(t, strings.HasPrefix(refusedDetail(context.Canceled), "the server refused your saved credential"))
}
