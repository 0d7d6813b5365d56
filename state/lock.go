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
// held lock, or nil and a user-facing reason when another process (or
// another handle in this one: flock locks belong to open files, not
// processes) holds it. A lock file that cannot be created or opened because
// the state dir is not writable gives a *lockDeniedError: the session can
// still be read.
func tryLock(path string) (*flock.Flock, string, error) {
	fl := flock.New(path, flock.SetPermissions(fileMode))
	ok, err := flockTryLock(fl)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
			return nil, "", &lockDeniedError{path: path, err: err}
		}
		return nil, "", fmt.Errorf("lock session %s: %w", path, err)
	}
	if !ok {
		return nil, heldBy(path).String(), nil
	}
	// Best effort: the pid only improves the message others see.
	host, _ := os.Hostname()
	if data, err := json.Marshal(lockOwner{PID: os.Getpid(), Host: host, Since: time.Now().UTC()}); err == nil {
		_ = os.WriteFile(path, append(data, '\n'), fileMode)
	}
	return fl, "", nil
}

// lockDeniedError is a session lock whose file the state dir's permissions
// (or a read-only file system) keep cyclezero from creating or opening.
type lockDeniedError struct {
	path string
	err  error
}

// Error implements error: "take the session lock: open PATH: permission denied".
func (e *lockDeniedError) Error() string { return fmt.Sprintf("take the session lock: %v", e.err) }

// reason says it for a read-only handle (see Handle.ReadOnlyReason).
func (e *lockDeniedError) reason() string {
	return fmt.Sprintf("cannot take the session lock %s (%v)", e.path, e.err)
}

// Unwrap returns the file system's refusal.
func (e *lockDeniedError) Unwrap() error { return e.err }

// Holder is who holds a session's lock, as its owner record names it:
// another process, or this one through another handle (Self); PID is 0
// when the record is not written yet (or an old build holds the lock).
type Holder struct {
	PID  int
	Host string // empty when it is this machine or unknown
	Self bool   // this very process holds it, through another handle
}

// String describes the holder for people: "in use by another cyclezero
// (pid 4242 on other-host)".
func (h Holder) String() string {
	switch {
	case h.PID <= 0:
		return "in use by another cyclezero"
	case h.Host != "":
		return fmt.Sprintf("in use by another cyclezero (pid %d on %s)", h.PID, h.Host)
	case h.Self:
		return fmt.Sprintf("already open in this cyclezero (pid %d)", h.PID)
	default:
		return fmt.Sprintf("in use by another cyclezero (pid %d)", h.PID)
	}
}

// heldBy reads the owner record of a lock we could not take.
func heldBy(path string) Holder {
	var owner lockOwner
	data, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(data, &owner) != nil || owner.PID <= 0 {
		return Holder{}
	}
	h := Holder{PID: owner.PID}
	if host, _ := os.Hostname(); owner.Host != "" && owner.Host != host {
		h.Host = owner.Host
	}
	h.Self = h.Host == "" && owner.PID == os.Getpid()
	return h
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
// picker that marks sessions another cyclezero has open. See SessionHolder.
func LockHolder(stateDir, slug string) string {
	if h, held := SessionHolder(stateDir, slug); held {
		return h.String()
	}
	return ""
}

// LockRecord is the owner record in slug's lock file, as its holder wrote
// it once it had the lock: nil when the file is empty (its holder exited
// cleanly, which empties it) or missing or unreadable. A record that stays
// while nobody holds the lock is a crashed holder's; a different one is a
// new holder's. Reading it never touches the lock.
func LockRecord(stateDir, slug string) []byte {
	data, err := os.ReadFile(LockPath(stateDir, slug))
	if err != nil || len(data) == 0 {
		return nil
	}
	return data
}

// SessionHolder reports who holds slug's session lock, and whether anyone
// does. It never creates a lock file. A holder writes its owner record and a
// clean exit truncates it, so an empty or missing file means free without
// touching the lock; only a non-empty one (a holder, or one that crashed) is
// probed, which holds the lock for an instant.
func SessionHolder(stateDir, slug string) (Holder, bool) {
	path := LockPath(stateDir, slug)
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		return Holder{}, false
	}
	fl := flock.New(path)
	ok, err := fl.TryLock()
	if err != nil {
		return Holder{}, false
	}
	if ok {
		_ = fl.Unlock()
		return Holder{}, false
	}
	return heldBy(path), true
}
