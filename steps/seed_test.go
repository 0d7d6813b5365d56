package steps

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml/demo"
	"github.com/cyclezero/cyclezero/catalog/local"
)

// seedHelperEnv names the catalog TestSeedLocalDemoHelperProcess seeds;
// only the subprocesses of TestSeedLocalDemoTakesTurnsAcrossProcesses set it.
const seedHelperEnv = "CYCLEZERO_TEST_SEED_DB"

// seedResult is what a helper process prints on its "RESULT " line.
type seedResult struct {
	Already  bool   `json:"already"`
	Subjects int    `json:"subjects"`
	Images   int    `json:"images"`
	Labelled int    `json:"labelled"`
	Err      string `json:"err"`
}

// TestSeedLocalDemoHelperProcess is not a test: it is the second cyclezero
// of TestSeedLocalDemoTakesTurnsAcrossProcesses, seeding the catalog
// named by seedHelperEnv and printing what it did.
func TestSeedLocalDemoHelperProcess(t *testing.T) {
	path := os.Getenv(seedHelperEnv)
	if path == "" {
		t.Skip("runs only as a subprocess of TestSeedLocalDemoTakesTurnsAcrossProcesses")
	}
	res, err := SeedLocalDemo(context.Background(), path, SeedOptions{Waiting: func(notice string) {
		fmt.Fprintln(os.Stderr, "WAITING "+notice)
	}})
	out := seedResult{Already: res.Already, Subjects: res.Summary.Subjects, Images: res.Summary.Images, Labelled: res.Summary.Labelled}
	if err != nil {
		out.Err = err.Error()
	}
	b, _ := json.Marshal(out)
	fmt.Println("RESULT " + string(b))
}

// Two cyclezero processes seeding one new catalog file at the same time
// take turns: one seeds, the other waits, then finds the demo already
// seeded, and the catalog holds one demo, complete. The test holds the
// lock while both start, so both are waiting on it when it lets go.
func TestSeedLocalDemoTakesTurnsAcrossProcesses(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	path := filepath.Join(t.TempDir(), "state", "catalog.sqlite")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	release, err := lockCatalogSetup(ctx, path, time.Second, nil)
	require.NoError(t, err)

	type child struct {
		cmd    *exec.Cmd
		stdout strings.Builder
		notice chan string
	}
	children := make([]*child, 2)
	for i := range children {
		c := &child{notice: make(chan string, 1)}
		c.cmd = exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSeedLocalDemoHelperProcess$", "-test.count=1")
		c.cmd.Env = append(os.Environ(), seedHelperEnv+"="+path)
		c.cmd.Stdout = &c.stdout
		stderr, err := c.cmd.StderrPipe()
		require.NoError(t, err)
		require.NoError(t, c.cmd.Start())
		go func() {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				if n, ok := strings.CutPrefix(sc.Text(), "WAITING "); ok {
					c.notice <- n
				}
			}
		}()
		children[i] = c
	}
	for _, c := range children {
		select {
		case n := <-c.notice:
			assert.Contains(t, n, fmt.Sprintf("another cyclezero (pid %d) is seeding %s", os.Getpid(), path))
		case <-ctx.Done():
			t.Fatal("a seeding process never waited for the lock")
		}
	}
	release()

	var results []seedResult
	for _, c := range children {
		err := c.cmd.Wait()
		require.NoError(t, err, c.stdout.String())
		var r seedResult
		for line := range strings.Lines(c.stdout.String()) {
			if b, ok := strings.CutPrefix(strings.TrimSpace(line), "RESULT "); ok {
				require.NoError(t, json.Unmarshal([]byte(b), &r))
			}
		}
		require.Empty(t, r.Err)
		results = append(results, r)
	}
	assert.NotEqual(t, results[0].Already, results[1].Already, "one seeds, the other finds the seed: %+v", results)
	for _, r := range results {
		assert.Equal(t, 120, r.Subjects)
		assert.Equal(t, 1000, r.Images)
		assert.Equal(t, 962, r.Labelled)
	}
	requireOneCompleteDemo(t, path)
}

