package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	"github.com/cyclezero/cyclezero/state"
)

// lockUnwritable says why slug's lock could not be taken when nobody holds
// it, in the words of unwritableReason: opening the lock file the way the
// lock does gives the error short; stateReason is kept when it does not.
func (m *sessions) lockUnwritable(slug, stateReason string) string {
	dir := state.SessionsDir(m.ws.StateDir)
	f, err := os.OpenFile(state.LockPath(m.ws.StateDir, slug), os.O_RDONLY|os.O_CREATE, 0o600)
	if err == nil {
		_ = f.Close()
	} else if reason, ok := unwritableReason(dir, err); ok {
		return reason
	}
	return fmt.Sprintf("in %s, which cannot be written (%s)", dir, stateReason)
}

// stampOnOpen records that a session was opened by saving it. A variable
// so that a test can fail it as a full or read-only disk would.
var stampOnOpen = func(h *state.Handle) error { return h.Save(h.Session()) }

// unwritableReason says, for the read-only notice, that the session is in
// dir, which cannot be written, when err is the disk refusing a write
// (read-only file system, no permission, no space); ok is false for any
// other failure. It completes "this session is …" (see readOnlyExit).
func unwritableReason(dir string, err error) (string, bool) {
	var errno syscall.Errno
	switch {
	case errors.Is(err, syscall.EROFS), errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT),
		errors.Is(err, fs.ErrPermission):
	default:
		return "", false
	}
	why := "permission denied"
	if errors.As(err, &errno) {
		why = errno.Error() // "read-only file system", "no space left on device"
	}
	return fmt.Sprintf("in %s, which cannot be written (%s)", dir, why), true
}
