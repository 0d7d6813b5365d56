package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/state/gittest"
)

// sessionFile is the session document of slug in the repository at dir.
func sessionFile(t *testing.T, dir, slug string) string {
	t.Helper()
	loc, err := state.Locate(context.Background(), dir)
	require.NoError(t, err)
	return state.SessionPath(loc.StateDir, slug)
}

// gitRepo makes a git repository with one commit and returns its path. It
// is named as real repositories are: the name suggests the session's slug
// and names the domain schema.
func gitRepo(t *testing.T) string {
	t.Helper()
	return gittest.NewRepo(t, gittest.Named("model-repo"), gittest.WithCommit("start"))
}

// repoWithSessions is a git repository with a session on the embedded
// catalog for each slug, created in order (cheaper than the demo's seed).
func repoWithSessions(t *testing.T, slugs ...string) string {
	t.Helper()
	dir := gitRepo(t)
	for _, slug := range slugs {
		_, errOut, code := cli(t, "", "-C", dir, "new", slug, "--local")
		require.Equal(t, exitOK, code, errOut)
	}
	return dir
}

// Outside git, status still evaluates the session, says the code state is
// unknown, and does not fail.
func TestStatusOutsideGit(t *testing.T) {
	isolate(t)
	gittest.Require(t) // new needs git, even outside a repository

	dir := filepath.Join(t.TempDir(), "no-repo") // sessions go to XDG_STATE_HOME
	require.NoError(t, os.Mkdir(dir, 0o755))
	_, errOut, code := cli(t, "", "-C", dir, "new", "one", "--local")
	require.Equal(t, exitOK, code, errOut)
	out, errOut, code := cli(t, "", "-C", dir, "status", "one")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "1  Specify")
	assert.Contains(t, out, "note: code state unknown: "+dir+" is not in a git repository")
	out, _, code = cli(t, "", "-C", dir, "status", "--json")
	require.Equal(t, exitOK, code)
	var rep statusReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, "unknown", rep.CodeState)
	assert.Len(t, rep.Phases, 8)
}

// Following the note's own advice (`git init`) keeps the session: status
// still finds it where it was and says where it is kept.
func TestStatusAfterGitInitKeepsTheSession(t *testing.T) {
	isolate(t)
	gittest.Require(t)

	dir := filepath.Join(t.TempDir(), "no-repo")
	require.NoError(t, os.Mkdir(dir, 0o755))
	_, errOut, code := cli(t, "", "-C", dir, "new", "one", "--local")
	require.Equal(t, exitOK, code, errOut)
	gittest.Run(t, dir, "init", "-q")

	out, errOut, code := cli(t, "", "-C", dir, "status", "one")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "1  Specify")
	assert.Contains(t, out, "from before `git init` are kept in "+os.Getenv("XDG_STATE_HOME"))
	assert.NotContains(t, out, "code state unknown", "the code is in git now")
}

func TestUnknownSlugListsTheSessions(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "diagnosis-classifier", "other-model")
	_, errOut, code := cli(t, "", "-C", dir, "status", "nope")
	assert.Equal(t, exitUsage, code, "a slug naming no session is a wrong argument, as --session is")
	assert.Contains(t, errOut, `no session "nope" in this repository (its sessions: other-model, diagnosis-classifier)`)
	assert.Contains(t, errOut, "start it with: cyclezero -C "+dir+" new nope")

	// resume opens through state.Open: the same answer (in-process, as the
	// command needs a terminal first).
	ws, err := locate(context.Background(), &globalFlags{repo: dir})
	require.NoError(t, err)
	_, _, _, err = newSessions(ws).open(context.Background(), "nope")
	require.ErrorIs(t, err, state.ErrNotFound)
	assert.Contains(t, err.Error(), "(its sessions: other-model, diagnosis-classifier); start it with: cyclezero -C "+dir+" new nope")
}

// status without a slug skips a newer damaged session, but says so.
func TestStatusWarnsAboutANewerDamagedSession(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "diagnosis-classifier", "broken")
	path := sessionFile(t, dir, "broken")
	require.NoError(t, os.WriteFile(path, []byte(`{"schema_version":`), 0o600))
	future := time.Now().Add(time.Hour)
	require.NoError(t, os.Chtimes(path, future, future))

	out, errOut, code := cli(t, "", "-C", dir, "status")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "cyclezero session diagnosis-classifier")
	assert.Contains(t, errOut, "warning: skipped session broken, newer than diagnosis-classifier, because it cannot be read")
	assert.Contains(t, errOut, path)
	assert.Regexp(t, "restore it with: cp |move the damaged file aside and start over with: mv ", errOut)
}

