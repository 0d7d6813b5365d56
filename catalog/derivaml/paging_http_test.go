package derivaml_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// More RIDs than one URL holds and than one page returns: the client
// splits the any(...) list into several requests and each is paged on its
// own, so every request goes out once. Paging the merged requests instead
// (what the ML's write guard did by hiding the client's own paging) sent
// every request again after each full page, @after the merged order's last
// RID: requests quadratic in the number of RIDs.
func TestManyRIDsAreReadWithOneRequestPerChunk(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, srv := overHTTP(t)
	images := imageDomain(t, ml, 5200)
	cfg := derivaml.Config{}
	for _, rid := range images {
		cfg.Assets = append(cfg.Assets, derivaml.AssetSpec{RID: rid})
	}
	_, err := ml.Refresh(ctx)
	require.NoError(t, err)
	srv.ResetRequests()

	rep, err := ml.ValidateExecutionConfiguration(ctx, cfg)
	require.NoError(t, err)
	assert.True(t, rep.AllValid)
	var chunks []string
	for _, r := range wire(srv) {
		if strings.Contains(r, "/demo:Image/RID=any(") {
			chunks = append(chunks, r)
		}
	}
	require.Greater(t, len(chunks), 1, "the RIDs should need several requests")
	again := 0
	for _, c := range chunks {
		if strings.Contains(c, "@after(") {
			again++
		}
	}
	assert.Zero(t, again, "of %d requests, %d asked again after a page", len(chunks), again)
}
