package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func init() { ptyHelpers["query-from-the-background"] = queryFromTheBackground }

// queryFromTheBackground, in the child: another process group (a sleep,
// as a shell's foreground job) is made the terminal's foreground, then the
// background colour is asked for. SIGTTOU and SIGTTIN are ignored, so a
// query made anyway writes to the terminal, which the test sees, rather
// than stopping this process ("Stopped (tty output)"), which would hang it.
func queryFromTheBackground(t *testing.T) {
	signal.Ignore(syscall.SIGTTOU, syscall.SIGTTIN)
	fg := exec.Command("sleep", "60")
	// Foreground puts the sleep's own process group in front on Ctty,
	// this process's fd 0: the terminal.
	fg.SysProcAttr = &syscall.SysProcAttr{Foreground: true, Ctty: 0}
	require.NoError(t, fg.Start())
	defer func() { _ = fg.Process.Kill(); _ = fg.Wait() }()
	front, err := unix.IoctlGetInt(0, unix.TIOCGPGRP)
	require.NoError(t, err)
	require.Equal(t, fg.Process.Pid, front, "the sleep is the terminal's foreground group")
	require.NotEqual(t, unix.Getpgrp(), front, "and this process is in the background")

	bg, ok := queryControllingTerminal(time.Second)
	fmt.Printf("colour: %v %v\n", ok, bg) // stdout is the test's pipe, not the terminal
}

// A cyclezero in the background (`cyclezero status &`) does not ask its
// terminal for the background colour: changing the terminal's mode there
// stops it. It gets no colour and writes nothing to the terminal.
func TestQueryFromTheBackgroundAsksNothing(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("no sleep(1) to be the terminal's foreground job")
	}
	master, slave, tty := openPTYFile(t)

	var out bytes.Buffer
	cmd := ptyChild(t, tty, "query-from-the-background", "PATH="+os.Getenv("PATH"))
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Run(), "the child:\n%s", &out)
	assert.Contains(t, out.String(), "colour: false <nil>", "no colour from the background")

	// Whatever the child wrote to the terminal comes out ahead of this.
	const marker = "END-OF-TEST"
	require.NoError(t, writeFull(slave, marker))
	assert.Equal(t, marker, string(<-readUntil(master, marker)), "nothing written to the terminal")
}
