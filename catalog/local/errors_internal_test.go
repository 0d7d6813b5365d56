package local

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"modernc.org/sqlite"

	"github.com/cyclezero/cyclezero/catalog"
)

// An SQLite failure with no catalog kind of its own reads as a file's
// failure, not a server's, yet still matches catalog.ErrServer.
func TestOtherSQLiteErrorsNameNoServer(t *testing.T) {
	t.Parallel()
	s, err := Open(filepath.Join(t.TempDir(), "c.db"), Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	_, raw := s.db.ExecContext(context.Background(), `SELECT * FROM no_such_table`)
	var se *sqlite.Error
	require.ErrorAs(t, raw, &se)
	assert.Equal(t, "SQL logic error: no such table: no_such_table", sqliteWords(se), "the driver's \" (1)\" is dropped")

	err = s.dbErr("read things", raw)
	assert.ErrorIs(t, err, catalog.ErrServer, "still an internal failure")
	var fe *FileError
	assert.False(t, errors.As(err, &fe), "not a damaged file")
	assert.Equal(t, "read things: embedded catalog file error: "+raw.Error(), err.Error())
	assert.NotContains(t, strings.ToLower(strings.ReplaceAll(err.Error()+catalog.Hint(err), s.path, "PATH")), "server")
	assert.Contains(t, catalog.Hint(err), s.path)
}
