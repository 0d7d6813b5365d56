//go:build unix

package state

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// helper starts this test binary as a second cyclezero (see TestMain) and
// returns it with its stdin (closing it ends a "hold" helper) and the first
// line it prints.
func helper(t *testing.T, mode, dir, slug string, runs int) (*exec.Cmd, io.WriteCloser, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, helperDirEnv+"="+dir, helperSlugEnv+"="+slug,
		fmt.Sprintf("%s=%d", helperRunsEnv, runs))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())

	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		s.Scan()
		line <- s.Text()
	}()
	select {
	case l := <-line:
		if l == "" {
			_ = cmd.Wait()
			t.Fatalf("helper %s printed nothing; stderr: %s", mode, stderr.String())
		}
		return cmd, stdin, l
	case <-time.After(20 * time.Second): // a hang guard, not a speed check
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("helper %s did not start; stderr: %s", mode, stderr.String())
		return nil, nil, ""
	}
}

func TestLockAcrossProcesses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustCreate(t, dir, sampleSession("m", "A", 1))

	cmd, stdin, line := helper(t, helperHold, dir, "m", 0)
	assert.Equal(t, "rw", line, "helper's handle")

	h, err := Open(dir, "m")
	require.NoError(t, err)
	assert.True(t, h.ReadOnly(), "ReadOnly while another process holds the session")
	assert.Equal(t,
		fmt.Sprintf("in use by another cyclezero (pid %d)", cmd.Process.Pid),
		h.ReadOnlyReason(), "ReadOnlyReason")
	require.ErrorIs(t, h.Save(h.Session()), ErrReadOnly)
	_, err = Create(dir, sampleSession("m", "B", 0))
	assert.True(t, err != nil, "Create succeeded on a locked, existing session")
	require.NoError(t, h.Close())

	require.NoError(t, stdin.Close()) // the helper closes its handle and exits
	require.NoError(t, cmd.Wait())

	h, err = Open(dir, "m")
	require.NoError(t, err)
	assert.False(t, h.ReadOnly(), "ReadOnly after the other process closed")

	// And the other way round: while we hold it, the helper is read-only.
	cmd, stdin, line = helper(t, helperHold, dir, "m", 0)
	assert.Equal(t, fmt.Sprintf("ro in use by another cyclezero (pid %d)", os.Getpid()), line, "helper's handle")
	require.NoError(t, stdin.Close())
	require.NoError(t, cmd.Wait())
	require.NoError(t, h.Close())
}

// TestCrashConsistency kills a process in the middle of saving, many times,
// and checks that the session always loads as one whole document.
func TestCrashConsistency(t *testing.T) {
	t.Parallel()
	const (
		iterations = 40
		runs       = 300 // makes each save ~150 KB
	)
	dir := t.TempDir()
	a, b := sampleSession("m", "A", runs), sampleSession("m", "B", runs)
	h, err := Create(dir, sampleSession("m", "A", runs))
	require.NoError(t, err)
	require.NoError(t, h.Save(sampleSession("m", "A", runs)))
	require.NoError(t, h.Close())

	seen := map[string]int{}
	for i := range iterations {
		// The helper saves B, A, B, … and reports after the first save;
		// then it is killed at a random point of a later save.
		cmd, _, line := helper(t, helperSaveLoop, dir, "m", runs)
		assert.Equal(t, "saved", line, "helper's first report")
		time.Sleep(rand.N(15 * time.Millisecond))
		require.NoError(t, cmd.Process.Kill())
		_ = cmd.Wait()
		for _, name := range dirNames(t, SessionsDir(dir)) {
			if strings.HasPrefix(name, ".m.json.tmp-") {
				seen["killed mid-save"]++ // a temp file was left behind
			}
		}

		for _, which := range []string{"session", "backup"} {
			var s *Session
			if which == "session" {
				s, err = Load(dir, "m")
			} else {
				s, _, err = readDoc(BackupPath(dir, "m"), "", "m")
			}
			if err != nil {
				t.Fatalf("iteration %d: %s after a kill: %v", i, which, err)
			}
			switch {
			case sameContent(s, a):
				seen[which+" A"]++
			case sameContent(s, b):
				seen[which+" B"]++
			default:
				t.Fatalf("iteration %d: %s is neither A nor B (current %q, %d runs)", i, which, s.Current, len(s.Runs))
			}
		}
	}
	t.Logf("outcomes over %d kills: %v", iterations, seen)
	assert.Truef(t, seen["session B"] > 0, "the helper never saved: %v", seen)

	// The killed writers' locks are gone, and the next writer tidies up.
	h, err = Open(dir, "m")
	require.NoError(t, err)
	assert.False(t, h.ReadOnly(), "ReadOnly after the writer was killed")
	require.NoError(t, h.Close())
	assert.Equal(t, []string{"m", "m.json", "m.json.bak", "m.lock"}, dirNames(t, SessionsDir(dir)), "files after recovery")
}
