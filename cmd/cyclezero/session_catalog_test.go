package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// openOnce opens slug in dir to write, as resume does, and lets it go.
func openOnce(t *testing.T, dir, slug string) {
	t.Helper()
	ws, err := locate(context.Background(), &globalFlags{repo: dir})
	require.NoError(t, err)
	m := newSessions(ws)
	_, ro, _, err := m.open(context.Background(), slug)
	require.NoError(t, err)
	require.False(t, ro)
	require.NoError(t, m.close())
}

// A real model's missing catalog is never offered the demo: the fix is a
// backup, or opening the session, which makes it again as new did.
func TestMissingSessionCatalogIsMadeAgainByOpeningIt(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "fresh", "my-model") // my-model is the newest
	path := sessionCatalog(t, dir, "my-model")
	require.NoError(t, os.Rename(path, path+".away"))

	for _, args := range [][]string{{"catalog", "ls"}, {"catalog", "ls", "--session", "my-model"}} {
		_, errOut, code := cli(t, "", append([]string{"-C", dir}, args...)...)
		assert.Equal(t, exitError, code, errOut)
		assert.Contains(t, errOut, "the embedded catalog of session my-model is missing ("+path+"); restore it from a backup, "+
			"or create it again, empty, by opening the session: cyclezero -C "+dir+" resume my-model", args)
		assert.NotContains(t, errOut, "seed-demo", args)
	}

	openOnce(t, dir, "my-model")
	got, errOut, code := cli(t, "", "-C", dir, "catalog", "ls", "--session", "my-model")
	require.Equal(t, exitOK, code, errOut)
	want, errOut, code := cli(t, "", "-C", dir, "catalog", "ls", "--session", "fresh")
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, tablesOf(want), tablesOf(got), "the catalog made again is the one new makes: schemas, no data, no demo")

	// An empty file (a truncated catalog) is made a catalog the same way.
	require.NoError(t, os.Truncate(path, 0))
	openOnce(t, dir, "my-model")
	got, errOut, code = cli(t, "", "-C", dir, "catalog", "ls", "--session", "my-model")
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, tablesOf(want), tablesOf(got))
}

// tablesOf is catalog ls output without its first line, which names the file.
func tablesOf(ls string) string {
	_, tables, _ := strings.Cut(ls, "\n")
	return tables
}

// A catalog file the session names outside its state dir is the user's:
// opening the session does not make one there, and the fix is a backup.
func TestMissingCatalogElsewhereIsNotMade(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "m")
	elsewhere := filepath.Join(t.TempDir(), "mine.sqlite")
	h, err := state.Open(mustStateDir(t, dir), "m")
	require.NoError(t, err)
	s := h.Session()
	s.Catalog.Path = elsewhere
	require.NoError(t, h.Save(s))
	require.NoError(t, h.Close())

	_, errOut, code := cli(t, "", "-C", dir, "catalog", "ls")
	assert.Equal(t, exitError, code, errOut)
	assert.Contains(t, errOut, "the embedded catalog of session m is missing ("+elsewhere+"); restore it from a backup")
	assert.NotContains(t, errOut, "seed-demo")
	openOnce(t, dir, "m")
	assert.NoFileExists(t, elsewhere)
}

// The demo's session is the one place the demo is the fix, and opening it
// seeds the demo again.
func TestMissingDemoCatalogIsSeededAgain(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	path := sessionCatalog(t, dir, "diagnosis-classifier")
	require.NoError(t, os.Rename(path, path+".away"))
	_, errOut, code := cli(t, "", "-C", dir, "catalog", "ls")
	assert.Equal(t, exitError, code, errOut)
	assert.Contains(t, errOut, "the embedded catalog of session diagnosis-classifier is missing ("+path+
		"); seed the demo into it again with: cyclezero -C "+dir+" catalog seed-demo --db "+path)

	openOnce(t, dir, "diagnosis-classifier")
	out, errOut, code := cli(t, "", "-C", dir, "catalog", "ls")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "demo       Image ")

	require.NoError(t, os.WriteFile(path, []byte("not a database"), 0o600))
	_, errOut, code = cli(t, "", "-C", dir, "catalog", "ls")
	assert.Equal(t, exitError, code, errOut)
	assert.Contains(t, errOut, path+" is not an embedded catalog (not an SQLite database); move it aside, "+
		"then create the catalog again with: cyclezero -C "+dir+" catalog seed-demo --db "+path)
}

// A session named like the demo's in a real repository is a real model.
func TestDemoSlugOutsideTheDemoIsARealModel(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "diagnosis-classifier")
	ws, err := locate(context.Background(), &globalFlags{repo: dir})
	require.NoError(t, err)
	assert.False(t, steps.IsDemoSession(ws.RepoRoot, "diagnosis-classifier"))
	require.NoError(t, os.Remove(sessionCatalog(t, dir, "diagnosis-classifier")))
	_, errOut, _ := cli(t, "", "-C", dir, "catalog", "ls")
	assert.Contains(t, errOut, "by opening the session: cyclezero -C "+dir+" resume diagnosis-classifier")
	assert.NotContains(t, errOut, "seed-demo")
}
