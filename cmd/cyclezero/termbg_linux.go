package main

import "golang.org/x/sys/unix"

// The termios ioctls (tcgetattr, and tcsetattr with TCSANOW) on Linux.
const (
	ioctlGetTermios = unix.TCGETS
	ioctlSetTermios = unix.TCSETS
)
