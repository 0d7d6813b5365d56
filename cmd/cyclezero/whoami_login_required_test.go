package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tokenSent records whether each request to a server carried an
// Authorization header.
type tokenSent struct {
	mu   sync.Mutex
	sent []bool
}

func (s *tokenSent) all() []bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]bool(nil), s.sent...)
}

// requiresLogin is a server that answers every request 401, as a Deriva
// server that allows no anonymous access does.
func requiresLogin(t *testing.T, seen *tokenSent) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.mu.Lock()
		seen.sent = append(seen.sent, r.Header.Get("Authorization") != "")
		seen.mu.Unlock()
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte("Unauthorized. Detail: login required\n"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// saveToken writes deriva's credential file with a bearer token for
// serverURL's host:port.
func saveToken(t *testing.T, serverURL string) {
	t.Helper()
	u, err := url.Parse(serverURL)
	require.NoError(t, err)
	path := filepath.Join(os.Getenv("HOME"), ".deriva", "credential.json")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	b, err := json.Marshal(map[string]any{u.Host: map[string]string{"bearer-token": "tok123"}})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, b, 0o600))
}

type whoamiDoc struct {
	Anonymous         bool `json:"anonymous"`
	CredentialRefused bool `json:"credential_refused"`
}

func whoamiAsJSON(t *testing.T, serverURL string) (whoamiDoc, string) {
	t.Helper()
	out, errOut, code := cli(t, "", "catalog", "whoami", "--json", "--host", serverURL, "--catalog", "1")
	require.Equal(t, exitAuth, code, errOut)
	var doc whoamiDoc
	require.NoError(t, json.Unmarshal([]byte(out), &doc), "stdout: %q\nstderr: %s", out, errOut)
	return doc, errOut
}

// A 401 to a request that carried no credential refused nothing: whoami
// says the server requires a login and how to log in, and does not claim
// a saved credential was refused. With a saved token sent, the same 401
// is its refusal.
func TestWhoamiLoginRequiredIsNoRefusal(t *testing.T) {
	isolate(t)
	var seen tokenSent
	srv := requiresLogin(t, &seen)
	u, _ := url.Parse(srv.URL)

	doc, errOut := whoamiAsJSON(t, srv.URL)
	assert.Equal(t, whoamiDoc{Anonymous: true}, doc)
	assert.Contains(t, errOut, "the server requires a login: login required\n")
	assert.Contains(t, errOut, "fix: log in with: deriva-globus-auth-utils login --host "+u.Host)
	assert.NotContains(t, errOut, "refused")
	assert.Equal(t, []bool{false}, seen.all())

	saveToken(t, srv.URL)
	doc, errOut = whoamiAsJSON(t, srv.URL)
	assert.Equal(t, whoamiDoc{Anonymous: true, CredentialRefused: true}, doc)
	assert.Contains(t, errOut, "the server refused your saved credential (expired or revoked?)")
	assert.Contains(t, errOut, "log in again with: deriva-globus-auth-utils login --host "+u.Host)
	assert.NotContains(t, errOut, "tok123", "the token never shows")
	assert.Equal(t, []bool{false, true}, seen.all())
}

// A redirect to another server, which the saved token is not sent to,
// whose 401 is no refusal of it: the fix names where --host should point.
func TestWhoamiLoginRequiredAfterRedirect(t *testing.T) {
	isolate(t)
	var seen tokenSent
	there := requiresLogin(t, &seen)
	here := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, there.URL+r.URL.RequestURI(), http.StatusFound)
	}))
	t.Cleanup(here.Close)
	saveToken(t, here.URL)

	doc, errOut := whoamiAsJSON(t, here.URL)
	assert.Equal(t, whoamiDoc{Anonymous: true}, doc)
	assert.Contains(t, errOut, "the server requires a login")
	assert.Contains(t, errOut, strings.TrimPrefix(here.URL, "http://")+" redirected to "+there.URL+
		", where your saved login is not sent; use --host "+there.URL+" (cyclezero resume SLUG --host "+there.URL)
	assert.NotContains(t, errOut, "not accepted")
	assert.Equal(t, []bool{false}, seen.all(), "the token stayed with its own server")
}
