package main

import (
	"os"
	"os/exec"
	"testing"
)

// TestMain pins how hints name the program (the test binary lives in the
// go command's build directory, which would otherwise read as `go run`),
// and keeps the developer's git configuration out of the tests: a global
// core.excludesFile, hooks, signing or another default branch would change
// what git does here. The identity is fixed for the commits tests make.
func TestMain(m *testing.M) {
	program = func() string { return "cyclezero" }
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
	os.Exit(m.Run())
}

// requireGit skips a test that needs git (the demo, a repository) when git
// is not installed.
func requireGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skipf("git is not installed: %v", err)
	}
}
