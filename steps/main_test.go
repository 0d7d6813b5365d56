package steps

import (
	"os"
	"testing"

	"github.com/cyclezero/cyclezero/state/gittest"
)

// TestMain keeps the developer's git configuration out of the tests: a
// global core.excludesFile, hooks, signing or another default branch would
// otherwise change what git status and commit do here. The identity is
// fixed for the commits the tests make.
func TestMain(m *testing.M) {
	gittest.Isolate()
	os.Exit(m.Run())
}
