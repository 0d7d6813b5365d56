package state

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The first save of a session stored in an older schema keeps the old
// file for good as <slug>.json.schema<N>: later saves replace the .bak,
// never that copy, and an older cyclezero can read it again.
func TestUpgradeKeepsTheOldFileForGood(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeRaw(t, dir, "m", []byte(v0Doc))
	kept := SchemaCopyPath(dir, "m", 0)
	assert.Equal(t, SessionPath(dir, "m")+".schema0", kept)

	h, err := Open(dir, "m")
	require.NoError(t, err)
	require.NoError(t, h.Save(h.Session()))
	assert.Equal(t, v0Doc, string(readFile(t, kept)), "kept on the first save")
	info, err := os.Stat(kept)
	require.NoError(t, err)
	assert.Equal(t, fileMode, info.Mode().Perm(), "private, as the session")
	require.NoError(t, h.Save(h.Session()))
	require.NoError(t, h.Close())
	assert.NotEqual(t, v0Doc, string(readFile(t, BackupPath(dir, "m"))), "the .bak moved on")
	assert.Equal(t, v0Doc, string(readFile(t, kept)), "the copy did not")

	// Opened again, in the current schema, nothing more is kept.
	h, err = Open(dir, "m")
	require.NoError(t, err)
	require.NoError(t, h.Save(h.Session()))
	require.NoError(t, h.Close())
	assert.Equal(t, v0Doc, string(readFile(t, kept)))
	sums, err := List(dir)
	require.NoError(t, err)
	require.Len(t, sums, 1, "the copy is not a session")

	// Read-only handles write nothing, the copy included.
	dir2 := t.TempDir()
	writeRaw(t, dir2, "m", []byte(v0Doc))
	w, err := Open(dir2, "m")
	require.NoError(t, err)
	r, err := Open(dir2, "m")
	require.NoError(t, err)
	require.ErrorIs(t, r.Save(r.Session()), ErrReadOnly)
	require.NoError(t, r.Close())
	require.NoError(t, w.Close())
	assert.False(t, exists(SchemaCopyPath(dir2, "m", 0)))
}

// A copy kept by an earlier upgrade is never replaced: it is the first
// file of that schema the session was upgraded from.
func TestUpgradeNeverReplacesAKeptCopy(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeRaw(t, dir, "m", []byte(v0Doc))
	require.NoError(t, os.WriteFile(SchemaCopyPath(dir, "m", 0), []byte("earlier"), 0o600))
	h, err := Open(dir, "m")
	require.NoError(t, err)
	require.NoError(t, h.Save(h.Session()))
	require.NoError(t, h.Close())
	assert.Equal(t, "earlier", string(readFile(t, SchemaCopyPath(dir, "m", 0))))
	assert.Equal(t, v0Doc, string(readFile(t, BackupPath(dir, "m"))), "the .bak has this upgrade's old file")
}