// In a linked worktree the session is judged against its own working tree
// (its HEAD), wherever status is run from, and that tree is printed.
func TestStatusJudgesTheSessionsOwnWorktree(t *testing.T) {
	isolate(t)
	main := gitRepo(t)
	wt := filepath.Join(filepath.Dir(main), "feature-tree")
	gittest.Run(t, main, "worktree", "add", "-q", "-b", "feature", wt)
	t.Cleanup(func() { _ = exec.Command("git", "-C", main, "worktree", "remove", "--force", wt).Run() })
	_, errOut, code := cli(t, "", "-C", wt, "new", "wt-model", "--local")
	require.Equal(t, exitOK, code, errOut)
	gittest.Run(t, wt, "commit", "-q", "--allow-empty", "-m", "only on the feature branch")

	out, errOut, code := cli(t, "", "-C", main, "status", "--json")
	require.Equal(t, exitOK, code, errOut)
	var rep statusReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, wt, rep.Repo)

	ws, err := locate(context.Background(), &globalFlags{repo: main})
	require.NoError(t, err)
	s, err := ws.load("wt-model")
	require.NoError(t, err)
	j, err := ws.judge(context.Background(), s)
	require.NoError(t, err)
	assert.Equal(t, gittest.Run(t, wt, "rev-parse", "HEAD"), j.FP.GitHead, "judged against the worktree's HEAD")
	assert.NotEqual(t, gittest.Run(t, main, "rev-parse", "HEAD"), j.FP.GitHead)

	// Once the worktree is gone, status falls back to where it runs, and says so.
	gittest.Run(t, main, "worktree", "remove", "--force", wt)
	out, errOut, code = cli(t, "", "-C", main, "status")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "repo:    "+main)
	assert.Contains(t, out, "note: the session was started in "+wt+", which is gone")
}

func TestReadOnlyExitSaysNothingWasSaved(t *testing.T) {
	got := readOnlyExit(workspace{hint: "/r"}, "m", "in use by another cyclezero (pid 42)", false)
	assert.Equal(t, "Nothing was saved: session m is in use by another cyclezero (pid 42), so it was read-only here.\n"+
		"Carry on in that cyclezero, or once it has quit, resume with: cyclezero -C /r resume m\n", got)
}

func TestInterruptedExitCode(t *testing.T) {
	assert.Equal(t, exitCancelled, exitCode(errInterrupted))
	var b strings.Builder
	printError(&b, errInterrupted)
	assert.Empty(t, b.String(), "an interrupt prints no error (the resume hint was printed)")
}

// Opening a session read-write stamps it, so the most recent session (what
// resume and status pick without a slug) is the one last used, even when
// it was quit without a move; a read-only open writes nothing.
func TestOpeningASessionMakesItTheMostRecent(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "older", "newer")
	ws, err := locate(t.Context(), &globalFlags{repo: dir})
	require.NoError(t, err)
	slug, err := ws.pickSlug("", io.Discard)
	require.NoError(t, err)
	require.Equal(t, "newer", slug)

	holder := newSessions(ws)
	t.Cleanup(func() { assert.NoError(t, holder.close(), "release the lock") })
	_, ro, _, err := holder.open(context.Background(), "older")
	require.NoError(t, err)
	require.False(t, ro)
	slug, err = ws.pickSlug("", io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "older", slug, "the session just opened is the most recent")

	before, err := os.ReadFile(sessionFile(t, dir, "older"))
	require.NoError(t, err)
	_, ro, _, err = newSessions(ws).open(context.Background(), "older") // held above: read-only here
	require.NoError(t, err)
	require.True(t, ro)
	after, err := os.ReadFile(sessionFile(t, dir, "older"))
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after), "a read-only open writes nothing")
}

func TestSignalExitStatus(t *testing.T) {
	assert.Equal(t, exitTerminated, signalExit(exitOK, syscall.SIGTERM))
	assert.Equal(t, exitTerminated, signalExit(exitCancelled, syscall.SIGTERM), "SIGTERM is not reported as ctrl+c")
	assert.Equal(t, exitCancelled, signalExit(exitCancelled, syscall.SIGINT))
	assert.Equal(t, exitCancelled, signalExit(exitCancelled, nil))
	assert.Equal(t, exitUsage, signalExit(exitUsage, syscall.SIGTERM), "a failure keeps its own code")
	assert.Equal(t, exitOK, signalExit(exitOK, nil))
}

// A SIGTERM while status --watch runs ends it with 143, a SIGINT with 130.
func TestSignalsEndACommandWithTheirStatus(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "m")
	for sig, want := range map[os.Signal]int{syscall.SIGTERM: exitTerminated, os.Interrupt: exitCancelled} {
		sigs := make(chan os.Signal, 1)
		out := &signalAfterFirstWrite{sigs: sigs, sig: sig}
		code := runWithSignals(t.Context(), []string{"-C", dir, "status", "--watch", "--plain", "--interval", "1h"},
			stdio{in: strings.NewReader(""), out: out, err: io.Discard}, sigs)
		assert.Equal(t, want, code, "%v", sig)
	}
}

// signalAfterFirstWrite sends sig once the command has printed something.
type signalAfterFirstWrite struct {
	once sync.Once
	sigs chan<- os.Signal
	sig  os.Signal
}

func (w *signalAfterFirstWrite) Write(p []byte) (int, error) {
	w.once.Do(func() { w.sigs <- w.sig })
	return len(p), nil
}

// A lock that could not be released is not dropped: close returns it, once,
// and release says it on stderr as a warning.
func TestReleaseReportsALockItCouldNotRelease(t *testing.T) {
	t.Parallel()
	m := newSessions(workspace{})
	m.releaseErrs = []error{errors.New("release session a: unlock session /s/a.lock: bad file descriptor")}
	var errb strings.Builder
	m.release(&errb)
	assert.Equal(t, "cyclezero: warning: release session a: unlock session /s/a.lock: bad file descriptor\n", errb.String())
	assert.NoError(t, m.close(), "said once")
}
