package local

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every connection of a catalog cuts the WAL file back to walSizeLimit
// after a checkpoint empties it, so a log that grew under concurrent
// readers does not keep its size on disk.
func TestConnectionsLimitTheWALSize(t *testing.T) {
	t.Parallel()
	s, err := Open(filepath.Join(t.TempDir(), "c.db"), Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	ctx := context.Background()
	var conns []interface{ Close() error }
	for range 3 { // distinct pooled connections, each set up by the DSN
		c, err := s.db.Conn(ctx)
		require.NoError(t, err)
		conns = append(conns, c)
		var limit int64
		require.NoError(t, c.QueryRowContext(ctx, `PRAGMA journal_size_limit`).Scan(&limit))
		assert.EqualValues(t, walSizeLimit, limit)
	}
	for _, c := range conns {
		_ = c.Close()
	}
}
