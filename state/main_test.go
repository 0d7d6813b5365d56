package state

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"testing"

	"github.com/cyclezero/cyclezero/state/gittest"
)

// Helper processes: the test binary re-runs itself with helperEnv set to act
// as a second cyclezero for the cross-process tests.
const (
	helperEnv      = "CYCLEZERO_STATE_TEST_HELPER"
	helperDirEnv   = "CYCLEZERO_STATE_TEST_DIR"
	helperSlugEnv  = "CYCLEZERO_STATE_TEST_SLUG"
	helperRunsEnv  = "CYCLEZERO_STATE_TEST_RUNS"
	helperHold     = "hold"     // open the session, report, hold until stdin closes
	helperSaveLoop = "saveloop" // open the session and save A/B alternately until killed
)

// TestMain runs the helper processes, and keeps the developer's git
// configuration out of the tests (a global core.excludesFile, hooks,
// signing or another default branch would change what git does here).
func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(runHelper(mode))
	}
	gittest.Isolate()
	os.Exit(m.Run())
}

// runHelper is the helper process's main.
func runHelper(mode string) int {
	dir, slug := os.Getenv(helperDirEnv), os.Getenv(helperSlugEnv)
	h, err := Open(dir, slug)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 2
	}
	out := bufio.NewWriter(os.Stdout)
	switch mode {
	case helperHold:
		if h.ReadOnly() {
			fmt.Fprintf(out, "ro %s\n", h.ReadOnlyReason())
		} else {
			fmt.Fprintln(out, "rw")
		}
		_ = out.Flush()
		_, _ = io.Copy(io.Discard, os.Stdin) // hold until the parent closes stdin
		if err := h.Close(); err != nil {
			return 3
		}
		return 0
	case helperSaveLoop:
		var runs int
		_, _ = fmt.Sscan(os.Getenv(helperRunsEnv), &runs)
		a, b := sampleSession(slug, "A", runs), sampleSession(slug, "B", runs)
		for i := 0; ; i++ {
			s := b
			if i%2 == 1 {
				s = a
			}
			if err := h.Save(s); err != nil {
				fmt.Fprintln(os.Stderr, "helper:", err)
				return 4
			}
			if i == 0 {
				fmt.Fprintln(out, "saved")
				_ = out.Flush()
			}
		}
	}
	return 5
}
