package main

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/local"
)

// Two seed-demos on one file take turns: one seeds, the other waits and
// finds that demo, and neither breaks the other's (the seed lock is a
// flock, which two opens in one process contend for as two processes do).
func TestSeedDemoTwiceAtOnceSeedsOnce(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "demo.sqlite")
	var wg sync.WaitGroup
	outs, errs, codes := make([]string, 2), make([]string, 2), make([]int, 2)
	for i := range 2 {
		wg.Go(func() { outs[i], errs[i], codes[i] = cli(t, "", "catalog", "seed-demo", "--db", db) })
	}
	wg.Wait()
	require.Equal(t, []int{exitOK, exitOK}, codes, errs)
	both := outs[0] + outs[1]
	assert.Equal(t, 1, strings.Count(both, "Seeded local catalog at "+db), both)
	assert.Equal(t, 1, strings.Count(both, "Already seeded local catalog at "+db), both)
	out, errOut, code := cli(t, "", "catalog", "ls", "--db", db)
	require.Equal(t, exitOK, code, errOut)
	assert.Regexp(t, `demo\s+Image\s+asset\s+1000\n`, out)
}

// A demo that lost its rows after seeding is not seeded over: the error
// says so and gives the commands that start it again.
func TestSeedDemoIntoAnIncompleteDemoSaysHowToStartOver(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "demo.sqlite")
	_, errOut, code := cli(t, "", "catalog", "seed-demo", "--db", db)
	require.Equal(t, exitOK, code, errOut)
	ctx := context.Background()
	store, err := local.Open(db, local.Options{})
	require.NoError(t, err)
	for _, table := range []string{"Execution_Image_Diagnosis", "Dataset_Image", "Image_Execution", "Image_Asset_Type", "Image"} {
		require.NoError(t, store.Delete(ctx, catalog.TableRef{Schema: "demo", Table: table}, nil))
	}
	require.NoError(t, store.Close())

	_, errOut, code = cli(t, "", "catalog", "seed-demo", "--db", db)
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "0 of 1000 images")
	assert.Contains(t, errOut, "move the catalog file aside and seed a new one, with: mv "+db+" "+db+".incomplete && "+
		"cyclezero catalog seed-demo --db "+db)
}

// seed-demo without --session or --db does not fill a real model's
// catalog with the demo's fake domain: it refuses, naming both explicit
// choices, and writes nothing; naming the session seeds it.
func TestSeedDemoRefusesARealModelsCatalogUnlessNamed(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "my-model")
	path := sessionCatalog(t, dir, "my-model")
	for _, args := range [][]string{{"catalog", "seed-demo"}, {"catalog", "seed-demo", "--local"}} {
		out, errOut, code := cli(t, "", append([]string{"-C", dir}, args...)...)
		assert.Equal(t, exitUsage, code, "%v: %s", args, errOut)
		assert.Empty(t, out, args)
		assert.Contains(t, errOut, "seed-demo would seed the catalog of session my-model (the newest with an embedded catalog, "+
			path+"), a real model's, not the demo's, and fill it with the demo's fake imaging domain; "+
			"to seed that catalog anyway: cyclezero -C "+dir+" catalog seed-demo --session my-model\n"+
			"  or to seed a separate file: cyclezero -C "+dir+" catalog seed-demo --db FILE\n", args)
	}
	out, errOut, code := cli(t, "", "-C", dir, "catalog", "ls")
	require.Equal(t, exitOK, code, errOut)
	assert.NotContains(t, out, "demo ", "nothing was seeded")

	out, errOut, code = cli(t, "", "-C", dir, "catalog", "seed-demo", "--session", "my-model")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Seeded local catalog at "+path)
}

// In the demo workspace, with a real model's session newer than the
// demo's, the refusal also offers the demo's own catalog.
func TestSeedDemoRefusalInTheDemoOffersTheDemosCatalog(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	_, errOut, code := cli(t, "", "-C", dir, "new", "lesion-model", "--local")
	require.Equal(t, exitOK, code, errOut)
	_, errOut, code = cli(t, "", "-C", dir, "catalog", "seed-demo")
	assert.Equal(t, exitUsage, code, errOut)
	assert.Contains(t, errOut, "  or to seed a separate file: cyclezero -C "+dir+" catalog seed-demo --db FILE\n"+
		"  or the demo's own catalog: cyclezero -C "+dir+" catalog seed-demo --session diagnosis-classifier\n")
}

// The demo's own session, and a repository without sessions, are seeded
// without naming them, as before.
func TestSeedDemoWithoutFlagsInTheDemoAndInAFreshRepo(t *testing.T) {
	isolate(t)
	demoDir := demoWorkspace(t)
	out, errOut, code := cli(t, "", "-C", demoDir, "catalog", "seed-demo")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Already seeded local catalog at "+sessionCatalog(t, demoDir, "diagnosis-classifier"))

	fresh := gitRepo(t)
	out, errOut, code = cli(t, "", "-C", fresh, "catalog", "seed-demo")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Seeded local catalog at ")
	assert.Contains(t, out, filepath.Join(".git", "cyclezero", "catalog.sqlite"))
}
