package ui

import (
	"os"
	"testing"
)

// TestMain pins the terminal environment the frames are rendered for, so
// goldens and layout tests do not change under TERM=dumb (editor shells,
// some CI), a light-background hint or NO_COLOR in the developer's shell.
func TestMain(m *testing.M) {
	os.Setenv("TERM", "xterm-256color")
	for _, k := range []string{"NO_COLOR", "COLORFGBG", "ACCESSIBLE", "CLICOLOR_FORCE"} {
		os.Unsetenv(k)
	}
	os.Exit(m.Run())
}