// requireOneCompleteDemo checks the catalog at path holds exactly one
// complete standard demo: its rows, one seed workflow, one execution.
func requireOneCompleteDemo(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	store, err := local.OpenExisting(path, local.Options{ReadOnly: true})
	require.NoError(t, err)
	defer store.Close()
	sum, ok, err := demo.Seeded(ctx, store, demo.Options{})
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, 1000, sum.Images)
	for table, want := range map[catalog.TableRef]int64{
		{Schema: "demo", Table: "Image"}:                     1000,
		{Schema: "demo", Table: "Subject"}:                   120,
		{Schema: "demo", Table: "Dataset_Image"}:             1000,
		{Schema: "demo", Table: "Execution_Image_Diagnosis"}: 962,
	} {
		n, err := store.Count(ctx, catalog.GroupQuery{Table: table})
		require.NoError(t, err)
		assert.Equal(t, want, n[0].Count, table.String())
	}
	seedWorkflow := catalog.Eq{Column: "Checksum", Value: "cyclezero-demo-seed-v1"}
	n, err := store.Count(ctx, catalog.GroupQuery{Table: catalog.TableRef{Schema: "deriva-ml", Table: "Workflow"}, Where: seedWorkflow})
	require.NoError(t, err)
	assert.Equal(t, int64(1), n[0].Count, "one seed workflow")
	n, err = store.Count(ctx, catalog.GroupQuery{Table: catalog.TableRef{Schema: "deriva-ml", Table: "Execution"},
		Where: catalog.Eq{Column: "Workflow", Value: sum.Workflow}})
	require.NoError(t, err)
	assert.Equal(t, int64(1), n[0].Count, "one seed execution")
}

// Seeding and preparing one new catalog at once, from separate handles
// (flock locks belong to open files, so they exclude each other within a
// process too), never fails with "schema already exists" nor purges a
// running seed.
func TestSeedLocalDemoAndPrepareTakeTurns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "catalog.sqlite")
	var wg sync.WaitGroup
	errs := make([]error, 3)
	already := make([]bool, 2)
	for i := range 2 {
		wg.Go(func() {
			var res DemoSeed
			res, errs[i] = SeedLocalDemo(ctx, path, SeedOptions{})
			already[i] = res.Already
		})
	}
	wg.Go(func() { errs[2] = PrepareLocalCatalog(ctx, path, "proj") })
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.NotEqual(t, already[0], already[1], "one seeds, the other finds the seed")
	requireOneCompleteDemo(t, path)
	info, err := os.Stat(SeedLockPath(path))
	require.NoError(t, err, "the lock file stays")
	assert.Zero(t, info.Size(), "released, it names no holder")

	res, err := SeedLocalDemo(ctx, path, SeedOptions{})
	require.NoError(t, err, "the lock file left behind does not get in the way")
	assert.True(t, res.Already)
}

// A setup that waits too long for another says who it waited for and
// what to do; one whose context ends stops waiting with that error.
func TestCatalogSetupLockGivesUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "catalog.sqlite")
	release, err := lockCatalogSetup(ctx, path, time.Second, nil)
	require.NoError(t, err)
	defer release()

	var notices []string
	_, err = lockCatalogSetup(ctx, path, 100*time.Millisecond, func(n string) { notices = append(notices, n) })
	require.Error(t, err)
	holder := fmt.Sprintf("another cyclezero (pid %d) is seeding", os.Getpid())
	assert.Contains(t, err.Error(), holder+" this catalog ("+path+")")
	assert.Contains(t, err.Error(), "try again when it has finished")
	require.Len(t, notices, 1)
	assert.Contains(t, notices[0], holder)

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, err = lockCatalogSetup(cctx, path, time.Minute, nil)
	require.ErrorIs(t, err, context.Canceled)
}

// A catalog whose demo lost its rows after seeding is reported incomplete,
// not "already seeded" with no images.
func TestSeedLocalDemoReportsAnEmptiedDemo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "catalog.sqlite")
	_, err := SeedLocalDemo(ctx, path, SeedOptions{})
	require.NoError(t, err)
	store, err := local.Open(path, local.Options{})
	require.NoError(t, err)
	for _, table := range []string{"Execution_Image_Diagnosis", "Dataset_Image", "Image_Execution", "Image_Asset_Type", "Image"} {
		require.NoError(t, store.Delete(ctx, catalog.TableRef{Schema: "demo", Table: table}, nil))
	}
	require.NoError(t, store.Close())

	_, err = SeedLocalDemo(ctx, path, SeedOptions{})
	require.ErrorIs(t, err, demo.ErrIncomplete)
	assert.Contains(t, err.Error(), "0 of 1000 images")
	_, err = SeedDemoCatalog(ctx, path)
	require.ErrorIs(t, err, demo.ErrIncomplete)
}
