package state

import (
	"errors"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A session file deleted by hand with its backup beside it is not "no
// session": the error says the backup is there and how to restore it,
// and restoring it that way works.
func TestMissingDocumentWithABackup(t *testing.T) {
	t.Parallel()
	dir := onlyABackup(t, "m")

	for name, err := range map[string]error{"Load": loadErr(dir), "Open": openErr(dir)} {
		var ob *OnlyBackupError
		require.ErrorAs(t, err, &ob, name)
		assert.False(t, errors.Is(err, ErrNotFound), "%s: not ErrNotFound, which suggests starting over", name)
		assert.Equal(t, "session file "+SessionPath(dir, "m")+" is missing, but its last good copy "+BackupPath(dir, "m")+
			" is there — restore it with: cp "+BackupPath(dir, "m")+" "+SessionPath(dir, "m"), err.Error(), name)
	}
	require.NoError(t, os.Link(BackupPath(dir, "m"), SessionPath(dir, "m")))
	_, err := Load(dir, "m")
	require.NoError(t, err, "restored")

	// A backup that does not load is no help: then it is not found.
	require.NoError(t, os.Remove(SessionPath(dir, "m")))
	require.NoError(t, os.WriteFile(BackupPath(dir, "m"), []byte("{"), 0o600))
	assert.ErrorIs(t, loadErr(dir), ErrNotFound)
}

func loadErr(dir string) error { _, err := Load(dir, "m"); return err }
func openErr(dir string) error { _, err := Open(dir, "m"); return err }

// onlyABackup is a state dir whose session slug has had its document
// deleted by hand after a save, so only its backup (the .bak) is left.
func onlyABackup(t *testing.T, slug string) string {
	t.Helper()
	dir := t.TempDir()
	h, err := Create(dir, sampleSession(slug, "A", 0))
	require.NoError(t, err)
	require.NoError(t, h.Save(h.Session())) // a save keeps the .bak
	require.NoError(t, h.Close())
	require.NoError(t, os.Remove(SessionPath(dir, slug)))
	return dir
}
