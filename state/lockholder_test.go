package state

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLockHolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	assert.Empty(t, LockHolder(dir, "m"), "no sessions dir, no lock file")
	assert.NoFileExists(t, LockPath(dir, "m"), "LockHolder must not create the lock file")

	h, err := Create(dir, sampleSession("m", "A", 0))
	require.NoError(t, err)
	// flock locks belong to open files, so this process's probe sees its
	// own handle as a holder, as another process would.
	assert.Contains(t, LockHolder(dir, "m"), "pid")

	require.NoError(t, h.Close())
	assert.Empty(t, LockHolder(dir, "m"), "a closed session is free")

	// A crashed holder leaves its owner record behind but not the lock.
	require.NoError(t, os.WriteFile(LockPath(dir, "m"), []byte(`{"pid":999999}`), fileMode))
	assert.Empty(t, LockHolder(dir, "m"), "a stale owner record is not a holder")
}

func TestSessionHolderNamesThePID(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, held := SessionHolder(dir, "m")
	assert.False(t, held, "nobody holds a session that has no lock file")

	h, err := Create(dir, sampleSession("m", "A", 0))
	require.NoError(t, err)
	defer h.Close()
	holder, held := SessionHolder(dir, "m")
	require.True(t, held)
	assert.Equal(t, os.Getpid(), holder.PID, "the owner record's pid, read as a number")
	assert.True(t, holder.Self, "this process holds it through another handle")
	assert.Empty(t, holder.Host, "a holder on this machine names no host")
	assert.Equal(t, holder.String(), LockHolder(dir, "m"))
}

func TestHolderString(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "in use by another cyclezero", Holder{}.String(), "no owner record yet")
	assert.Equal(t, "in use by another cyclezero (pid 42)", Holder{PID: 42}.String())
	assert.Equal(t, "in use by another cyclezero (pid 42 on lab-2)", Holder{PID: 42, Host: "lab-2"}.String())
	assert.Equal(t, "already open in this cyclezero (pid 42)", Holder{PID: 42, Self: true}.String())
}

// LockRecord is the holder's owner record while it holds the session,
// nothing once it exits cleanly, and a crashed holder's record after that.
func TestLockRecord(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	assert.Nil(t, LockRecord(dir, "m"), "no lock file")
	h, err := Create(dir, sampleSession("m", "A", 0))
	require.NoError(t, err)
	assert.Contains(t, string(LockRecord(dir, "m")), `"pid"`)
	require.NoError(t, h.Close())
	assert.Nil(t, LockRecord(dir, "m"), "a clean exit empties it")
	require.NoError(t, os.WriteFile(LockPath(dir, "m"), []byte(`{"pid":999999}`), fileMode))
	assert.Equal(t, `{"pid":999999}`, string(LockRecord(dir, "m")))
}
