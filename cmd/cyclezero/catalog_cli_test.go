package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gofrs/flock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/steps"
)

// --local works in a fresh repository: the repository's own embedded
// catalog until a session has one.
func TestCatalogLocalInAFreshRepo(t *testing.T) {
	isolate(t)
	repo := gitRepo(t)
	_, errOut, code := cli(t, "", "-C", repo, "catalog", "ls", "--local")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "this repository has no embedded catalog yet")
	// Each command ends a line, so no comma is copied with it.
	assert.Contains(t, errOut, "create the demo one with: cyclezero -C "+repo+" catalog seed-demo --local\n"+
		"  or start a session with its own with: cyclezero -C "+repo+" new\n")

	seed, errOut, code := cli(t, "", "-C", repo, "catalog", "seed-demo", "--local", "--json")
	require.Equal(t, exitOK, code, errOut)
	var doc struct{ DB string }
	require.NoError(t, json.Unmarshal([]byte(seed), &doc))
	assert.True(t, strings.HasSuffix(doc.DB, filepath.Join(".git", "cyclezero", "catalog.sqlite")),
		"db is the file's path alone, as serve --json gives it: %q", doc.DB)
	assert.Equal(t, []string{"already_seeded", "catalog", "class_counts", "dataset_rid", "dataset_version", "db", "execution_rid", "images",
		"labelled", "schema", "subjects", "unlabelled", "workflow_rid"}, jsonKeys(t, seed, "class_counts"),
		"seed-demo --json is snake_case; class names are keys of class_counts only")

	// Seeding again is a no-op that says what is there.
	again, errOut, code := cli(t, "", "-C", repo, "catalog", "seed-demo", "--local", "--json")
	require.Equal(t, exitOK, code, errOut)
	var first, second map[string]any
	require.NoError(t, json.Unmarshal([]byte(seed), &first))
	require.NoError(t, json.Unmarshal([]byte(again), &second))
	assert.Equal(t, false, first["already_seeded"])
	assert.Equal(t, true, second["already_seeded"])
	delete(first, "already_seeded")
	delete(second, "already_seeded")
	assert.Equal(t, first, second, "the second run reports the first run's seed")
	text, errOut, code := cli(t, "", "-C", repo, "catalog", "seed-demo", "--local")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, text, "Already seeded local catalog at ")
	assert.Contains(t, text, "(nothing written): schema demo, 120 subjects, 1000 images")
	assert.Contains(t, text, "Metaplasia")

	// SCHEMA.TABLE is a likely slip for SCHEMA:TABLE.
	_, errOut, code = cli(t, "", "-C", repo, "catalog", "show", "demo.Image", "--local")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "no table demo.Image in the embedded catalog of this repository (no session has an embedded catalog); "+
		"a table is named with its schema as SCHEMA:TABLE: demo:Image", "the catalog no flag named is said")
	_, errOut, code = cli(t, "", "-C", repo, "catalog", "show", "Nope")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "no table Nope in the embedded catalog of this repository (there is no session to take a catalog from); "+
		"list them with: cyclezero -C "+repo+" catalog ls\n")
	var out string
	for _, args := range [][]string{{"catalog", "ls", "--local"}, {"catalog", "ls"}} {
		out, errOut, code = cli(t, "", append([]string{"-C", repo}, args...)...)
		require.Equal(t, exitOK, code, errOut)
		assert.Contains(t, out, "demo       Image ", "%v", args)
	}

	// With a session, its catalog is the one used; --session picks one.
	_, errOut, code = cli(t, "", "-C", repo, "new", "mine", "--local")
	require.Equal(t, exitOK, code, errOut)
	out, _, code = cli(t, "", "-C", repo, "catalog", "ls", "--local")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, filepath.Join("sessions", "mine", "catalog.sqlite"))
	assert.NotContains(t, out, "demo       Image ")
	out, _, code = cli(t, "", "-C", repo, "catalog", "ls", "--session", "mine")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, filepath.Join("sessions", "mine", "catalog.sqlite"))

	// A session that does not exist is a wrong argument, like a --db
	// that is not there: exit 2, naming the sessions there are.
	_, errOut, code = cli(t, "", "-C", repo, "catalog", "ls", "--session", "nope")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, `--session: no session "nope" in this repository (its sessions: mine); start it with: cyclezero -C `+repo+" new nope\n")
	_, errOut, code = cli(t, "", "-C", repo, "catalog", "ls", "--session", "mine", "--db", "x.sqlite")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "exclusive")
}

