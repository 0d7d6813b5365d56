package ermrest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

// A saved webauthn cookie the server does not know (an expired login) is
// a saved login that was refused, as a refused bearer token is: reads and
// whoami say so and to log in again, never that the caller is anonymous
// or has yet to log in, and the cookie's value is never shown.
func TestRefusedSavedCookieSaysLogInAgain(t *testing.T) {
	t.Parallel()
	srv := ermresttest.New(localtest.Open(t, local.Options{Client: testUser}), ermresttest.Options{})
	t.Cleanup(srv.Close)
	home := t.TempDir()
	writeCredentials(t, home, map[string]any{hostOf(srv): map[string]any{"cookie": "webauthn=expired-session"}})
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: home})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })

	again := func(what string, err error) {
		t.Helper()
		requireKind(t, err, catalog.ErrUnauthenticated)
		fix := catalog.Hint(err)
		if !strings.Contains(fix, "the saved login for "+hostOf(srv)+" in ") || !strings.Contains(fix, "was not accepted") ||
			!strings.Contains(fix, "log in again with: deriva-globus-auth-utils login --host "+hostOf(srv)) {
			t.Errorf("%s with a refused cookie: fix %q", what, fix)
		}
		if strings.Contains(err.Error(), "expired-session") || strings.Contains(fix, "expired-session") {
			t.Errorf("%s: the cookie leaked: %v (fix %q)", what, err, fix)
		}
	}
	_, err = c.Model(t.Context(), "")
	again("a read", err)
	who, err := c.Whoami(t.Context())
	require.Error(t, err, "whoami with a refused cookie is not anonymous: %+v", who)
	again("whoami", err)
}
