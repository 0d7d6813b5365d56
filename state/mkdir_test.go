package state

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMkdirAllSyncCreatesMissingDirs(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	existing := filepath.Join(root, "existing")
	require.NoError(t, os.Mkdir(existing, 0o700))
	require.NoError(t, os.Chmod(existing, 0o751)) // exact, whatever the umask
	leaf := filepath.Join(existing, "cyclezero", "sessions", "m")

	require.NoError(t, mkdirAllSync(leaf, dirMode))
	for _, d := range []string{filepath.Join(existing, "cyclezero"), filepath.Join(existing, "cyclezero", "sessions"), leaf} {
		fi, err := os.Stat(d)
		require.NoError(t, err)
		assert.True(t, fi.IsDir(), d+" is a directory")
		if runtime.GOOS != "windows" {
			assert.Equal(t, dirMode, fi.Mode().Perm(), "mode of "+d)
		}
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(existing)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o751), fi.Mode().Perm(), "an existing directory keeps its mode")
	}

	require.NoError(t, mkdirAllSync(leaf, dirMode), "again, with everything there")
	require.NoError(t, mkdirAllSync(leaf+string(filepath.Separator)+".", dirMode), "an unclean path")
}

func TestMkdirAllSyncRefusesAFileInTheWay(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	file := filepath.Join(root, "file")
	require.NoError(t, os.WriteFile(file, nil, fileMode))

	for _, target := range []string{file, filepath.Join(file, "sessions", "m")} {
		err := mkdirAllSync(target, dirMode)
		require.Error(t, err, target)
		assert.Contains(t, err.Error(), "create directory "+target)
		assert.True(t, errors.Is(err, syscall.ENOTDIR), "%s: %v wraps ENOTDIR", target, err)
		var pe *os.PathError
		assert.True(t, errors.As(err, &pe), "%v wraps a *PathError", err)
	}
}

func TestCreateReportsADirectoryItCannotMake(t *testing.T) {
	t.Parallel()
	stateDir := t.TempDir()
	require.NoError(t, os.WriteFile(SessionsDir(stateDir), nil, fileMode)) // a file where sessions/ goes

	_, err := Create(stateDir, sampleSession("m", "A", 0))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `create session "m": `+SessionsDir(stateDir)+" is a file, not cyclezero's sessions directory")
	var in *InTheWayError
	require.ErrorAs(t, err, &in)
	assert.Equal(t, SessionsDir(stateDir), in.Path)
	assert.True(t, errors.Is(err, syscall.ENOTDIR), "%v wraps ENOTDIR", err)
}

func TestCreateMakesTheStateDir(t *testing.T) {
	t.Parallel()
	stateDir := filepath.Join(t.TempDir(), "git", "cyclezero")
	mustCreate(t, stateDir, sampleSession("m", "A", 0))
	for _, d := range []string{stateDir, SessionsDir(stateDir), SessionDir(stateDir, "m")} {
		fi, err := os.Stat(d)
		require.NoError(t, err)
		if runtime.GOOS != "windows" {
			assert.Equal(t, dirMode, fi.Mode().Perm(), "mode of "+d)
		}
	}
	assert.True(t, exists(SessionPath(stateDir, "m")), "the document is written")
}

// Each directory mkdirAllSync makes must be made durable by syncing its
// parent after it exists, and the last one must be synced itself; a sync
// that fails fails the call. It swaps syncDirFn, so it does not run in
// parallel.
func TestMkdirAllSyncSyncsEachNewDirsParent(t *testing.T) {
	root := t.TempDir()
	existing := filepath.Join(root, "existing")
	require.NoError(t, os.Mkdir(existing, 0o700))
	leaf := filepath.Join(existing, "cyclezero", "sessions", "m")

	type dirSync struct {
		dir     string
		holding map[string]bool // the entries dir had when it was synced
	}
	var syncs []dirSync
	orig := syncDirFn
	t.Cleanup(func() { syncDirFn = orig })
	syncDirFn = func(dir string) error {
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		holding := map[string]bool{}
		for _, e := range entries {
			holding[e.Name()] = true
		}
		syncs = append(syncs, dirSync{dir: dir, holding: holding})
		return orig(dir)
	}

	require.NoError(t, mkdirAllSync(leaf, dirMode))
	for _, d := range []string{filepath.Join(existing, "cyclezero"), filepath.Join(existing, "cyclezero", "sessions"), leaf} {
		synced := false
		for _, s := range syncs {
			synced = synced || (s.dir == filepath.Dir(d) && s.holding[filepath.Base(d)])
		}
		assert.True(t, synced, "%s is synced after %s is made in it: %+v", filepath.Dir(d), filepath.Base(d), syncs)
	}
	require.NotEmpty(t, syncs)
	assert.Equal(t, leaf, syncs[len(syncs)-1].dir, "the new leaf is synced last")

	syncs = nil
	require.NoError(t, mkdirAllSync(leaf, dirMode))
	assert.Empty(t, syncs, "nothing new, nothing to sync")

	ioErr := errors.New("input/output error")
	syncDirFn = func(string) error { return ioErr }
	other := filepath.Join(existing, "other")
	err := mkdirAllSync(other, dirMode)
	require.ErrorIs(t, err, ioErr)
	assert.Contains(t, err.Error(), "create directory "+other)
}
