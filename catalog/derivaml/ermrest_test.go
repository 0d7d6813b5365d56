package derivaml_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

var httpUser = catalog.Identity{ID: "testuser", DisplayName: "Test User"}

// overHTTP returns a DerivaML view through the ERMrest client and the
// ERMrest fake, backed by a local catalog, plus the fake (for its request
// log).
func overHTTP(t testing.TB) (*derivaml.ML, *ermresttest.Server) {
	t.Helper()
	srv := newFake(t)
	return mlAt(t, srv.URL), srv
}

// newFake starts an ERMrest fake over a new local catalog, with a session
// cookie for httpUser.
func newFake(t testing.TB) *ermresttest.Server {
	t.Helper()
	srv := ermresttest.New(localtest.Open(t, local.Options{Client: httpUser}), ermresttest.Options{})
	t.Cleanup(srv.Close)
	srv.AddCookie("derivaml-session", httpUser)
	return srv
}

// mlAt returns a DerivaML view through an ERMrest client of the server at
// url (the fake, or something in front of it), logged in as httpUser, with
// the deriva-ml and demo schemas created.
func mlAt(t testing.TB, url string) *derivaml.ML {
	t.Helper()
	home := t.TempDir()
	creds, err := json.Marshal(map[string]any{strings.TrimPrefix(url, "http://"): map[string]any{"cookie": "webauthn=derivaml-session"}})
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(home, ".deriva"), 0o750))
	require.NoError(t, os.WriteFile(filepath.Join(home, ".deriva", "credential.json"), creds, 0o600))
	client, err := ermrest.New(url, "1", ermrest.Options{HomeDir: home,
		Retry: ermrest.RetryPolicy{Attempts: 2, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}})
	require.NoError(t, err)
	t.Cleanup(func() { client.Close() })
	ml := derivaml.New(client, "demo")
	ctx := context.Background()
	require.NoError(t, ml.CreateMLSchema(ctx))
	require.NoError(t, ml.CreateDomainSchema(ctx, "test domain"))
	return ml
}

// The DerivaML layer over HTTP: schema, features, a dataset's version
// lifecycle and validation behave as on the local catalog.
func TestOverERMrest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, srv := overHTTP(t)
	model, err := ml.Refresh(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"col Dataset text NOT NULL", "col Execution text NOT NULL", "col Dataset_Version text null"},
		describe(mustTable(t, model, "deriva-ml", "Dataset_Execution"))[:3])

	images := imageDomain(t, ml, 4)
	exe := runningExecution(t, ml, "http")
	_, err = ml.AddFeatureValues(ctx, exe, []derivaml.FeatureRecord{{Target: "Image", Feature: "Diagnosis",
		Values: catalog.Row{"Image": images[0], "Diagnosis": "Nor", "Grade": int64(2)}}})
	require.NoError(t, err)
	values, err := ml.FeatureValues(ctx, "Image", "Diagnosis", derivaml.SelectNewest)
	require.NoError(t, err)
	require.Len(t, values, 1)
	assert.Equal(t, "Normal", values[0].String("Diagnosis"))

	ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Types: []string{"Training"}, Description: "over http", Execution: exe})
	require.NoError(t, err)
	require.NoError(t, ml.AddDatasetMembers(ctx, ds.RID, map[string][]string{"Image": images[:2]}, derivaml.MemberOptions{}))
	require.NoError(t, ml.AddDatasetMemberRIDs(ctx, ds.RID, images[2:3], derivaml.MemberOptions{}))
	v, err := ml.Release(ctx, ds.RID, derivaml.Minor, "three images", exe)
	require.NoError(t, err)
	assert.Equal(t, "0.2.0", v.String())
	require.NoError(t, ml.DeleteDatasetMembers(ctx, ds.RID, images[:1], derivaml.MemberOptions{}))
	at, err := ml.ListMembers(ctx, ds.RID, "0.2.0")
	require.NoError(t, err)
	assert.ElementsMatch(t, images[:3], ridsOf(at["Image"]), "0.2.0 read at its snapshot")
	live, err := ml.ListMembers(ctx, ds.RID, "")
	require.NoError(t, err)
	assert.ElementsMatch(t, images[1:3], ridsOf(live["Image"]))

	srv.ResetRequests()
	rep, err := ml.ValidateExecutionConfiguration(ctx, derivaml.Config{
		Datasets: []derivaml.DatasetSpec{{RID: ds.RID, Version: "0.2.0"}, {RID: ds.RID, Version: "0.3.0"}, {RID: images[0], Version: "0.1.0"}},
		Assets:   assetSpecs(images[3], ds.RID)})
	require.NoError(t, err)
	assert.Equal(t, []string{"version_not_found"}, rep.DatasetResults[1].Reasons)
	// DerivaML's _semver_key: releases newest first, then dev labels
	// (their key is (0,)).
	assert.Equal(t, []string{"0.2.0", "0.1.0", "0.2.0.post1.dev1"}, rep.DatasetResults[1].AvailableVersions)
	assert.Contains(t, rep.Text(), "Current version: 0.2.0.post1.dev1. Available versions: ['0.1.0', '0.2.0', '0.2.0.post1.dev1']")
	assert.Equal(t, []string{"not_a_dataset"}, rep.DatasetResults[2].Reasons)
	assert.Equal(t, []string{"not_an_asset"}, rep.AssetResults[1].Reasons)
	var resolves int
	for _, r := range srv.Requests() {
		if strings.Contains(r.Path, "/entity_rid/") {
			resolves++
		}
	}
	// ds.RID (listed as an asset) is placed by the Dataset query; only
	// images[0], listed as a dataset and nowhere else, needs entity_rid.
	assert.Equal(t, 1, resolves)
}

