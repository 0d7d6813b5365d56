package state

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The crash tests kill writers, which leaves the page cache to finish
// their work, so they cannot tell whether a save fsyncs. These tests watch
// the durability steps through writeAtomic's seams instead. They swap
// package variables, so none of them runs in parallel.

// syncEvent is one durability step as a save took it.
type syncEvent struct {
	op   string // "sync-file", "rename" or "sync-dir"
	path string // the synced file or dir, or the rename's target
	from string // the rename's source
	data []byte // what a synced file held when it was synced
}

// recordSyncs wraps writeAtomic's seams with the real calls plus a log;
// failFile or failDir, when set, fail that sync instead.
func recordSyncs(t *testing.T, failFile, failDir error) *[]syncEvent {
	t.Helper()
	var events []syncEvent
	origFile, origDir, origRename := syncFile, syncDirFn, renameFile
	t.Cleanup(func() { syncFile, syncDirFn, renameFile = origFile, origDir, origRename })
	syncFile = func(f *os.File) error {
		data, err := os.ReadFile(f.Name())
		require.NoError(t, err)
		events = append(events, syncEvent{op: "sync-file", path: f.Name(), data: data})
		if failFile != nil {
			return failFile
		}
		return origFile(f)
	}
	syncDirFn = func(dir string) error {
		events = append(events, syncEvent{op: "sync-dir", path: dir})
		if failDir != nil {
			return failDir
		}
		return origDir(dir)
	}
	renameFile = func(from, to string) error {
		events = append(events, syncEvent{op: "rename", path: to, from: from})
		return origRename(from, to)
	}
	return &events
}

// requireDurableOrder checks that writing target synced a temp file
// holding the new document, renamed that file over target, and then
// synced target's directory, in that order.
func requireDurableOrder(t *testing.T, events []syncEvent, target string) {
	t.Helper()
	want, err := os.ReadFile(target)
	require.NoError(t, err)
	renamed := -1
	for i, e := range events {
		if e.op == "rename" && e.path == target {
			renamed = i
		}
	}
	require.NotEqual(t, -1, renamed, "the document is renamed into place: %+v", events)
	tmp := events[renamed].from
	require.Equal(t, filepath.Dir(target), filepath.Dir(tmp), "the temp file is beside the target")

	var lastSync *syncEvent
	for i, e := range events[:renamed] {
		if e.op == "sync-file" && e.path == tmp {
			lastSync = &events[i]
		}
	}
	require.NotNil(t, lastSync, "the temp file is fsynced before the rename: %+v", events)
	require.Equal(t, string(want), string(lastSync.data), "the temp file is fsynced after it is written")

	dirSynced := false
	for _, e := range events[renamed+1:] {
		dirSynced = dirSynced || (e.op == "sync-dir" && e.path == filepath.Dir(target))
	}
	require.True(t, dirSynced, "the directory is fsynced after the rename: %+v", events)
}

// TestSaveSyncsBeforeAndAfterRename checks both a new session and a later
// save: each must reach the disk before it replaces the old document, and
// the replacement itself must reach it before the save returns.
func TestSaveSyncsBeforeAndAfterRename(t *testing.T) {
	dir := t.TempDir()
	events := recordSyncs(t, nil, nil)
	h, err := Create(dir, sampleSession("sync", "A", 1))
	require.NoError(t, err)
	t.Cleanup(func() { _ = h.Close() })
	requireDurableOrder(t, *events, SessionPath(dir, "sync"))

	*events = nil
	require.NoError(t, h.Save(sampleSession("sync", "B", 2)))
	requireDurableOrder(t, *events, SessionPath(dir, "sync"))
}

// TestSaveFsyncFailure checks that a save whose temp file cannot be synced
// fails before touching the document: it is still the old one, no temp file
// is left behind, and the session loads as it was.
func TestSaveFsyncFailure(t *testing.T) {
	dir := t.TempDir()
	h, err := Create(dir, sampleSession("sync", "A", 1))
	require.NoError(t, err)
	t.Cleanup(func() { _ = h.Close() })
	require.NoError(t, h.Save(sampleSession("sync", "B", 1))) // so a .bak exists too
	path := SessionPath(dir, "sync")
	before, backup := readFile(t, path), readFile(t, BackupPath(dir, "sync"))

	ioErr := errors.New("input/output error")
	recordSyncs(t, ioErr, nil)
	err = h.Save(sampleSession("sync", "C", 3))
	require.ErrorIs(t, err, ioErr)
	require.Contains(t, err.Error(), "fsync")

	require.Equal(t, string(before), string(readFile(t, path)), "the document is the old one")
	require.Equal(t, string(backup), string(readFile(t, BackupPath(dir, "sync"))), "the backup is untouched")
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	for _, e := range entries {
		require.False(t, strings.Contains(e.Name(), ".tmp"), "a temp file was left behind: %s", e.Name())
	}
	got, err := Load(dir, "sync")
	require.NoError(t, err)
	require.Equal(t, "tier2-b", got.Current)
}

// TestSaveDirFsyncFailure checks that a save whose directory cannot be
// synced says so: the new document is in place but might not survive a
// power cut, which the caller must hear about rather than count as saved.
func TestSaveDirFsyncFailure(t *testing.T) {
	dir := t.TempDir()
	h, err := Create(dir, sampleSession("sync", "A", 1))
	require.NoError(t, err)
	t.Cleanup(func() { _ = h.Close() })

	ioErr := errors.New("input/output error")
	recordSyncs(t, nil, ioErr)
	err = h.Save(sampleSession("sync", "B", 1))
	require.ErrorIs(t, err, ioErr)
	require.Contains(t, err.Error(), `save session "sync"`)
}
