package derivaml_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
)

// answerDropper is a reverse proxy in front of the ERMrest fake. A request
// it was told to drop (method and escaped path, the query aside) goes to
// the fake, which applies it and answers; then the proxy closes the
// client's connection without passing the answer on, as a network or
// proxy failing at the worst moment does.
type answerDropper struct {
	fake http.Handler

	mu      sync.Mutex
	method  string
	path    string
	dropped int
}

// drop arms the proxy for the next request with method and path.
func (d *answerDropper) drop(method, path string) {
	d.mu.Lock()
	d.method, d.path = method, path
	d.mu.Unlock()
}

func (d *answerDropper) take(r *http.Request) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	path, _, _ := strings.Cut(r.RequestURI, "?")
	if d.path == "" || r.Method != d.method || path != d.path {
		return false
	}
	d.path = ""
	d.dropped++
	return true
}

func (d *answerDropper) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !d.take(r) {
		d.fake.ServeHTTP(w, r)
		return
	}
	d.fake.ServeHTTP(httptest.NewRecorder(), r)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err) // an httptest server's connections can always be hijacked
	}
	_ = conn.Close()
}

// overProxy is overHTTP with an answerDropper between the client and the
// fake, and the Image domain (imageDomain) in place and its model read.
func overProxy(t *testing.T) (*derivaml.ML, *ermresttest.Server, *answerDropper) {
	t.Helper()
	srv := newFake(t)
	d := &answerDropper{fake: srv.Config.Handler}
	proxy := httptest.NewServer(d)
	t.Cleanup(proxy.Close)
	ml := mlAt(t, proxy.URL)
	imageDomain(t, ml, 2)
	_, err := ml.Refresh(context.Background())
	require.NoError(t, err)
	srv.ResetRequests()
	return ml, srv, d
}

const schemaPath = "/ermrest/catalog/1/schema"

// A model change whose answer is lost but which the catalog applied is
// read back and kept, with the vocabulary term its table refers to:
// before, the term was deleted while the table stayed.
func TestLostAnswerToModelChangeKeepsTheTerm(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("feature", func(t *testing.T) {
		t.Parallel()
		ml, srv, d := overProxy(t)
		d.drop(http.MethodPost, schemaPath)
		f, err := ml.CreateFeature(ctx, derivaml.FeatureSpec{Target: "Image", Name: "Quality"})
		require.NoError(t, err)
		assert.Equal(t, 1, d.dropped)
		assert.Equal(t, "Execution_Image_Quality", f.Table.Table)
		assert.Equal(t, []string{
			"POST /ermrest/catalog/1/entity/deriva-ml:Feature_Name?defaults=RID,RCT,RMT,RCB,RMB,ID,URI&onconflict=skip",
			"POST " + schemaPath,
			"GET " + schemaPath, // the live model, read back once
		}, wire(srv))
		_, err = ml.LookupTerm(ctx, "Feature_Name", "Quality")
		require.NoError(t, err, "the term stays with its table")
		features, err := ml.FindFeatures(ctx, "Image")
		require.NoError(t, err)
		assert.Len(t, features, 2)
		images, err := ml.Store().Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: "demo", Table: "Image"}, Limit: 1})
		require.NoError(t, err)
		exe := runningExecution(t, ml, "quality")
		_, err = ml.AddFeatureValues(ctx, exe, []derivaml.FeatureRecord{{Target: "Image", Feature: "Quality",
			Values: catalog.Row{"Image": images[0].RID()}}})
		require.NoError(t, err, "its values satisfy the Feature_Name foreign key")
		_, err = ml.CreateFeature(ctx, derivaml.FeatureSpec{Target: "Image", Name: "Quality"})
		assert.EqualError(t, err, "Table Execution_Image_Quality already exists.")
	})
	t.Run("asset table", func(t *testing.T) {
		t.Parallel()
		ml, _, d := overProxy(t)
		d.drop(http.MethodPost, schemaPath)
		_, err := ml.CreateAssetTable(ctx, "Scan", derivaml.AssetOptions{})
		require.NoError(t, err)
		assert.Equal(t, 1, d.dropped)
		term, err := ml.LookupTerm(ctx, "Asset_Type", "Scan")
		require.NoError(t, err, "the Asset_Type term stays with its table")
		assert.Equal(t, "A Scan asset", term.Description)
		model, err := ml.Model(ctx)
		require.NoError(t, err)
		for _, n := range []string{"Scan", "Scan_Asset_Type", "Scan_Execution"} {
			assert.NotNil(t, model.Table(catalog.TableRef{Schema: "demo", Table: n}), n)
		}
		rids, err := ml.AddAssets(ctx, "Scan", []derivaml.Asset{{URL: "/hatrac/s/1", Length: 1, MD5: strings.Repeat("0", 32)}},
			derivaml.AssetLink{})
		require.NoError(t, err, "assets are tagged with the table's Asset_Type term")
		assert.Len(t, rids, 1)
	})
}