// validationConfig50 builds a catalog and a configuration naming 50 RIDs:
// 10 datasets (and two misses), 37 assets (one a dataset) and a workflow.
func validationConfig50(tb testing.TB, ml *derivaml.ML) derivaml.Config {
	tb.Helper()
	ctx := context.Background()
	images := imageDomain(tb, ml, 36)
	cfg := derivaml.Config{Workflow: mustWorkflow(tb, ml)}
	for i := range 10 {
		ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: fmt.Sprintf("d%d", i)})
		require.NoError(tb, err)
		cfg.Datasets = append(cfg.Datasets, derivaml.DatasetSpec{RID: ds.RID, Version: "0.1.0"})
	}
	cfg.Datasets = append(cfg.Datasets, derivaml.DatasetSpec{RID: "1-ZZZZ", Version: "0.1.0"},
		derivaml.DatasetSpec{RID: images[0], Version: "0.1.0"})
	cfg.Assets = assetSpecs(append(images, cfg.Datasets[0].RID)...)
	return cfg
}

func TestValidate50RIDsRequestCount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, srv := overHTTP(t)
	cfg := validationConfig50(t, ml)
	_, err := ml.Refresh(ctx)
	require.NoError(t, err)
	srv.ResetRequests()
	rep, err := ml.ValidateExecutionConfiguration(ctx, cfg)
	require.NoError(t, err)
	assert.Equal(t, 50, rep.Checked())
	assert.False(t, rep.AllValid)
	// Dataset and Workflow are asked about every RID (datasets, assets,
	// workflow, in that order, each once), Dataset_Version about the ten
	// datasets found, Image (which places every image asset and the image
	// listed as a dataset) about the assets the Dataset query did not
	// place, and entity_rid about 1-ZZZZ, which no table holds: one batched
	// request per table, not one per RID.
	var all, datasets, images []string
	for _, d := range cfg.Datasets {
		all = append(all, d.RID)
	}
	for _, a := range cfg.Assets {
		if !slices.Contains(all, a.RID) {
			all = append(all, a.RID)
		}
	}
	all = append(all, cfg.Workflow)
	for _, d := range cfg.Datasets[:10] {
		datasets = append(datasets, d.RID)
	}
	for _, a := range cfg.Assets[:36] {
		images = append(images, a.RID)
	}
	anyOf := func(rids []string) string { return "any(" + strings.Join(rids, ",") + ")" }
	const attr = "GET /ermrest/catalog/1/attribute/"
	assert.Equal(t, []string{
		attr + "deriva-ml:Dataset/RID=" + anyOf(all) + "/RID,Description,Deleted@sort(RID)?limit=5000",
		attr + "deriva-ml:Dataset_Version/Dataset=" + anyOf(datasets) + "/RID,Dataset,Version@sort(RID)?limit=5000",
		attr + "deriva-ml:Workflow/RID=" + anyOf(all) + "/RID,Name@sort(RID)?limit=5000",
		attr + "demo:Image/RID=" + anyOf(images) + "/RID,Filename@sort(RID)?limit=5000",
		"GET /ermrest/catalog/1/entity_rid/1-ZZZZ",
	}, wire(srv))
}

