package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// TestTmuxSignalLeavesLikeQuit sends the full-screen wizard a signal right
// after a move, before the move's settle timer has saved it, as kill,
// timeout or a shutdown does: the move is saved, the resume hint is
// printed as on q, and the status is the signal's (143 for SIGTERM, 130
// for SIGINT). So does `status --watch`, with nothing to say after it.
func TestTmuxSignalLeavesLikeQuit(t *testing.T) {
	tmp, bin := terminalTestBinary(t)
	ws := filepath.Join(tmp, "demo")
	term := newTmux(t, tmp, 130, 40)
	const slug = "diagnosis-classifier"

	term.run(fmt.Sprintf("%s demo %q", bin, ws))
	term.waitFor("the wizard", func(s string) bool { return strings.Contains(s, "Phase 1 of 8") })
	loc, err := state.Locate(context.Background(), ws)
	require.NoError(t, err)
	holder, held := state.SessionHolder(loc.StateDir, slug)
	require.True(t, held && holder.PID > 0, "the wizard holds the session: %+v", holder)

	for _, c := range []struct {
		sig   syscall.Signal
		phase string // the screen's "Phase n of 8 · Title" after j
		saved string
		exit  int
	}{
		{syscall.SIGTERM, "Phase 2 of 8 · Schema design", "schema", exitTerminated},
		{syscall.SIGINT, "Phase 3 of 8 · Development dataset", "dev-dataset", exitCancelled},
	} {
		term.keys("j")
		term.waitQuickly(c.phase)
		require.NoError(t, syscall.Kill(holder.PID, c.sig))
		screen := term.waitFor(c.sig.String()+"'s exit", exited)
		assert.Contains(t, screen, fmt.Sprintf("EXIT=%d", c.exit), c.sig)
		assert.Contains(t, screen, fmt.Sprintf("Resume with: %s -C %s resume %s\n", bin, ws, slug), c.sig)
		assert.NotContains(t, screen, "cyclezero:", "no error after %v", c.sig)
		s, err := state.Load(loc.StateDir, slug)
		require.NoError(t, err)
		assert.Equal(t, c.saved, s.Current, "%v keeps the phase the user moved to", c.sig)

		term.clear()
		term.run(fmt.Sprintf("%s -C %q resume", bin, ws))
		term.waitFor("the wizard reopened", func(s string) bool { return strings.Contains(s, c.phase) })
		holder, held = state.SessionHolder(loc.StateDir, slug)
		require.True(t, held, "the reopened wizard holds the session")
	}
	term.keys("q")
	term.waitFor("a clean exit", func(s string) bool { return strings.Contains(s, "EXIT=0") })

	for _, c := range []struct {
		sig  syscall.Signal
		exit int
	}{{syscall.SIGTERM, exitTerminated}, {syscall.SIGINT, exitCancelled}} {
		term.clear()
		term.run(fmt.Sprintf("%s -C %q status --watch", bin, ws))
		term.waitFor("the dashboard", func(s string) bool { return strings.Contains(s, "Iterate") })
		pid := term.foreground()
		require.NoError(t, syscall.Kill(pid, c.sig))
		screen := term.waitFor(c.sig.String()+"'s exit", exited)
		assert.Contains(t, screen, fmt.Sprintf("EXIT=%d", c.exit), "status --watch after %v", c.sig)
		assert.NotContains(t, screen, "cyclezero:", "no error after %v", c.sig)
	}
}

// exited holds once the shell has said a command's status (the command
// line's own "EXIT=$?" does not count).
func exited(s string) bool { return exitStatus.MatchString(s) }

var exitStatus = regexp.MustCompile(`EXIT=[0-9]`)

// waitQuickly polls the screen for want far more often than waitFor, so a
// signal sent after it comes well within the wizard's save delay.
func (tt *tmuxTerm) waitQuickly(want string) {
	tt.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(tt.screen(), want) {
		if time.Now().After(deadline) {
			tt.t.Fatalf("waiting for %q; the screen shows:\n%s", want, tt.screen())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// foreground is the pid of the command the pane's shell is running (its
// one child).
func (tt *tmuxTerm) foreground() int {
	tt.t.Helper()
	shell := strings.TrimSpace(tt.tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}"))
	children, err := os.ReadFile(filepath.Join("/proc", shell, "task", shell, "children"))
	if err != nil {
		tt.t.Skipf("cannot find the pane's command: %v", err)
	}
	fields := strings.Fields(string(children))
	if len(fields) != 1 {
		tt.t.Fatalf("the pane's shell runs %d commands, want 1: %q", len(fields), children)
	}
	pid, err := strconv.Atoi(fields[0])
	if err != nil {
		tt.t.Fatal(err)
	}
	return pid
}
