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
