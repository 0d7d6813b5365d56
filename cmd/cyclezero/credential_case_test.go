package main

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state/gittest"
)

// deriva-py looks a host up in the credential file as given, then
// lower-cased: a login saved under "LOCALHOST:PORT" is found for
// --host http://LOCALHOST:PORT by the headless commands, and by a session
// created with new --host, which keeps the host as typed to reopen its
// catalog with.
func TestCredentialKeyInUpperCaseIsFound(t *testing.T) {
	isolate(t)
	srv := fakeServer(t)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	typed := "LOCALHOST:" + u.Port()
	path := filepath.Join(os.Getenv("HOME"), ".deriva", "credential.json")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	b, err := json.Marshal(map[string]any{typed: map[string]string{"cookie": "webauthn=tok123"}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o600))
	host := []string{"--host", "http://" + typed, "--catalog", "1"}

	out, errOut, code := cli(t, "", append([]string{"catalog", "whoami"}, host...)...)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "id:   researcher")
	out, errOut, code = cli(t, "", append([]string{"catalog", "ls"}, host...)...)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Image")

	gittest.Require(t)
	dir := gitRepo(t)
	out, errOut, code = cli(t, "", append([]string{"-C", dir, "new", "x"}, host...)...)
	require.Equal(t, exitOK, code, out+errOut)
	// The session reopens its catalog with the login (anonymous would get 401).
	out, errOut, code = cli(t, "", "-C", dir, "catalog", "ls", "--session", "x")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Image")
}
