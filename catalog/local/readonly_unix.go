//go:build unix

package local

import (
	"errors"
	"syscall"
)

// readOnlyDir reports whether the system refuses writes to dir: a
// read-only file system (EROFS, even for root) or no permission.
func readOnlyDir(dir string) bool {
	const wOK = 0x2 // access(2)'s W_OK
	err := syscall.Access(dir, wOK)
	return errors.Is(err, syscall.EROFS) || errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM)
}
