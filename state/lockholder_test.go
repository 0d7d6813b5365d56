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
