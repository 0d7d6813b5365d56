package main

import (
	"os"
	"os/exec"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// ptyHelperEnv names what TestPTYHelperProcess does in a child started by
// startOnPTY; unset, it does nothing.
const ptyHelperEnv = "CYCLEZERO_PTY_HELPER"

// ptyHelpers are the children's parts, by name: each runs in a session of
// its own whose controlling terminal is a test's pty, which is what
// /dev/tty opens there (the test process's own, if any, is never touched).
var ptyHelpers = map[string]func(t *testing.T){}

// TestPTYHelperProcess is not a test: it is the child startOnPTY runs (as
// os/exec's tests run theirs), and is skipped in an ordinary run.
func TestPTYHelperProcess(t *testing.T) {
	name := os.Getenv(ptyHelperEnv)
	if name == "" {
		t.Skip("the pty tests' child process; nothing to do on its own")
	}
	helper, ok := ptyHelpers[name]
	require.True(t, ok, "no pty helper %q", name)
	helper(t)
}

// ptyChild is the command running helper in a child of this test binary,
// made the leader of a new session whose controlling terminal is tty (its
// stdin, opened from the pty's slave path), with exactly env (plus what
// names the helper) as its environment. Its stdout and stderr are the
// caller's to set.
func ptyChild(t *testing.T, tty *os.File, helper string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestPTYHelperProcess$", "-test.count=1")
	cmd.Env = append(env, ptyHelperEnv+"="+helper)
	cmd.Stdin = tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	return cmd
}
