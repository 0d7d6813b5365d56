package state

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
)

// The steps writeAtomic's and mkdirAllSync's durability rests on, as
// variables for tests only: a test wraps them to see that the temp file is
// synced before the rename and the directory after it (and each new
// directory's parent after the directory is made), or makes a sync fail.
// Nothing else assigns them, and they are the real calls.
var (
	syncFile   = (*os.File).Sync
	syncDirFn  = syncDir
	renameFile = os.Rename
)

// writeAtomic replaces target with data so that a crash at any moment leaves
// either the old or the new content, never a mix:
//
//  1. write a temp file in the same directory and fsync it;
//  2. if backup != "" and target exists, make backup a copy of target (a
//     hard link when the file system allows, renamed into place so the old
//     backup is replaced atomically too);
//  3. rename the temp file over target;
//  4. fsync the directory so the renames survive a power cut.
//
// It returns the new file's info, for later "did someone else change it?"
// checks.
func writeAtomic(target, backup, tempPat string, data []byte) (os.FileInfo, error) {
	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, tempPat)
	if err != nil {
		return nil, fmt.Errorf("create temp file in %s: %w", dir, err)
	}
	tmpName := tmp.Name()
	committed := false
	defer func() {
		if !committed {
			_ = tmp.Close()
			_ = os.Remove(tmpName)
		}
	}()
	if err := tmp.Chmod(fileMode); err != nil && runtime.GOOS != "windows" {
		return nil, fmt.Errorf("chmod %s: %w", tmpName, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return nil, fmt.Errorf("write %s: %w", tmpName, err)
	}
	if err := syncFile(tmp); err != nil {
		return nil, fmt.Errorf("fsync %s: %w", tmpName, err)
	}
	info, err := tmp.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", tmpName, err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("close %s: %w", tmpName, err)
	}

	if backup != "" {
		if err := keepBackup(target, backup); err != nil {
			return nil, err
		}
	}
	if err := renameFile(tmpName, target); err != nil {
		return nil, fmt.Errorf("replace %s: %w", target, err)
	}
	committed = true
	if err := syncDirFn(dir); err != nil {
		return nil, err
	}
	return info, nil
}

// keepBackup makes backup hold target's current content. The target is
// never modified in place (saves rename over it), so a hard link to it is a
// consistent copy that costs nothing; file systems without hard links get a
// real copy. Either way the new backup is renamed over the old one, so a
// crash leaves one complete backup or the other.
func keepBackup(target, backup string) error {
	if _, err := os.Lstat(target); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	tmp := backup + ".tmp"
	_ = os.Remove(tmp) // a leftover from a crash; we hold the session lock
	if err := os.Link(target, tmp); err != nil {
		if err := copyFile(target, tmp); err != nil {
			_ = os.Remove(tmp)
			return fmt.Errorf("keep a backup of %s: %w", target, err)
		}
	}
	if err := os.Rename(tmp, backup); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("keep a backup of %s: %w", target, err)
	}
	return nil
}

// copyFile copies src to a new file dst and fsyncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// syncDir fsyncs a directory so renames and creations in it are durable.
// Windows cannot open directories for syncing; its renames are durable
// through the file system's own journal.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open %s to fsync it: %w", dir, err)
	}
	defer func() { _ = d.Close() }()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}

// mkdirAllSync is os.MkdirAll that makes the new directories durable: it
// creates the missing components one by one, fsyncing each parent after
// adding a child to it, and the last one itself. Without this, a power cut
// right after the first session of a repository is saved could lose
// cyclezero/ or sessions/ along with the (fsynced) document inside them.
// Directories that already exist are left as they are.
func mkdirAllSync(path string, mode os.FileMode) error {
	path = filepath.Clean(path)
	var missing []string // deepest first
	for p := path; ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err == nil {
			if !fi.IsDir() {
				return fmt.Errorf("create directory %s: %w", path, &os.PathError{Op: "mkdir", Path: p, Err: syscall.ENOTDIR})
			}
			break
		}
		if !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("create directory %s: %w", path, err)
		}
		missing = append(missing, p)
		if filepath.Dir(p) == p {
			break // a missing root: Mkdir below says why
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		dir := missing[i]
		err := mkdirFn(dir, mode)
		if errors.Is(err, os.ErrExist) {
			// Made by someone else meanwhile (a concurrent Create): it is
			// theirs to sync, but it must be a directory.
			if fi, serr := os.Stat(dir); serr == nil && fi.IsDir() {
				continue
			}
		}
		if err != nil {
			return fmt.Errorf("create directory %s: %w", path, err)
		}
		if err := syncDirFn(filepath.Dir(dir)); err != nil {
			return fmt.Errorf("create directory %s: %w", path, err)
		}
	}
	if len(missing) > 0 {
		if err := syncDirFn(path); err != nil {
			return fmt.Errorf("create directory %s: %w", path, err)
		}
	}
	return nil
}

// removeStaleTemps deletes temp files left by a writer that crashed mid-save.
// Only the lock holder calls it, so no live save can be in progress.
func removeStaleTemps(sessionsDir, slug string) {
	entries, err := os.ReadDir(sessionsDir)
	if err != nil {
		return
	}
	prefix := strings.TrimSuffix(tempPattern(slug), "*")
	for _, e := range entries {
		if name := e.Name(); strings.HasPrefix(name, prefix) || name == slug+".json.bak.tmp" {
			_ = os.Remove(filepath.Join(sessionsDir, name))
		}
	}
}
