package ui

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// The flags a catalog message names as something to check or use read as
// the form's fields; a flag inside a command to run stays, to be pasted.
func TestAsFieldsWordsFlagsAsTheFormsFields(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`there is no catalog "99" on http://127.0.0.1:1; check --catalog`:       `there is no catalog "99" on http://127.0.0.1:1; check the catalog id`,
		"the server speaks another protocol than --host says":                   "the server speaks another protocol than the host says",
		"this server speaks plain HTTP; use --host http://127.0.0.1:18472":      "this server speaks plain HTTP; use the host http://127.0.0.1:18472",
		"check the port in --host, or use the server's HTTPS address":           "check the port in the host, or use the server's HTTPS address",
		"check the host name (for example --host www.example.org)":              "check the host name (for example www.example.org)",
		"unexpected HTTP 418 from h; check --host, and report it":               "unexpected HTTP 418 from h; check the host, and report it",
		"there is no catalog 7 on h; check the catalog id (--catalog)":          "there is no catalog 7 on h; check the catalog id",
		"log in with: deriva-globus-auth-utils login --host h (or `uv run …`)":  "log in with: deriva-globus-auth-utils login --host h (or `uv run …`)",
		"check who you are with: cyclezero catalog whoami --host h --catalog 1": "check who you are with: cyclezero catalog whoami --host h --catalog 1",
		"list them with: cz catalog ls --host https://h --catalog 1)":           "list them with: cz catalog ls --host https://h --catalog 1)",
		"the --hostile --catalogue":                                             "the --hostile --catalogue",
	} {
		assert.Equal(t, want, asFields(in), in)
	}
}

// createBy is an Options.Create that checks the catalog as cmd's does
// (steps.CheckCatalog, through the real ERMrest client), then makes the
// session.
func createBy(ctx context.Context, ns NewSession) (*state.Session, error) {
	if ns.Catalog.Kind == state.CatalogERMrest {
		if err := steps.CheckCatalog(ctx, ns.Catalog, steps.ReadOptions{}); err != nil {
			return nil, err
		}
	}
	return &state.Session{Slug: ns.Slug, Catalog: ns.Catalog}, nil
}

// closedPort is a loopback address nothing listens at.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// noCatalogServer answers as ERMrest does for a catalog it does not have.
func noCatalogServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, "Resource not found. Detail: catalog %s\n", strings.TrimPrefix(r.URL.Path, "/ermrest/catalog/"))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// oneLine is a frame's text with its line breaks and indents as single
// spaces, so a wrapped sentence can be matched whole.
func oneLine(v string) string { return strings.Join(strings.Fields(v), " ") }

// A server's error in the form comes with its fix, as on the command
// line, worded with the form's fields, not the command's flags; the field
// it blames has the focus.
func TestFormShowsTheCatalogFixInTheFormsWords(t *testing.T) {
	t.Parallel()
	plain := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(plain.Close)
	plainAddr := strings.TrimPrefix(plain.URL, "http://")
	refused := closedPort(t)
	for _, tc := range []struct {
		host, id, field string
		want            []string
	}{
		{"https://" + plainAddr, "1", keyHost, []string{
			"the server speaks another protocol than the host says",
			"fix: this server speaks plain HTTP; use the host http://" + plainAddr,
		}},
		{"http://" + refused, "1", keyHost, []string{
			"nothing is listening at " + refused,
			"fix: check the host and port, and that the server is running",
		}},
		{noCatalogServer(t), "99", keyCatalog, []string{
			`there is no catalog "99" on 127.0.0.1:`, "; check the catalog id",
		}},
	} {
		d := newDriver(t, New(Options{Now: nowFn, Create: createBy}))
		d.answerServer(tc.host, tc.id, "repo3")
		require.Equal(t, screenForm, d.m.screen, tc.host)
		v := oneLine(d.view())
		assert.Contains(t, v, "✗ could not create the session:", tc.host)
		for _, w := range tc.want {
			assert.Contains(t, v, w, tc.host)
		}
		assert.NotContains(t, v, "--host", tc.host)
		assert.NotContains(t, v, "--catalog", tc.host)
		assert.Equal(t, tc.field, d.m.form.form.GetFocusedField().GetKey(), tc.host)
		requireFrameFits(t, d.m, 80, 24)
	}
}

// A catalog chosen on the command line keeps the flags in its fix: they
// are what the user gave, and what to change when running again.
func TestFormWithAChosenCatalogKeepsTheFlagsInTheFix(t *testing.T) {
	t.Parallel()
	c := &createRecorder{err: fmt.Errorf("reach https://deriva.example.org catalog 7: %w", &catalog.Error{
		Kind: catalog.ErrUnreachable, Op: "GET /ermrest/catalog/7", Detail: "the server at deriva.example.org answered in plain HTTP",
		Fix: "check the port in --host, or use the server's HTTPS address"})}
	d := newDriver(t, New(Options{Now: nowFn, Create: c.create, Catalog: chosenServer}))
	d.typeText("my-model")
	d.send(keyEnter)
	v := oneLine(d.view())
	assert.Contains(t, v, "the catalog was chosen on the command line")
	assert.Contains(t, v, "fix: check the port in --host, or use the server's HTTPS address")
}

// Accessible mode gives the fix on a line of its own, in the words of its
// questions.
func TestAccessibleFormShowsTheCatalogFixInItsWords(t *testing.T) {
	t.Parallel()
	plain := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(plain.Close)
	addr := strings.TrimPrefix(plain.URL, "http://")
	_, out := runLines(t, Options{Create: createBy}, "2\nhttps://"+addr+"\n1\nrepo3\nq\n")
	requireText(t, out,
		"Could not create the session: reach https://"+addr+" catalog 1: GET /ermrest/catalog/1: "+
			"the server speaks another protocol than the host says",
		"\nfix: this server speaks plain HTTP; use the host http://"+addr+"\n",
		"Answer again; press enter to keep an earlier answer.",
	)
	assert.NotContains(t, out, "--host")
}

// missingCatalog is cmd's error for a catalog the server does not have:
// its message is the catalog's fix.
type missingCatalog struct{ err error }

func (e missingCatalog) Error() string { return catalog.Hint(e.err) }
func (e missingCatalog) Unwrap() error { return e.err }

// An error whose message is its fix says it once.
func TestFormSaysAFixOnceWhenItIsTheMessage(t *testing.T) {
	t.Parallel()
	c := &createRecorder{err: missingCatalog{&catalog.Error{Kind: catalog.ErrNotFound, Op: "GET /ermrest/catalog/99",
		Detail: "catalog 99", Fix: `there is no catalog "99" on deriva.example.org; check --catalog`}}}
	d := formDriver(t, c)
	d.answerServer("deriva.example.org", "99", "repo3")
	v := oneLine(d.view())
	assert.Contains(t, v, `✗ could not create the session: there is no catalog "99" on deriva.example.org; check the catalog id`)
	assert.Equal(t, 1, strings.Count(v, "there is no catalog"))
	assert.NotContains(t, v, "fix:")
	assert.Equal(t, keyCatalog, d.m.form.form.GetFocusedField().GetKey())
}
