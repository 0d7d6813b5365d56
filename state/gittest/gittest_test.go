package gittest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsolateKeepsTheUserConfigOut(t *testing.T) {
	for _, k := range []string{"GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "GIT_AUTHOR_NAME", "GIT_COMMITTER_EMAIL"} {
		t.Setenv(k, "") // restored after the test
	}
	Isolate()
	assert.Equal(t, os.DevNull, os.Getenv("GIT_CONFIG_GLOBAL"))
	assert.Equal(t, "1", os.Getenv("GIT_CONFIG_NOSYSTEM"))
	assert.NotEmpty(t, os.Getenv("GIT_AUTHOR_NAME"))
	assert.NotEmpty(t, os.Getenv("GIT_COMMITTER_EMAIL"))
}

func TestNewRepoIsEmptyOnMain(t *testing.T) {
	t.Parallel()
	dir := NewRepo(t)
	assert.Equal(t, "repo", filepath.Base(dir))
	assert.Equal(t, dir, Run(t, dir, "rev-parse", "--show-toplevel"), "the path is the one git prints")
	assert.Equal(t, "main", Run(t, dir, "symbolic-ref", "--short", "HEAD"))
	assert.Empty(t, Run(t, dir, "rev-list", "--all"), "no commits")
}

func TestNewRepoNamedWithCommit(t *testing.T) {
	t.Parallel()
	dir := NewRepo(t, Named("model-repo"), WithCommit("start"))
	assert.Equal(t, "model-repo", filepath.Base(dir))
	assert.Equal(t, "start", Run(t, dir, "log", "-1", "--format=%s"))
	assert.Equal(t, "Cycle Zero Test <test@example.invalid>", Run(t, dir, "log", "-1", "--format=%an <%ae>"),
		"the identity is fixed, even without Isolate")
	assert.Equal(t, "main", Run(t, dir, "rev-parse", "--abbrev-ref", "HEAD"))
	_, err := os.Stat(filepath.Join(dir, ".git"))
	require.NoError(t, err)
}

// fatalTB records Fatalf and stops the goroutine, as testing.T does.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestRunFailsWithGitsOutput(t *testing.T) {
	t.Parallel()
	Require(t)
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(f, t.TempDir(), "no-such-subcommand")
	}()
	<-done
	assert.Contains(t, f.msg, "git no-such-subcommand: exit status")
	assert.Contains(t, f.msg, "'no-such-subcommand' is not a git command", "git's own output is shown")
}
