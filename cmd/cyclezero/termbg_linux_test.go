package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair through /dev/ptmx: the master,
// where the test plays the terminal, and the slave, the terminal
// cyclezero sees. Both are plain blocking descriptors, closed at the end
// of the test.
func openPTY(t *testing.T) (master, slave int, name string) {
	t.Helper()
	master, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { _ = unix.Close(master) })
	require.NoError(t, unix.IoctlSetPointerInt(master, unix.TIOCSPTLCK, 0), "unlockpt")
	n, err := unix.IoctlGetUint32(master, unix.TIOCGPTN)
	require.NoError(t, err, "ptsname")
	name = fmt.Sprintf("/dev/pts/%d", n)
	slave, err = unix.Open(name, unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	require.NoError(t, err, "open %s", name)
	t.Cleanup(func() { _ = unix.Close(slave) })
	return master, slave, name
}

// openPTYFile is openPTY with the slave opened again as an *os.File, tty,
// for what takes a file (a child's stdio, colour detection), closed at the
// end of the test.
func openPTYFile(t *testing.T) (master, slave int, tty *os.File) {
	t.Helper()
	master, slave, name := openPTY(t)
	tty, err := os.OpenFile(name, os.O_RDWR|unix.O_NOCTTY, 0)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tty.Close() })
	return master, slave, tty
}

// openTestTTY is a terminal as an *os.File (for colour detection).
func openTestTTY(t *testing.T) *os.File {
	t.Helper()
	_, _, tty := openPTYFile(t)
	return tty
}

// playTerminal reads the master until the query's DA1 request has come,
// then calls atQuery (if any) and writes answer; it returns what it read.
// It gives up after a while (a safety net so a broken query cannot hang
// the test, not a timing assertion).
func playTerminal(master int, answer string, atQuery func()) <-chan []byte {
	got := make(chan []byte, 1)
	go func() {
		seen := readMaster(master, "\x1b[c")
		if atQuery != nil {
			atQuery()
		}
		_, _ = unix.Write(master, []byte(answer))
		got <- seen
	}()
	return got
}

// readUntil reads the pty master until marker has come and returns all
// it read, as playTerminal does.
func readUntil(master int, marker string) <-chan []byte {
	got := make(chan []byte, 1)
	go func() { got <- readMaster(master, marker) }()
	return got
}

// readMaster reads the pty master until marker has come, or nothing has
// for 10 s (a safety net against a hang, not a timing assertion), and
// returns all it read.
func readMaster(master int, marker string) []byte {
	var seen []byte
	buf := make([]byte, 4096)
	for !bytes.Contains(seen, []byte(marker)) {
		fds := []unix.PollFd{{Fd: int32(master), Events: unix.POLLIN}}
		if n, err := unix.Poll(fds, 10_000); errors.Is(err, unix.EINTR) {
			continue
		} else if err != nil || n == 0 {
			break
		}
		n, err := unix.Read(master, buf)
		if err != nil {
			break
		}
		seen = append(seen, buf[:n]...)
	}
	return seen
}

// termiosOf is the mode the query changes and must put back.
func termiosOf(t *testing.T, fd int) (lflag uint32, vmin, vtime uint8) {
	t.Helper()
	tio, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	require.NoError(t, err)
	return tio.Lflag, tio.Cc[unix.VMIN], tio.Cc[unix.VTIME]
}

func TestQueryBackgroundAnsweringTerminal(t *testing.T) {
	t.Parallel()
	master, slave, _ := openPTY(t)
	lflag, vmin, vtime := termiosOf(t, slave)
	require.NotZero(t, lflag&unix.ICANON, "a fresh pty starts canonical")
	asked := playTerminal(master, "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c", nil)

	bg, ok := queryBackground(slave, time.Minute) // the DA1 answer ends it
	seen := <-asked
	assert.Equal(t, termbgQuery, string(seen), "asked once, OSC 11 then DA1")
	require.True(t, ok, "the terminal's colour")
	assert.Equal(t, [3]uint32{0xffff, 0xffff, 0xffff}, rgb16(bg))
	l, mn, tm := termiosOf(t, slave)
	assert.Equal(t, lflag, l, "local modes restored")
	assert.Equal(t, [2]uint8{vmin, vtime}, [2]uint8{mn, tm}, "VMIN/VTIME restored")
}

func TestQueryBackgroundSilentTerminal(t *testing.T) {
	t.Parallel()
	master, slave, _ := openPTY(t)
	lflag, vmin, vtime := termiosOf(t, slave)

	bg, ok := queryBackground(slave, 100*time.Millisecond)
	assert.False(t, ok, "no answer, no colour (got %v)", bg)
	l, mn, tm := termiosOf(t, slave)
	assert.Equal(t, lflag, l, "local modes restored")
	assert.NotZero(t, l&unix.ISIG, "ctrl+c still a signal")
	assert.Equal(t, [2]uint8{vmin, vtime}, [2]uint8{mn, tm}, "VMIN/VTIME restored")

	// What the program wrote is the query, once.
	buf := make([]byte, 256)
	n, err := unix.Read(master, buf)
	require.NoError(t, err)
	assert.Equal(t, termbgQuery, string(buf[:n]))
}

// TestQueryBackgroundKeepsSignals: while the answer is read, the terminal
// is in neither canonical nor echo mode, but ISIG is on, so ctrl+c still
// interrupts. The mode is seen from the terminal's side, at the moment the
// query arrives.
func TestQueryBackgroundKeepsSignals(t *testing.T) {
	t.Parallel()
	master, slave, _ := openPTY(t)
	var mode uint32
	asked := playTerminal(master, "\x1b[?62c", func() {
		if tio, err := unix.IoctlGetTermios(slave, ioctlGetTermios); err == nil {
			mode = tio.Lflag
		}
	})
	_, ok := queryBackground(slave, time.Minute)
	assert.False(t, ok, "DA1 only: no colour")
	<-asked
	l := mode
	require.NotZero(t, l, "the mode was read")
	assert.Zero(t, l&(unix.ICANON|unix.ECHO), "canonical mode and echo off while asking")
	assert.NotZero(t, l&unix.ISIG, "signals on while asking")
}