// jsonKeys collects every object key of a JSON document, skipping the
// values under skip (annotation maps are keyed by tag URIs).
func jsonKeys(t *testing.T, doc string, skip ...string) []string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(doc), &v), doc)
	seen := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				seen[k] = true
				if !contains(skip, k) {
					walk(val)
				}
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Every --json document uses snake_case keys (seed-demo's is checked in
// TestCatalogLocalInAFreshRepo, which seeds anyway).
func TestJSONOutputIsSnakeCase(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	who, _, code := cli(t, "", "-C", dir, "catalog", "whoami", "--json")
	require.Equal(t, exitOK, code)
	assert.Equal(t, []string{"anonymous", "credential_refused", "display_name", "email", "full_name", "groups", "id"}, jsonKeys(t, who))

	for _, args := range [][]string{
		{"catalog", "ls", "--json"},
		{"catalog", "show", "Image", "--json"},
		{"status", "--json"},
	} {
		out, errOut, code := cli(t, "", append([]string{"-C", dir}, args...)...)
		require.Equal(t, exitOK, code, "%v: %s", args, errOut)
		for _, k := range jsonKeys(t, out, "annotations") {
			if k != "RID" { // ERMrest's own model document names its system column
				assert.Regexp(t, snakeCase, k, "%v", args)
			}
		}
	}
	out, _, _ := cli(t, `{"datasets":[{"rid":"ZZZZ","version":"0.1.0"}]}`, "-C", dir, "catalog", "validate-config", "-", "--json")
	for _, k := range jsonKeys(t, out) {
		assert.Regexp(t, snakeCase, k, "validate-config")
	}
}

// --db naming something that is not an embedded catalog says so, with the
// fix, instead of reporting a damaged catalog; an empty file is a new one.
func TestCatalogDBThatIsNotACatalog(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(text, []byte("some notes, not a database at all"), 0o644))
	short := filepath.Join(dir, "short.db")
	require.NoError(t, os.WriteFile(short, []byte("SQLite"), 0o644))
	for _, args := range [][]string{{"catalog", "ls", "--db", text}, {"catalog", "seed-demo", "--db", text}, {"catalog", "ls", "--db", short}} {
		_, errOut, code := cli(t, "", args...)
		assert.Equal(t, exitUsage, code, "%v", args)
		assert.Contains(t, errOut, args[len(args)-1]+" is not an embedded catalog (not an SQLite database); choose another --db", "%v", args)
		assert.NotContains(t, errOut, "server error", "%v", args)
	}
	before, err := os.ReadFile(text)
	require.NoError(t, err)
	assert.Equal(t, "some notes, not a database at all", string(before), "seed-demo left the file alone")

	_, errOut, code := cli(t, "", "catalog", "ls", "--db", dir)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, dir+" is a directory, not an embedded catalog; choose another --db")

	// A --db that is not there is as wrong an argument as those.
	missing := filepath.Join(dir, "missing.db")
	for _, args := range [][]string{{"catalog", "ls", "--db", missing}, {"catalog", "validate-config", "-", "--db", missing}} {
		_, errOut, code = cli(t, `{"datasets":[]}`, args...)
		assert.Equal(t, exitUsage, code, "%v: %s", args, errOut)
		assert.Contains(t, errOut, "no embedded catalog at "+missing+"; check --db, or create one there with: cyclezero catalog seed-demo --db "+missing, args)
		assert.NoFileExists(t, missing, "a read command creates nothing")
	}

	// An empty file is no catalog yet: read commands leave it as it is and
	// say how to seed it; seeding makes it one.
	empty := filepath.Join(dir, "empty.db")
	require.NoError(t, os.WriteFile(empty, nil, 0o644))
	_, errOut, code = cli(t, "", "catalog", "ls", "--db", empty)
	assert.Equal(t, exitUsage, code, errOut)
	assert.Contains(t, errOut, empty+" is an empty file, not an embedded catalog yet; choose another --db, "+
		"or seed the demo into it with: cyclezero catalog seed-demo --db "+empty)
	fi, err := os.Stat(empty)
	require.NoError(t, err)
	assert.Zero(t, fi.Size(), "ls wrote nothing")
	assert.NoFileExists(t, empty+"-wal")
	_, errOut, code = cli(t, "", "catalog", "seed-demo", "--db", empty)
	require.Equal(t, exitOK, code, errOut)
	out, errOut, code := cli(t, "", "catalog", "ls", "--db", empty)
	assert.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "demo       Image ")
}

