package main

import (
	"os"
	"testing"

	"github.com/cyclezero/cyclezero/state/gittest"
)

// TestMain pins how hints name the program (the test binary lives in the
// go command's build directory, which would otherwise read as `go run`),
// and keeps the developer's git configuration out of the tests: a global
// core.excludesFile, hooks, signing or another default branch would change
// what git does here. The identity is fixed for the commits tests make.
// A developer's ACCESSIBLE, and TERM=dumb (an editor's shell), are dropped
// too: either turns accessible mode on, which would let the commands that
// prompt run on the tests' input instead of refusing without a terminal.
func TestMain(m *testing.M) {
	program = func() string { return "cyclezero" }
	_ = os.Unsetenv("ACCESSIBLE")
	if dumbTerminal(os.Getenv("TERM")) {
		_ = os.Unsetenv("TERM")
	}
	gittest.Isolate()
	code := m.Run()
	if binDir != "" { // the terminal tests' shared build
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}
