package ermresttest

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

// testUser is who the fixture's engine stamps on rows.
var testUser = catalog.Identity{ID: "testuser", DisplayName: "testuser", Groups: []string{"admin"}}

// engines are the catalog.Store engines the fake is tested over: the
// embedded SQLite catalog.
var engines = map[string]func(t testing.TB) catalog.Store{
	"local": func(t testing.TB) catalog.Store {
		return localtest.Open(t, local.Options{Client: testUser})
	},
}

// forEngine runs fn as a parallel subtest per engine, each over a fresh
// fixture (default Options) on that engine.
func forEngine(t *testing.T, fn func(t *testing.T, s *Server, eng catalog.Store)) {
	for name, open := range engines {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, eng := fixtureOn(t, open(t), Options{})
			fn(t, s, eng)
		})
	}
}

// fixture starts a fake over an embedded catalog holding the observed
// server's cell-imaging schema: a Stain vocabulary and an Image table.
func fixture(t testing.TB, opts Options) (*Server, catalog.Store) {
	return fixtureOn(t, engines["local"](t), opts)
}

// fixtureOn is fixture over a given engine.
func fixtureOn(t testing.TB, eng catalog.Store, opts Options) (*Server, catalog.Store) {
	t.Helper()
	ctx := context.Background()
	model := CellImaging()
	stain, image := model.Tables[0], model.Tables[1]
	require.NoError(t, eng.Create(ctx, model))
	_, err := eng.Insert(ctx, stain.Ref(), []catalog.Row{
		{"Name": "DAPI", "Description": "nuclear stain", "Synonyms": []any{"4',6-diamidino-2-phenylindole"}},
		{"Name": "GFP", "Description": "green fluorescent protein"},
		{"Name": "Phalloidin", "Description": "actin stain", "Synonyms": []any{"phalloidin-488", "F-actin"}},
	}, catalog.InsertOptions{Defaults: []string{"ID", "URI"}})
	require.NoError(t, err)
	_, err = eng.Insert(ctx, image.Ref(), []catalog.Row{
		{"Filename": "a.png", "Stain": "DAPI", "Width": 512, "Score": 0.5, "Acquired": "2024-01-02T03:04:05+00:00",
			"Tags": []any{"x", "y"}, "Meta": map[string]any{"k": 1.0}},
		{"Filename": "b.png", "Stain": "GFP", "Width": 1024, "Score": 1.25, "Tags": []any{"y"}},
		{"Filename": "c.png", "Width": 256},
		{"Filename": "d+e.png", "Stain": "Phalloidin", "Width": 2048},
		{"Filename": "f.png", "Stain": "DAPI", "Width": 512},
		{"Filename": "h.png", "Width": 11},
		{"Filename": "i.png", "Width": 12},
		{"Filename": "k.png"},
	}, catalog.InsertOptions{})
	require.NoError(t, err)
	s := New(eng, opts)
	t.Cleanup(s.Close)
	s.AddCookie(fixtureCookie, testUser)
	return s, eng
}

// fixtureCookie logs do's requests in as testUser; pass anonymous as
// do's headers to send none.
const fixtureCookie = "fixture-session"

var anonymous = []string{"Cookie", ""}

// answer is a response as the tests look at it.
type answer struct {
	status int
	ctype  string
	etag   string
	body   string
	header http.Header
}

// do sends one request to the fake with an explicit raw URI, logged in as
// testUser unless the headers say otherwise.
func do(t *testing.T, s *Server, method, uri string, body string, header ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, s.URL, strings.NewReader(body))
	require.NoError(t, err)
	req.URL.Opaque = strings.SplitN(uri, "?", 2)[0]
	if _, q, ok := strings.Cut(uri, "?"); ok {
		req.URL.RawQuery = q
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Cookie", "webauthn="+fixtureCookie)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := s.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return answer{status: res.StatusCode, ctype: res.Header.Get("Content-Type"), etag: res.Header.Get("ETag"),
		body: string(data), header: res.Header}
}
