package state

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// PermissionError is the operating system refusing cyclezero one of its
// state files or directories ("permission denied"). It keeps that error
// (errors.Is(err, fs.ErrPermission) holds) and adds what to do: which
// path's owner and permissions to check, and how.
type PermissionError struct {
	// Check is the path to look at: the refused path, or its nearest
	// parent that exists when the refusal was to make it (the directory
	// that cannot be written).
	Check string
	// XDG is set when the state dir is the XDG one of a directory outside
	// git and the refusal is above its sessions: pointing XDG_STATE_HOME
	// elsewhere is then a way out too.
	XDG bool
	// Err is the refusal.
	Err error
}

// Error implements error: the refusal, then the fix.
func (e *PermissionError) Error() string {
	s := fmt.Sprintf("%v — check the owner and permissions of %s (ls -ld %s)", e.Err, e.Check, ShellQuote(e.Check))
	if e.XDG {
		s += ", or set XDG_STATE_HOME to a writable directory"
	}
	return s
}

// Unwrap returns the refusal.
func (e *PermissionError) Unwrap() error { return e.Err }

// ExplainPermission returns err, a failure to use a path of the state dir
// stateDir, as a *PermissionError saying what to check when it is a
// permission refusal naming a path, and as it is otherwise (or when it
// explains itself already). Create, Open, Load, List and Save use it; it is
// exported for code that makes files under a state dir itself (an
// embedded catalog, say).
func ExplainPermission(stateDir string, err error) error {
	if err == nil || !errors.Is(err, fs.ErrPermission) || errors.As(err, new(*PermissionError)) {
		return err
	}
	var path string
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		path = pe.Path
	case errors.As(err, &le):
		path = le.New
	default:
		return err
	}
	check := existingPart(path)
	return &PermissionError{Check: check, XDG: outsideGitXDG(stateDir) &&
		!within(check, SessionsDir(filepath.Clean(stateDir))), Err: err}
}

// existingPart is the nearest of p and its parents that can be looked at:
// what stands in the way of a path that cannot be made, or reached.
func existingPart(p string) string {
	p = filepath.Clean(p)
	for {
		if _, err := os.Lstat(p); err == nil {
			return p
		}
		parent := filepath.Dir(p)
		if parent == p {
			return p
		}
		p = parent
	}
}

// outsideGitXDG reports whether stateDir is an XDG state dir
// ($XDG_STATE_HOME/cyclezero/<name>-<hash>) that Locate did not give out
// as a git repository's fallback: the state of a directory outside git.
func outsideGitXDG(stateDir string) bool {
	if ownTop(stateDir) == filepath.Clean(stateDir) {
		return false // under a git dir
	}
	_, fallback := fallbackOf(stateDir)
	return !fallback
}
