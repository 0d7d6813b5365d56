//go:build !linux

package main

import (
	"os"
	"testing"
)

// openTestTTY: the pty tests open /dev/ptmx with Linux's ioctls only.
func openTestTTY(t *testing.T) *os.File {
	t.Skip("pty tests run on Linux")
	return nil
}
