package state

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A session whose document was deleted by hand while its backup loads is
// still a session: List shows it with the restore fix, and Create refuses
// its slug (a new session's second save would replace that backup), until
// the backup is restored.
func TestBackupOnlySessionIsListedAndNotOverwritten(t *testing.T) {
	t.Parallel()
	dir := onlyABackup(t, "m")
	before := readFile(t, BackupPath(dir, "m"))

	sums, err := List(dir)
	require.NoError(t, err)
	require.Len(t, sums, 1, "the backup-only session is listed")
	assert.Equal(t, "m", sums[0].Slug)
	assert.Equal(t, SessionPath(dir, "m"), sums[0].Path)
	assert.False(t, sums[0].UpdatedAt.IsZero(), "dated by its backup, so it sorts")
	var ob *OnlyBackupError
	require.ErrorAs(t, sums[0].Err, &ob)
	assert.Equal(t, BackupPath(dir, "m"), ob.Backup)

	found, err := hasSessions(dir)
	require.NoError(t, err)
	assert.True(t, found, "a state dir with only a backup that loads has a session")

	_, err = Create(dir, sampleSession("m", "B", 0))
	require.ErrorIs(t, err, ErrExists, "its slug is taken")
	require.ErrorAs(t, err, &ob, "and the error says how to restore it")
	assert.Contains(t, err.Error(), "restore it with: cp "+BackupPath(dir, "m")+" "+SessionPath(dir, "m"))
	assert.False(t, exists(SessionPath(dir, "m")), "nothing was written")
	assert.Equal(t, before, readFile(t, BackupPath(dir, "m")), "the backup is untouched")

	// A backup that does not load is no session: not listed, and the slug
	// can be started over.
	require.NoError(t, os.WriteFile(BackupPath(dir, "m"), []byte("{"), 0o600))
	sums, err = List(dir)
	require.NoError(t, err)
	assert.Empty(t, sums)
	h, err := Create(dir, sampleSession("m", "B", 0))
	require.NoError(t, err)
	require.NoError(t, h.Close())
}

// A document and its backup are one session, listed once, and a backup
// with no valid slug (or other files) is not listed.
func TestListCountsASessionWithItsBackupOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h, err := Create(dir, sampleSession("m", "A", 0))
	require.NoError(t, err)
	require.NoError(t, h.Save(h.Session()))
	require.NoError(t, h.Close())
	require.NoError(t, os.WriteFile(SessionPath(dir, "m")+".schema1", readFile(t, SessionPath(dir, "m")), 0o600))
	require.NoError(t, os.WriteFile(SessionsDir(dir)+"/Bad_Slug.json.bak", readFile(t, SessionPath(dir, "m")), 0o600))
	sums, err := List(dir)
	require.NoError(t, err)
	require.Len(t, sums, 1)
	assert.NoError(t, sums[0].Err)
}
