// Package gittest keeps tests that run git independent of the machine:
// the developer's git configuration stays out, and tests that need git
// skip when it is not installed. It is imported by tests only.
package gittest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// env is what Isolate sets and Run passes to git: no global or system
// configuration, so a core.excludesFile, hooks, signing or another default
// branch cannot change what git does, and a fixed identity for commits.
var env = map[string]string{
	"GIT_CONFIG_GLOBAL":   os.DevNull,
	"GIT_CONFIG_NOSYSTEM": "1",
	"GIT_AUTHOR_NAME":     "Cycle Zero Test",
	"GIT_AUTHOR_EMAIL":    "test@example.invalid",
	"GIT_COMMITTER_NAME":  "Cycle Zero Test",
	"GIT_COMMITTER_EMAIL": "test@example.invalid",
}

// Isolate sets the environment git reads so that a global
// core.excludesFile, hooks, signing or another default branch cannot change
// what git status and commit do in tests, and fixes the identity of the
// commits tests make. Call it from TestMain, before m.Run, so that the git
// the code under test runs is isolated too.
func Isolate() {
	for k, v := range env {
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

// Run runs git in dir for test setup and returns its output, trimmed. It
// skips t when git is not installed and fails t with git's output when git
// fails. git runs isolated (as after Isolate, even without it) and `git
// init` makes branch main, whatever git's own default is.
func Run(t testing.TB, dir string, args ...string) string {
	t.Helper()
	Require(t)
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// RepoOption changes the repository NewRepo makes.
type RepoOption func(*repoSpec)

type repoSpec struct {
	name, commit string
}

// Named names the repository's directory, for tests where the name shows
// (cyclezero suggests it as the session's slug). The default is "repo".
func Named(name string) RepoOption { return func(s *repoSpec) { s.name = name } }

// WithCommit gives the repository one empty commit with message msg, so
// that HEAD exists. Without it the repository has no commits.
func WithCommit(msg string) RepoOption { return func(s *repoSpec) { s.commit = msg } }

// NewRepo makes a git repository on branch main in a fresh directory under
// t.TempDir and returns its path, with symlinks resolved so that it
// compares equal to the paths git prints (macOS /var is /private/var).
func NewRepo(t testing.TB, opts ...RepoOption) string {
	t.Helper()
	Require(t)
	spec := repoSpec{name: "repo"}
	for _, o := range opts {
		o(&spec)
	}
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatalf("resolve the temporary directory: %v", err)
	}
	dir := filepath.Join(root, spec.name)
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatalf("make the repository directory: %v", err)
	}
	Run(t, dir, "init", "-q")
	if spec.commit != "" {
		Run(t, dir, "commit", "-q", "--allow-empty", "-m", spec.commit)
	}
	return dir
}
