package main

import (
	"context"
	"fmt"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/state/gittest"
)

// TestTmuxDemoResume drives the real binary in a real terminal (tmux), the
// way a new user would: start the demo, see the eight phases, move, quit,
// read the resume hint, resume, land where they were, and leave with ctrl+c.
func TestTmuxDemoResume(t *testing.T) {
	tmp, bin := terminalTestBinary(t)
	ws := filepath.Join(tmp, "demo workspace") // a space, as real paths have
	term := newTmux(t, tmp, 130, 40)

	term.run(fmt.Sprintf("%s demo %q", bin, ws))
	screen := term.waitFor("the wizard with every phase", func(s string) bool {
		for _, name := range []string{"Specify", "Schema design", "Development dataset", "Validate features and labels",
			"Tier 1 — dry run", "Tier 2 — small-data run", "Tier 3 — production", "Iterate"} {
			if !strings.Contains(s, name) {
				return false
			}
		}
		return strings.Contains(s, "Phase 1 of 8")
	})
	if !strings.Contains(screen, "diagnosis-classifier") || !strings.Contains(screen, "local catalog") {
		t.Fatalf("the header names the session and its catalog:\n%s", screen)
	}

	term.keys("j", "j")
	term.waitFor("phase 3 selected", func(s string) bool { return strings.Contains(s, "Phase 3 of 8 · Development dataset") })
	term.keys("k")
	term.waitFor("back to phase 2", func(s string) bool { return strings.Contains(s, "Phase 2 of 8 · Schema design") })
	term.keys("j")
	term.waitFor("phase 3 again", func(s string) bool { return strings.Contains(s, "Phase 3 of 8 · Development dataset") })

	term.keys("q")
	screen = term.waitFor("the resume hint after quitting", func(s string) bool { return strings.Contains(s, "EXIT=0") })
	// The hint names the program as it was started (a path here, not on PATH).
	if !strings.Contains(screen, "Resume with: "+bin+" -C") || !strings.Contains(screen, "resume diagnosis-classifier") {
		t.Fatalf("quitting prints how to resume:\n%s", screen)
	}

	term.clear()
	term.run(fmt.Sprintf("%s -C %q resume", bin, ws))
	term.waitFor("the session re-opened where it was", func(s string) bool {
		return strings.Contains(s, "Phase 3 of 8 · Development dataset")
	})

	// A second cyclezero on the same session opens it read-only and says so.
	other := newTmux(t, filepath.Join(tmp, "second"), 130, 40)
	other.run(fmt.Sprintf("%s -C %q resume", bin, ws))
	other.waitFor("the read-only badge", func(s string) bool {
		return strings.Contains(s, "read-only: in use by another cyclezero (pid")
	})
	other.keys("q")
	screen = other.waitFor("the second instance's clean exit", func(s string) bool { return strings.Contains(s, "EXIT=0") })
	if !strings.Contains(screen, "Nothing was saved: session diagnosis-classifier is in use by another cyclezero (pid") {
		t.Fatalf("quitting a read-only session says nothing was saved:\n%s", screen)
	}

	// ctrl+c in the full-screen wizard is a key, not a signal (the terminal
	// is raw): it still ends with 130 and the resume hint.
	term.keys("C-c")
	screen = term.waitFor("an interrupted exit", exited)
	if !strings.Contains(screen, "EXIT=130") || !strings.Contains(screen, "Resume with: "+bin+" -C") {
		t.Fatalf("ctrl+c exits 130 and prints how to resume:\n%s", screen)
	}
}

// tmuxTerm is one tmux session on a private server socket.
type tmuxTerm struct {
	t      *testing.T
	socket string
}

func newTmux(t *testing.T, dir string, width, height int) *tmuxTerm {
	t.Helper()
	tt := &tmuxTerm{t: t, socket: fmt.Sprintf("cz-e2e-%d-%x", os.Getpid(), crc32.ChecksumIEEE([]byte(dir)))}
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	// An isolated shell: its own HOME and state dir, no rc files, a known
	// prompt, and no history file (bash writes one when kill-server hangs it
	// up, racing the removal of the test's temp dir).
	shell := fmt.Sprintf("env -i PATH=%q HOME=%q XDG_STATE_HOME=%q TERM=xterm-256color LANG=C.UTF-8 HISTFILE= PS1='$ ' bash --norc --noprofile",
		os.Getenv("PATH"), home, filepath.Join(home, "state"))
	tt.tmux("new-session", "-d", "-s", "e2e", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), shell)
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", tt.socket, "kill-server").Run() })
	return tt
}

