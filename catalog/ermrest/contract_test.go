package ermrest_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
	"github.com/cyclezero/cyclezero/catalog/storetest"
)

// testUser is who the engines stamp on rows and who the client logs in as.
var testUser = catalog.Identity{ID: "testuser", DisplayName: "Test User"}

// connect opens a client on a fake serving engine, logged in as testUser
// through a deriva credential file (a webauthn cookie), with tiny retry
// delays.
func connect(t *testing.T, engine catalog.Store, opts ermresttest.Options) (*ermrest.Client, *ermresttest.Server) {
	t.Helper()
	srv := ermresttest.New(engine, opts)
	t.Cleanup(srv.Close)
	srv.AddCookie("contract-session", testUser)
	home := t.TempDir()
	writeCredentials(t, home, map[string]any{hostOf(srv): map[string]any{"cookie": "webauthn=contract-session"}})
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: home,
		Retry: ermrest.RetryPolicy{Attempts: 3, BaseDelay: time.Millisecond, MaxDelay: 2 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c, srv
}

// The contract suite through the whole HTTP stack: ermrest.Client → the
// ERMrest fake → the embedded SQLite catalog.
func TestContractOverHTTPWithLocal(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) catalog.Store {
		c, _ := connect(t, localtest.Open(t, local.Options{Client: testUser}), ermresttest.Options{})
		return c
	})
}

// writeCredentials writes deriva's credential file under home.
func writeCredentials(t *testing.T, home string, creds map[string]any) string {
	t.Helper()
	path := filepath.Join(home, ".deriva", "credential.json")
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(creds)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// hostOf is the fake's "127.0.0.1:port", the credential file's key for it.
func hostOf(s *ermresttest.Server) string { return strings.TrimPrefix(s.URL, "http://") }
