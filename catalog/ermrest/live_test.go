package ermrest_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
)

// TestLiveReadOnly talks to a real ERMrest server when ERMREST_URL names one
// (e.g. https://example.org; ERMREST_CATALOG defaults to 1), with the
// user's deriva credential. It only reads.
func TestLiveReadOnly(t *testing.T) {
	host := os.Getenv("ERMREST_URL")
	if host == "" {
		t.Skip("set ERMREST_URL (and ERMREST_CATALOG) to run against a real ERMrest server")
	}
	id := os.Getenv("ERMREST_CATALOG")
	if id == "" {
		id = "1"
	}
	c, err := ermrest.New(host, id, ermrest.Options{})
	require.NoError(t, err)
	ctx := t.Context()
	me, err := c.Whoami(ctx)
	require.NoError(t, err)
	t.Logf("logged in as %q (anonymous: %v)", me.ID, me.Anonymous)
	snap, err := c.Snapshot(ctx)
	require.NoError(t, err)
	if _, err := catalog.SnaptimeTime(snap); err != nil {
		t.Errorf("snaptime %q: %v", snap, err)
	}
	m, err := c.Model(ctx, snap)
	require.NoError(t, err)
	_, err = c.ResolveRID(ctx, "ZZZZ-ZZZZ-ZZZZ", "")
	requireKind(t, err, catalog.ErrNotFound)
	for _, s := range m.Schemas {
		for _, tbl := range s.Tables {
			if tbl.Kind != "table" || tbl.Column(catalog.ColRID) == nil {
				continue
			}
			rows, err := c.Query(ctx, catalog.Query{Table: tbl.Ref(), Select: []string{catalog.ColRID},
				Sort: []catalog.SortKey{{Column: catalog.ColRID}}, Limit: 2, At: snap})
			require.NoError(t, err)
			n, err := c.Count(ctx, catalog.GroupQuery{Table: tbl.Ref(), At: snap})
			require.NoError(t, err)
			t.Logf("%s: %d rows", tbl.Ref(), n[0].Count)
			if len(rows) > 0 {
				info, err := c.ResolveRID(ctx, rows[0].RID(), snap)
				require.NoError(t, err)
				assert.Equal(t, tbl.Ref(), info.Table)
			}
			return
		}
	}
}
