package state

import (
	"os"

	"github.com/gofrs/flock"
)

// The file system calls whose refusals ("permission denied") cyclezero
// explains, as variables for tests only. A test run as root (as CI is) is
// never refused by chmod, so the permission tests make these calls refuse
// a chosen path instead and see the refusal reach the user with its fix.
// Nothing else assigns them, and they are the real calls.
var (
	mkdirFn      = os.Mkdir               // mkdirAllSync's one directory
	readFileFn   = os.ReadFile            // readDoc's read of a document
	flockTryLock = (*flock.Flock).TryLock // tryLock's open-and-lock
)
