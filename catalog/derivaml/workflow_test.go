package derivaml_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// Workflows are deduplicated as DerivaML's _add_workflow does: by the
// checksum when there is one (the same URL with new code is a new
// Workflow), else by the URL.
func TestAddWorkflowDeduplicatesByChecksum(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	const url = "https://github.com/x/y/blob/main/train.py"
	add := func(name, url, checksum string) string {
		t.Helper()
		rid, err := ml.AddWorkflow(ctx, derivaml.Workflow{Name: name, URL: url, Checksum: checksum, Types: []string{"Training"}})
		require.NoError(t, err)
		return rid
	}
	v1 := add("v1", url, "sum-1")
	v2 := add("v2", url, "sum-2")
	assert.NotEqual(t, v1, v2, "the same URL with a different checksum is new code, so a new Workflow")
	assert.Equal(t, v1, add("v1 again", "https://elsewhere.example/train.py", "sum-1"), "the same checksum is the same code")
	w, err := ml.LookupWorkflow(ctx, v2)
	require.NoError(t, err)
	assert.Equal(t, "sum-2", w.Checksum)

	noSum := add("unversioned", "https://github.com/x/y/blob/main/eval.py", "")
	assert.Equal(t, noSum, add("unversioned again", "https://github.com/x/y/blob/main/eval.py", ""),
		"without a checksum the URL identifies the workflow")
	assert.NotEqual(t, noSum, add("other", "https://github.com/x/y/blob/main/other.py", ""))
	a, b := add("anonymous", "", ""), add("anonymous", "", "")
	assert.NotEqual(t, a, b, "a workflow with neither a checksum nor a URL has nothing to match on")
}

// A failure to add a workflow's types removes the Workflow row just made,
// and says so; when that removal fails too, the error says the row may
// remain rather than dropping the second failure.
func TestAddWorkflowRollsBackHalfMadeRow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, sticky := range []bool{false, true} {
		ml := newML(t)
		// Write 1 inserts the Workflow row, write 2 its types, write 3 the undo.
		failing := &failingStore{Store: ml.Store(), failAt: 2, sticky: sticky}
		_, err := derivaml.New(failing, "demo").AddWorkflow(ctx, derivaml.Workflow{Name: "w", Types: []string{"Training"}})
		require.ErrorIs(t, err, errInjected)
		rows, qerr := ml.Store().Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: "deriva-ml", Table: "Workflow"},
			Where: catalog.Eq{Column: "Name", Value: "w"}, Limit: 10})
		require.NoError(t, qerr)
		if sticky {
			require.Len(t, rows, 1, "the half-made row remains")
			assert.Contains(t, err.Error(), "could not roll back the partly added workflow "+rows[0].RID()+", which may remain in the catalog")
		} else {
			assert.Regexp(t, `^add workflow w types: .*; rolled back the partly added workflow \S+$`, err.Error())
			assert.Empty(t, rows)
		}
	}
}
