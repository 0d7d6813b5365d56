package ermrest_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

// Only webauthn's own text/plain "No existing login session found." means
// anonymous; any other 404 on /authn/session (a proxy's HTML page, another
// server's plain-text 404) is an error saying the host is not a Deriva server.
func TestWhoamiAnonymousOnlyOnWebauthns404(t *testing.T) {
	t.Parallel()
	srv := ermresttest.New(localtest.Open(t, local.Options{Client: testUser}), ermresttest.Options{})
	t.Cleanup(srv.Close)
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: t.TempDir()})
	require.NoError(t, err)

	me, err := c.Whoami(t.Context())
	require.NoError(t, err, "the fake answers exactly as the captured server")
	assert.True(t, me.Anonymous)

	for _, f := range []ermresttest.Fault{
		{Status: 404, ContentType: "text/html", Body: "<html><body>Not Found</body></html>"},
		{Status: 404, ContentType: "text/plain; charset=utf-8", Body: "404 page not found\n"},
		{Status: 404, ContentType: "application/json", Body: `{"error":"no route"}`},
		{Status: 404, ContentType: "text/plain", Body: "No existing login session found. Really.\n"},
	} {
		f.PathPrefix = "/authn/session"
		srv.Inject(f)
		me, err := c.Whoami(t.Context())
		requireKind(t, err, catalog.ErrBadResponse)
		assert.False(t, me.Anonymous, "%s %q must not pass as anonymous", f.ContentType, f.Body)
		assert.Contains(t, catalog.Hint(err), "did not answer like an ERMrest catalog")
	}
}

// deriva-py looks the credential up by the host as given, then lower-cased
// (credentials.get(host, credentials.get(host.lower()))): the user's
// spelling reaches the credential file through New, although requests go
// to the normalized host.
func TestCredentialKeyKeepsTheHostsSpelling(t *testing.T) {
	t.Parallel()
	srv := ermresttest.New(localtest.Open(t, local.Options{Client: testUser}), ermresttest.Options{})
	t.Cleanup(srv.Close)
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	exact := "LocalHost:" + u.Port() // loopback, so http:// is allowed
	lower := strings.ToLower(exact)
	srv.AddCookie("exact", catalog.Identity{ID: "exact-user"})
	srv.AddCookie("lower", catalog.Identity{ID: "lower-user"})

	for _, tc := range []struct {
		name  string
		creds map[string]any
		want  string
	}{
		{"exact case wins", map[string]any{exact: cookie("exact"), lower: cookie("lower")}, "exact-user"},
		{"lower-case fallback", map[string]any{lower: cookie("lower")}, "lower-user"},
		{"exact case alone", map[string]any{exact: cookie("exact")}, "exact-user"},
	} {
		home := t.TempDir()
		writeCredentials(t, home, tc.creds)
		c, err := ermrest.New("http://"+exact, "1", ermrest.Options{HomeDir: home})
		require.NoError(t, err, tc.name)
		me, err := c.Whoami(t.Context())
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, me.ID, tc.name)
		assert.Equal(t, "http://localhost:"+u.Port()+" catalog 1", c.Describe(), "requests go to the normalized host")
	}

	// The login advice names the host as the user typed it.
	c, err := ermrest.New("http://"+exact, "1", ermrest.Options{HomeDir: t.TempDir()})
	require.NoError(t, err)
	_, err = c.Model(t.Context(), "")
	requireKind(t, err, catalog.ErrUnauthenticated)
	assert.Contains(t, catalog.Hint(err), "login --host "+exact)
}

func cookie(value string) map[string]any { return map[string]any{"cookie": "webauthn=" + value} }