// A session's embedded catalog that is an empty file (never seeded,
// truncated) is not silently made an empty catalog by a read command.
func TestCatalogOfASessionThatIsAnEmptyFile(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "mine")
	path := sessionCatalog(t, dir, "mine")
	require.NoError(t, os.Truncate(path, 0))
	_, errOut, code := cli(t, "", "-C", dir, "catalog", "ls")
	assert.Equal(t, exitError, code, errOut)
	assert.Contains(t, errOut, "the embedded catalog of session mine is an empty file ("+path+
		"); restore it from a backup if it held data, or make it an empty catalog by opening the session: cyclezero -C "+dir+" resume mine")
	assert.NotContains(t, errOut, "seed-demo", "a real model's catalog is never offered the demo")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Zero(t, fi.Size(), "ls wrote nothing")
}

// Outside a git repository the fallback catalog belongs to the directory,
// and the error says so rather than speak of a repository.
func TestCatalogOutsideGit(t *testing.T) {
	isolate(t)
	dir, err := filepath.EvalSymlinks(t.TempDir())
	require.NoError(t, err)
	_, errOut, code := cli(t, "", "-C", dir, "catalog", "ls", "--local")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "this directory ("+dir+") has no embedded catalog yet")
	assert.NotContains(t, errOut, "repository")
}

// A reader that finds the catalog file missing or empty while another
// cyclezero holds its setup lock (a seed-demo creating it) says so, with
// the holder's pid, and exits with the transient status, not as if the
// file were wrong; once the lock is let go, the file is judged as usual.
func TestCatalogBeingSeededIsTransient(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "demo.sqlite")
	lock := flock.New(steps.SeedLockPath(db))
	ok, err := lock.TryLock()
	require.NoError(t, err)
	require.True(t, ok)
	t.Cleanup(func() { _ = lock.Unlock() })
	require.NoError(t, os.WriteFile(lock.Path(), []byte("4242\n"), 0o600))

	busy := db + " is being created by another cyclezero (pid 4242): a seed-demo, or a new session setting up its catalog; " +
		"try again when it has finished\n"
	_, errOut, code := cli(t, "", "catalog", "ls", "--db", db) // not there yet
	assert.Equal(t, exitBusy, code)
	assert.Equal(t, "cyclezero: "+busy, errOut)
	require.NoError(t, os.WriteFile(db, nil, 0o600)) // created, still empty
	_, errOut, code = cli(t, `{"datasets":[]}`, "catalog", "validate-config", "-", "--db", db)
	assert.Equal(t, exitBusy, code)
	assert.Equal(t, "cyclezero: "+busy, errOut)

	require.NoError(t, lock.Unlock())
	_, errOut, code = cli(t, "", "catalog", "ls", "--db", db)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "is an empty file, not an embedded catalog yet")
}
