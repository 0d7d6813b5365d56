package local_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/local"
)

// any(...) lists of any length work in one call: well past SQLite's limit
// on bound parameters (32,766), and the RID spellings still normalize.
func TestLongAnyOfLists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openLab(t, filepath.Join(t.TempDir(), "c.db"), local.Options{Client: me})
	require.NoError(t, s.Create(ctx, labModel()))
	item := catalog.TableRef{Schema: "lab", Table: "Item"}
	rows := make([]catalog.Row, 300)
	for i := range rows {
		rows[i] = catalog.Row{"Label": fmt.Sprintf("item-%03d", i)}
	}
	inserted := mustInsert(t, s, item, rows...)

	var labels, rids []any
	for i := 0; i < 40000; i++ {
		labels = append(labels, fmt.Sprintf("item-%03d", i%600)) // half of them exist
	}
	for _, r := range inserted[:150] {
		rids = append(rids, strings.ToLower(r.RID())) // RID= normalizes spellings
	}

	got, err := s.Query(ctx, catalog.Query{Table: item, Where: catalog.AnyOf{Column: "Label", Values: labels}, Limit: 1000})
	require.NoError(t, err)
	require.Len(t, got, 300)
	counts, err := s.Count(ctx, catalog.GroupQuery{Table: item, Where: catalog.AnyOf{Column: catalog.ColRID, Values: rids}})
	require.NoError(t, err)
	require.Equal(t, int64(150), counts[0].Count)
	require.NoError(t, s.Delete(ctx, item, catalog.AnyOf{Column: "Label", Values: labels}))
	counts, err = s.Count(ctx, catalog.GroupQuery{Table: item})
	require.NoError(t, err)
	require.Equal(t, int64(0), counts[0].Count)
}