func (tt *tmuxTerm) tmux(args ...string) string {
	tt.t.Helper()
	// -f /dev/null: a runner's /etc/tmux.conf or ~/.tmux.conf (a prefix,
	// a status line, another default shell) must not change the terminal.
	out, err := exec.Command("tmux", append([]string{"-f", "/dev/null", "-L", tt.socket}, args...)...).CombinedOutput()
	if err != nil {
		tt.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// run types a shell command and reports its exit status on the screen.
func (tt *tmuxTerm) run(cmd string) {
	tt.tmux("send-keys", "-t", "e2e", "-l", cmd+"; echo EXIT=$?")
	tt.tmux("send-keys", "-t", "e2e", "Enter")
}

func (tt *tmuxTerm) keys(keys ...string) {
	for _, k := range keys {
		tt.tmux("send-keys", "-t", "e2e", k)
	}
}

func (tt *tmuxTerm) clear() {
	tt.tmux("send-keys", "-t", "e2e", "clear", "Enter")
	tt.waitFor("a cleared screen", func(s string) bool { return !strings.Contains(s, "EXIT=") })
}

// screen is the pane with wrapped lines joined (-J), so long paths and
// hints read as one line.
func (tt *tmuxTerm) screen() string { return tt.tmux("capture-pane", "-p", "-J", "-t", "e2e") }

// waitFor polls the screen until ok holds, failing with the last screen.
func (tt *tmuxTerm) waitFor(what string, ok func(string) bool) string {
	tt.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		s := tt.screen()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			tt.t.Fatalf("waiting for %s; the screen shows:\n%s", what, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestTmuxAccessible drives accessible mode in a real terminal: line
// prompts typed as a user would (the terminal in its ordinary line mode,
// no alt screen), statuses in words, the resume hint on q, and ctrl+c
// ending with 130 after saving the phase.
func TestTmuxAccessible(t *testing.T) {
	tmp, bin := terminalTestBinary(t)
	ws := filepath.Join(tmp, "demo")
	term := newTmux(t, tmp, 100, 50)
	term.run(fmt.Sprintf("%s --accessible demo %q", bin, ws))
	term.waitFor("the phase list in words", func(s string) bool {
		return strings.Contains(s, "3. Development dataset: not started") && strings.Contains(s, "Command (h for help):")
	})
	term.line("3")
	term.waitFor("phase 3 read out", func(s string) bool {
		return strings.Contains(s, "Phase 3 of 8, Development dataset: not started.")
	})
	term.line("q")
	screen := term.waitFor("the resume hint", func(s string) bool { return strings.Contains(s, "EXIT=0") })
	if !strings.Contains(screen, "--accessible resume diagnosis-classifier") {
		t.Fatalf("the hint comes back the accessible way:\n%s", screen)
	}

	term.clear()
	term.run(fmt.Sprintf("ACCESSIBLE=1 %s -C %q resume", bin, ws))
	term.waitFor("reopened at phase 3", func(s string) bool { return strings.Contains(s, "Phase 3 of 8. Command") })
	term.line("n")
	term.waitFor("phase 4", func(s string) bool { return strings.Contains(s, "Phase 4 of 8. Command") })
	term.keys("C-c")
	term.waitFor("an interrupted exit", func(s string) bool { return strings.Contains(s, "EXIT=130") })
	loc, err := state.Locate(context.Background(), ws)
	if err != nil {
		t.Fatal(err)
	}
	if s, err := state.Load(loc.StateDir, "diagnosis-classifier"); err != nil || s.Current != "validate" {
		t.Fatalf("ctrl+c keeps the phase the user was on: %v %+v", err, s)
	}
}

// line types text and presses enter, as a user answers a line prompt.
func (tt *tmuxTerm) line(text string) {
	tt.tmux("send-keys", "-t", "e2e", "-l", text)
	tt.tmux("send-keys", "-t", "e2e", "Enter")
}

// terminalTestBinary skips a terminal end-to-end test that cannot run here
// (no tmux, no git, -short), else returns a temporary directory for it
// and the cyclezero binary the terminal tests share.
func terminalTestBinary(t *testing.T) (tmp, bin string) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed; the terminal end-to-end test needs it (.ci/run installs it)")
	}
	if testing.Short() {
		t.Skip("terminal end-to-end test skipped in -short mode")
	}
	gittest.Require(t)
	bin, err := builtBinary()
	if err != nil {
		t.Fatal(err)
	}
	return t.TempDir(), bin
}

// binDir holds the binary builtBinary builds; TestMain removes it.
var binDir string

// builtBinary builds cyclezero once for every terminal test of the run
// (a build is about a second each, on CI's two cores).
var builtBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "cyclezero-e2e-")
	if err != nil {
		return "", fmt.Errorf("make a directory to build cyclezero in: %w", err)
	}
	binDir = dir
	bin := filepath.Join(dir, "cyclezero")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return "", fmt.Errorf("build cyclezero: %w\n%s", err, out)
	}
	return bin, nil
})
