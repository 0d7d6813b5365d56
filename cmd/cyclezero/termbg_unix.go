//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package main

import (
	"errors"
	"image/color"
	"time"

	"golang.org/x/sys/unix"
)

// queryControllingTerminal asks the controlling terminal (/dev/tty, the
// one the report is drawn on, whatever stdin is) for its background
// colour, once, within timeout. It does not ask from the background
// (changing the terminal's mode there would stop the process with
// SIGTTOU, and reading it with SIGTTIN).
func queryControllingTerminal(timeout time.Duration) (color.Color, bool) {
	fd, err := unix.Open("/dev/tty", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, false // no controlling terminal: nothing to ask
	}
	defer unix.Close(fd) //nolint:errcheck // read-only use; nothing to flush
	if pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err != nil || pgrp != unix.Getpgrp() {
		return nil, false
	}
	return queryBackground(fd, timeout)
}

// queryBackground writes termbgQuery to the terminal on fd and reads the
// answer until the DA1 reply or timeout. It turns off only canonical mode
// and echo, so the answer arrives unbuffered and unseen while ctrl+c still
// interrupts (raw mode would swallow it), and reads with VMIN=0, VTIME=1:
// each read returns within a tenth of a second, so nothing is left blocked
// on the terminal. The terminal's mode is restored before it returns.
// fd is a plain blocking descriptor, not an *os.File, whose poller would
// turn VTIME's timed read into an endless wait.
func queryBackground(fd int, timeout time.Duration) (color.Color, bool) {
	saved, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return nil, false
	}
	t := *saved
	t.Lflag &^= unix.ICANON | unix.ECHO
	t.Cc[unix.VMIN] = 0
	t.Cc[unix.VTIME] = 1 // tenths of a second
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &t); err != nil {
		return nil, false
	}
	//nolint:errcheck // nothing better to do if restoring fails
	defer unix.IoctlSetTermios(fd, ioctlSetTermios, saved)

	if err := writeFull(fd, termbgQuery); err != nil {
		return nil, false
	}
	reply := newBGReply()
	var buf [256]byte
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); {
		n, err := unix.Read(fd, buf[:])
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			break // the terminal went away (EIO from a closed pty)
		}
		if reply.feed(buf[:n]) {
			break
		}
	}
	return reply.color()
}

// writeFull writes all of s to fd.
func writeFull(fd int, s string) error {
	for b := []byte(s); len(b) > 0; {
		n, err := unix.Write(fd, b)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return err
		}
		b = b[n:]
	}
	return nil
}
