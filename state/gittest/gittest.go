// Package gittest keeps tests that run git independent of the machine:
// the developer's git configuration stays out, and tests that need git
// skip when it is not installed. It is imported by tests only.
package gittest

import (
	"os"
	"os/exec"
	"testing"
)

// Isolate sets the environment git reads so that a global
// core.excludesFile, hooks, signing or another default branch cannot change
// what git status and commit do in tests, and fixes the identity of the
// commits tests make. Call it from TestMain, before m.Run.
func Isolate() {
	for k, v := range map[string]string{
		"GIT_CONFIG_GLOBAL":   os.DevNull,
		"GIT_CONFIG_NOSYSTEM": "1",
		"GIT_AUTHOR_NAME":     "Cycle Zero Test",
		"GIT_AUTHOR_EMAIL":    "test@example.invalid",
		"GIT_COMMITTER_NAME":  "Cycle Zero Test",
		"GIT_COMMITTER_EMAIL": "test@example.invalid",
	} {
		if err := os.Setenv(k, v); err != nil {
			panic(err)
		}
	}
}

// Require skips t when git is not installed.
func Require(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skipf("git is not installed: %v", err)
	}
}
