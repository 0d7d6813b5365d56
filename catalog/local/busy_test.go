package local_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

// A write refused because another process holds the file's write lock is
// ErrUnavailable with the Store's own fix, and marked NotApplied, since
// nothing of it was written: a caller may retry without reading it back.
// Once the lock is released, the same write goes through.
func TestBusyWriteIsMarkedNotApplied(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "c.db")
	closedLab(t, path, catalog.Row{"Name": "a"})
	s := openLab(t, path, local.Options{Client: me, BusyTimeout: 20 * time.Millisecond})
	ctx := context.Background()
	before, err := s.Snapshot(ctx)
	require.NoError(t, err)

	release := localtest.HoldWriteLock(t, path)
	_, err = s.Insert(ctx, termRef, []catalog.Row{{"Name": "b"}}, catalog.InsertOptions{})
	require.Error(t, err)
	assert.ErrorIs(t, err, catalog.ErrUnavailable)
	assert.True(t, catalog.NotApplied(err), "%v", err)
	assert.Equal(t, "another process holds the local catalog busy; try again", catalog.Hint(err))
	release()

	after, err := s.Snapshot(ctx)
	require.NoError(t, err)
	assert.Equal(t, before, after, "the refused write made no snapshot")
	rows, err := s.Query(ctx, catalog.Query{Table: termRef, Limit: 10})
	require.NoError(t, err)
	assert.Equal(t, []string{"a"}, names(rows), "nothing of the refused write is there")
	mustInsert(t, s, termRef, catalog.Row{"Name": "b"})
}
