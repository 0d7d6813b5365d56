package main

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/state"
)

// complete runs cobra's hidden __complete command, as the shell scripts
// do on a tab press, and returns the words offered and the directive.
func complete(t *testing.T, args ...string) ([]string, cobra.ShellCompDirective) {
	t.Helper()
	out, errOut, code := cli(t, "", append([]string{"__complete"}, args...)...)
	require.Equal(t, exitOK, code, errOut)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	last := lines[len(lines)-1]
	require.True(t, strings.HasPrefix(last, ":"), "no directive line in %q", out)
	d, err := strconv.Atoi(last[1:])
	require.NoError(t, err)
	var words []string
	for _, l := range lines[:len(lines)-1] {
		word, _, _ := strings.Cut(l, "\t")
		words = append(words, word)
	}
	return words, cobra.ShellCompDirective(d)
}

// files records every file under dir with its size and modification time.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		got[p] = strconv.FormatInt(fi.Size(), 10) + " " + fi.ModTime().Format(time.RFC3339Nano)
		return nil
	}))
	return got
}

// Slugs complete from this repository's sessions wherever a slug is
// taken, never files, and completing writes nothing and holds no lock.
func TestCompleteSessionSlugs(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	loc, err := state.Locate(t.Context(), dir)
	require.NoError(t, err)
	before := files(t, loc.StateDir)

	for _, args := range [][]string{
		{"-C", dir, "resume", ""},
		{"-C", dir, "status", "diag"},
		{"-C", dir, "catalog", "ls", "--session", ""},
		{"-C", dir, "catalog", "show", "--session", "d"},
	} {
		words, d := complete(t, args...)
		assert.Equal(t, []string{"diagnosis-classifier"}, words, "%v", args)
		assert.NotZero(t, d&cobra.ShellCompDirectiveNoFileComp, "%v", args)
	}
	for _, args := range [][]string{
		{"-C", dir, "resume", "x"},                        // no session starts so
		{"-C", dir, "status", "diagnosis-classifier", ""}, // one slug only
		{"-C", dir, "new", ""},                            // a new slug: nothing to offer
	} {
		words, d := complete(t, args...)
		assert.Empty(t, words, "%v", args)
		assert.NotZero(t, d&cobra.ShellCompDirectiveNoFileComp, "%v", args)
	}
	assert.Equal(t, before, files(t, loc.StateDir), "completion changed the state directory")
	assert.Empty(t, state.LockHolder(loc.StateDir, "diagnosis-classifier"), "completion left a lock held")

	// Outside any session nothing is offered, and nothing fails.
	words, _ := complete(t, "-C", t.TempDir(), "resume", "")
	assert.Empty(t, words)
}

// catalog show completes table names from an embedded catalog.
func TestCompleteTablesOfAnEmbeddedCatalog(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	words, d := complete(t, "-C", dir, "catalog", "show", "")
	assert.Contains(t, words, "Image")
	assert.Contains(t, words, "Dataset")
	assert.NotZero(t, d&cobra.ShellCompDirectiveNoFileComp)

	words, _ = complete(t, "-C", dir, "catalog", "show", "demo:I")
	assert.Equal(t, []string{"demo:Image", "demo:Image_Asset_Type", "demo:Image_Execution"}, words)

	missing := filepath.Join(t.TempDir(), "none.db")
	words, _ = complete(t, "-C", dir, "catalog", "show", "--db", missing, "")
	assert.Empty(t, words, "a missing file offers nothing")
	assert.NoFileExists(t, missing, "and is not created")
}

// A catalog on a server is never contacted to complete a table name: a
// tab press must not wait on the network.
func TestCompleteTablesNeverContactsAServer(t *testing.T) {
	isolate(t)
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		http.Error(w, "no", http.StatusInternalServerError)
	}))
	defer srv.Close()
	words, d := complete(t, "-C", t.TempDir(), "catalog", "show", "--host", srv.URL, "--catalog", "1", "")
	assert.Empty(t, words)
	assert.NotZero(t, d&cobra.ShellCompDirectiveNoFileComp)
	assert.Zero(t, requests.Load())
}

// A table name is offered alone where it is in one schema, with its schema
// where it is in several (as findTable takes them) or the word has a colon.
func TestTableCompletions(t *testing.T) {
	t.Parallel()
	tables := func(schema string, names ...string) *catalog.Schema {
		s := &catalog.Schema{Name: schema, Tables: map[string]*catalog.Table{}}
		for _, n := range names {
			s.Tables[n] = &catalog.Table{SchemaName: schema, Name: n}
		}
		return s
	}
	m := &catalog.Model{Schemas: map[string]*catalog.Schema{
		"a": tables("a", "Image", "Subject"), "b": tables("b", "Image", "Study"),
	}}
	names := func(prefix string) []string {
		var out []string
		for _, c := range tableCompletions(m, prefix) {
			word, _, _ := strings.Cut(c, "\t")
			out = append(out, word)
		}
		return out
	}
	assert.Equal(t, []string{"a:Image", "Subject", "b:Image", "Study"}, names(""))
	assert.Equal(t, []string{"Subject", "Study"}, names("S"))
	assert.Equal(t, []string{"b:Image", "b:Study"}, names("b:"))
}

// A slug is described by its phase as status and the picker name it, and
// the options that take a directory (demo's DIR, -C) offer directories
// only.
func TestCompletionDescribesPhasesAndOffersDirectories(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	out, errOut, code := cli(t, "", "__complete", "-C", dir, "resume", "")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "diagnosis-classifier\tphase 1, Specify\n")
	for _, args := range [][]string{{"demo", ""}, {"-C", ""}, {"status", "-C", ""}} {
		_, d := complete(t, args...)
		assert.Equal(t, cobra.ShellCompDirectiveFilterDirs, d, "%v", args)
	}
}