// wire lists the requests the fake received as "METHOD URI", the URI
// exactly as sent (escaped path and query).
func wire(srv *ermresttest.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		out = append(out, r.Method+" "+r.URI)
	}
	return out
}

// unknownConfig50 names 50 RIDs the catalog does not hold: 10 datasets,
// 39 assets and a workflow.
func unknownConfig50() derivaml.Config {
	cfg := derivaml.Config{Workflow: catalog.EncodeRID(1 << 40)}
	for i := range 49 {
		rid := catalog.EncodeRID(int64(1<<40 + 2*(i+1)))
		if i < 10 {
			cfg.Datasets = append(cfg.Datasets, derivaml.DatasetSpec{RID: rid, Version: "0.1.0"})
		} else {
			cfg.Assets = append(cfg.Assets, derivaml.AssetSpec{RID: rid})
		}
	}
	return cfg
}

// searchableTables counts the model's tables other than ERMrest's own.
func searchableTables(t testing.TB, ml *derivaml.ML) int {
	t.Helper()
	model, err := ml.Model(context.Background())
	require.NoError(t, err)
	n := 0
	for _, tab := range model.SortedTables() {
		if !(tab.SchemaName == "public" && strings.HasPrefix(tab.Name, "ERMrest_")) {
			n++
		}
	}
	return n
}

// Unknown RIDs that outnumber the tables left to ask are looked for with
// one RID=any(...) query per table (ERMrest's entity_rid resolves one RID
// per request), each table asked only about the RIDs it was not asked
// about before, and a RID no table holds is reported as not found.
func TestValidateUnknownRIDsRequestCount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, srv := overHTTP(t)
	imageDomain(t, ml, 0)
	_, err := ml.Refresh(ctx)
	require.NoError(t, err)
	srv.ResetRequests()
	rep, err := ml.ValidateExecutionConfiguration(ctx, unknownConfig50())
	require.NoError(t, err)
	assert.Equal(t, 50, rep.Checked())
	for _, d := range rep.DatasetResults {
		assert.Equal(t, []string{"rid_not_found"}, d.Reasons)
	}
	for _, a := range rep.AssetResults {
		assert.Equal(t, []string{"rid_not_found"}, a.Reasons)
	}
	assert.Equal(t, []string{"rid_not_found"}, rep.WorkflowResult.Reasons)
	var lookups, queries int
	for _, r := range srv.Requests() {
		if strings.Contains(r.Path, "/entity_rid/") {
			lookups++
		} else {
			queries++
		}
	}
	assert.Equal(t, 0, lookups)
	// Dataset and Workflow for every RID, the four asset tables (Image,
	// File, Execution_Asset, Execution_Metadata) for the asset RIDs, then
	// every table once for the RIDs not yet asked of it: the asset tables
	// a second time for the 11 others.
	tables := searchableTables(t, ml)
	assert.Greater(t, 50, tables, "the test needs more misses than tables")
	assert.Equal(t, tables+4, queries)
	asked := map[string]bool{}
	for _, r := range srv.Requests() {
		table, rest, _ := strings.Cut(strings.TrimPrefix(r.Path, "/ermrest/catalog/1/attribute/"), "/")
		filter, _, _ := strings.Cut(strings.TrimPrefix(rest, "RID="), "/")
		for _, rid := range strings.Split(strings.TrimSuffix(strings.TrimPrefix(filter, "any("), ")"), ",") {
			assert.False(t, asked[table+" "+rid], "%s asked about %s twice", table, rid)
			asked[table+" "+rid] = true
		}
	}
	assert.Len(t, asked, 50*tables, "every table asked about every RID once")
}

