package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"time"

	"github.com/gofrs/flock"
)

// lockOwner is what a lock holder writes into the lock file, so a second
// instance can say who has the session.
type lockOwner struct {
	PID   int       `json:"pid"`
	Host  string    `json:"host,omitempty"`
	Since time.Time `json:"since"`
}

// tryLock takes the session lock at path without waiting. It returns the
// held lock, or nil and a user-facing reason when the session must be used
// read-only: another process (or another handle in this one: flock locks
// belong to open files, not processes) holds it, or the lock file cannot be
// created because the state dir is not writable.
func tryLock(path string) (*flock.Flock, string, error) {
	fl := flock.New(path, flock.SetPermissions(fileMode))
	ok, err := fl.TryLock()
	if err != nil {
		if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
			return nil, fmt.Sprintf("cannot take the session lock %s (%v)", path, err), nil
		}
		return nil, "", fmt.Errorf("lock session %s: %w", path, err)
	}
	if !ok {
		return nil, heldReason(path), nil
	}
	// Best effort: the pid only improves the message others see.
	host, _ := os.Hostname()
	if data, err := json.Marshal(lockOwner{PID: os.Getpid(), Host: host, Since: time.Now().UTC()}); err == nil {
		_ = os.WriteFile(path, append(data, '\n'), fileMode)
	}
	return fl, "", nil
}

// heldReason describes the holder of a lock we could not take.
func heldReason(path string) string {
	var owner lockOwner
	data, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(data, &owner) != nil || owner.PID <= 0 {
		// The holder has not written its pid yet, or an old build holds it.
		return "in use by another cyclezero"
	}
	host, _ := os.Hostname()
	switch {
	case owner.Host != "" && owner.Host != host:
		return fmt.Sprintf("in use by another cyclezero (pid %d on %s)", owner.PID, owner.Host)
	case owner.PID == os.Getpid():
		return fmt.Sprintf("already open in this cyclezero (pid %d)", owner.PID)
	default:
		return fmt.Sprintf("in use by another cyclezero (pid %d)", owner.PID)
	}
}

// unlock clears the owner record and releases the lock. Clearing first means
// a later reader never blames a process that has already let go.
func unlock(fl *flock.Flock) error {
	_ = os.Truncate(fl.Path(), 0)
	if err := fl.Unlock(); err != nil {
		return fmt.Errorf("unlock session %s: %w", fl.Path(), err)
	}
	return nil
}

// LockHolder says who holds slug's session lock ("" when nobody does), for a
// picker that marks sessions another cyclezero has open. It never creates a
// lock file. A holder writes its owner record and a clean exit truncates it,
// so an empty or missing file means free without touching the lock; only a
// non-empty one (a holder, or one that crashed) is probed, which holds the
// lock for an instant.
func LockHolder(stateDir, slug string) string {
	path := LockPath(stateDir, slug)
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		return ""
	}
	fl := flock.New(path)
	ok, err := fl.TryLock()
	if err != nil {
		return ""
	}
	if ok {
		_ = fl.Unlock()
		return ""
	}
	return heldReason(path)
}