// A model change the catalog refuses is undone as before: the term it
// added goes, and nothing is read back, since the refusal is an answer.
func TestRefusedModelChangeRemovesTheTerm(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, srv, _ := overProxy(t)
	srv.Inject(ermresttest.Fault{Method: http.MethodPost, PathPrefix: schemaPath, Status: http.StatusConflict})
	_, err := ml.CreateFeature(ctx, derivaml.FeatureSpec{Target: "Image", Name: "Quality"})
	require.ErrorIs(t, err, catalog.ErrConflict)
	assert.NotContains(t, wire(srv), "GET "+schemaPath)
	_, err = ml.LookupTerm(ctx, "Feature_Name", "Quality")
	require.Error(t, err, "the term is removed with the refused table")
	model, err := ml.Refresh(ctx)
	require.NoError(t, err)
	assert.Nil(t, model.Table(catalog.TableRef{Schema: "demo", Table: "Execution_Image_Quality"}))
	_, err = ml.CreateFeature(ctx, derivaml.FeatureSpec{Target: "Image", Name: "Quality"})
	require.NoError(t, err, "so creating it again works")
}

// When the answer to a model change is lost and reading the model back
// fails too, nothing is undone: the error says the outcome is unknown,
// what to check, and what it left in place.
func TestUnknownModelChangeUndoesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, srv, d := overProxy(t)
	d.drop(http.MethodPost, schemaPath)
	srv.Inject(ermresttest.Fault{Method: http.MethodGet, PathPrefix: schemaPath, Status: http.StatusServiceUnavailable, Times: 2})
	_, err := ml.CreateFeature(ctx, derivaml.FeatureSpec{Target: "Image", Name: "Quality"})
	var unknown *derivaml.OutcomeUnknownError
	require.True(t, errors.As(err, &unknown), "%v", err)
	require.ErrorIs(t, err, catalog.ErrUnavailable)
	assert.Contains(t, err.Error(), "create 1 table(s): POST "+schemaPath+": catalog temporarily unavailable")
	assert.Contains(t, err.Error(), "check whether the table(s) demo:Execution_Image_Quality exist before retrying; "+
		"left in place, as it may build on them: the Feature_Name term(s) Quality")
	_, err = ml.LookupTerm(ctx, "Feature_Name", "Quality")
	require.NoError(t, err, "the term is not removed blindly")
	model, err := ml.Refresh(ctx)
	require.NoError(t, err)
	assert.NotNil(t, model.Table(catalog.TableRef{Schema: "demo", Table: "Execution_Image_Quality"}))
}

// An insert whose answer is lost is read back by what it inserted: a
// workflow's types that the catalog added keep the workflow, which the
// undo used to try (and fail) to delete.
func TestLostAnswerToWorkflowTypesKeepsTheWorkflow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, srv, d := overProxy(t)
	d.drop(http.MethodPost, "/ermrest/catalog/1/entity/deriva-ml:Workflow_Workflow_Type")
	rid, err := ml.AddWorkflow(ctx, derivaml.Workflow{Name: "w", Types: []string{"Training", "Analysis"}})
	require.NoError(t, err)
	assert.Equal(t, 1, d.dropped)
	w, err := ml.LookupWorkflow(ctx, rid)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"Training", "Analysis"}, w.Types)
	assert.Contains(t, wire(srv), "GET /ermrest/catalog/1/entity/deriva-ml:Workflow_Workflow_Type/Workflow="+rid+"@sort(RID)?limit=5000")
	for _, r := range srv.Requests() {
		assert.NotEqual(t, http.MethodDelete, r.Method, "nothing is undone")
	}

	// Refused, the types' insert is undone as before.
	srv.Inject(ermresttest.Fault{Method: http.MethodPost, PathPrefix: "/ermrest/catalog/1/entity/deriva-ml:Workflow_Workflow_Type",
		Status: http.StatusConflict})
	_, err = ml.AddWorkflow(ctx, derivaml.Workflow{Name: "refused", Types: []string{"Training"}})
	require.ErrorIs(t, err, catalog.ErrConflict)
	assert.Regexp(t, `; rolled back the partly added workflow \S+$`, err.Error())
}