// Among many RIDs that are nowhere, the table of each one that is in the
// wrong table is still named: one no expected table holds, an asset that
// is a dataset not listed as one, a dataset that is the workflow.
func TestValidateManyMissesNamesTheirTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, srv := overHTTP(t)
	imageDomain(t, ml, 0)
	ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "d"})
	require.NoError(t, err)
	history, err := ml.DatasetHistory(ctx, ds.RID)
	require.NoError(t, err)
	wf := mustWorkflow(t, ml)
	cfg := unknownConfig50()
	cfg.Assets[0].RID = strings.ToLower(history[0].RID) // a Dataset_Version row, spelled in lower case
	cfg.Assets[2].RID = ds.RID
	cfg.Datasets[0].RID = wf
	_, err = ml.Refresh(ctx)
	require.NoError(t, err)
	srv.ResetRequests()
	rep, err := ml.ValidateExecutionConfiguration(ctx, cfg)
	require.NoError(t, err)
	assert.Equal(t, []string{"not_an_asset"}, rep.AssetResults[0].Reasons)
	require.NotNil(t, rep.AssetResults[0].ActualTable)
	assert.Equal(t, "Dataset_Version", *rep.AssetResults[0].ActualTable)
	assert.Equal(t, []string{"rid_not_found"}, rep.AssetResults[1].Reasons)
	assert.Equal(t, []string{"not_an_asset"}, rep.AssetResults[2].Reasons)
	require.NotNil(t, rep.AssetResults[2].ActualTable)
	assert.Equal(t, "Dataset", *rep.AssetResults[2].ActualTable)
	assert.Equal(t, []string{"not_a_dataset"}, rep.DatasetResults[0].Reasons)
	require.NotNil(t, rep.DatasetResults[0].ActualTable)
	assert.Equal(t, "Workflow", *rep.DatasetResults[0].ActualTable)
	for _, r := range srv.Requests() {
		assert.NotContains(t, r.Path, "/entity_rid/")
	}
}

// BenchmarkValidateConfig50RIDs validates a 50-RID configuration against
// the local catalog and through the ERMrest client and fake, with the
// RIDs mostly known and all unknown; the HTTP cases report requests per
// validation.
func BenchmarkValidateConfig50RIDs(b *testing.B) {
	ctx := context.Background()
	b.Run("local", func(b *testing.B) {
		ml := newML(b)
		cfg := validationConfig50(b, ml)
		b.ResetTimer()
		for b.Loop() {
			if _, err := ml.ValidateExecutionConfiguration(ctx, cfg); err != nil {
				b.Fatal(err)
			}
		}
	})
	httpCase := func(b *testing.B, setup func(*derivaml.ML) derivaml.Config) {
		ml, srv := overHTTP(b)
		cfg := setup(ml)
		if _, err := ml.Refresh(ctx); err != nil {
			b.Fatal(err)
		}
		srv.ResetRequests()
		b.ResetTimer()
		for b.Loop() {
			if _, err := ml.ValidateExecutionConfiguration(ctx, cfg); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(srv.Requests()))/float64(b.N), "requests/op")
	}
	b.Run("ermrest", func(b *testing.B) {
		httpCase(b, func(ml *derivaml.ML) derivaml.Config { return validationConfig50(b, ml) })
	})
	b.Run("ermrest-all-unknown", func(b *testing.B) {
		httpCase(b, func(ml *derivaml.ML) derivaml.Config {
			imageDomain(b, ml, 0)
			return unknownConfig50()
		})
	})
}

// The live model is read with one GET of the catalog's /schema, no
// snapshot in the path (the client's own wire test covers only the
// snapshot form), asking for JSON.
func TestLiveModelReadOnTheWire(t *testing.T) {
	t.Parallel()
	ml, srv := overHTTP(t)
	srv.ResetRequests()
	_, err := ml.Refresh(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"GET /ermrest/catalog/1/schema"}, wire(srv))
	assert.Equal(t, "application/json", srv.Requests()[0].Header.Get("Accept"))
}
