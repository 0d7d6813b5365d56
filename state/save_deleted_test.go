package state

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A document deleted by hand while a handle has it open is written afresh
// by the next save; the backup of the last good version stays as it was,
// since there is no current document to rotate into it.
func TestSaveRewritesADocumentDeletedByHand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h, err := Create(dir, sampleSession("m", "A", 1))
	require.NoError(t, err)
	t.Cleanup(func() { _ = h.Close() })
	require.False(t, h.ReadOnly())
	require.NoError(t, h.Save(sampleSession("m", "B", 1))) // so a .bak exists
	bak := readFile(t, BackupPath(dir, "m"))

	require.NoError(t, os.Remove(SessionPath(dir, "m")))
	want := sampleSession("m", "C", 2)
	require.NoError(t, h.Save(want), "a save after the document was deleted")

	got, err := Load(dir, "m")
	require.NoError(t, err)
	assert.True(t, sameContent(want, got), "the document is back with the saved content: %+v", got)
	assert.Equal(t, string(bak), string(readFile(t, BackupPath(dir, "m"))), "the backup is untouched")
	assert.NoFileExists(t, BackupPath(dir, "m")+".tmp", "no backup temp file is left behind")
}
