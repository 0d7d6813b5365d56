package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state/gittest"
)

// addWorktree adds a linked worktree of repo, on a new branch, next to it.
func addWorktree(t *testing.T, repo, name string) string {
	t.Helper()
	wt := filepath.Join(filepath.Dir(repo), name)
	gittest.Run(t, repo, "worktree", "add", "-q", "-b", name, wt)
	t.Cleanup(func() { _ = exec.Command("git", "-C", repo, "worktree", "remove", "--force", wt).Run() })
	return wt
}

// The wizard shows a session in the worktree it is judged against (the one
// it was started in), wherever cyclezero runs: resumed from the main
// checkout, a worktree's session shows the worktree, and the other way
// round; the picker's SessionWorkspace says the same as resume.
func TestWizardShowsTheSessionsOwnWorktree(t *testing.T) {
	isolate(t)
	main := gitRepo(t)
	wt := addWorktree(t, main, "wt3")
	for _, c := range [][]string{{wt, "wt3-model"}, {main, "main-model"}} {
		_, errOut, code := cli(t, "", "-C", c[0], "new", c[1], "--local")
		require.Equal(t, exitOK, code, errOut)
	}
	ctx := context.Background()
	for _, c := range []struct{ from, slug, want string }{
		{main, "wt3-model", wt}, {wt, "main-model", main}, {main, "main-model", main}, {wt, "wt3-model", wt},
	} {
		ws, err := locate(ctx, &globalFlags{repo: c.from})
		require.NoError(t, err)
		m := newSessions(ws)
		s, ro, reason, err := m.open(ctx, c.slug)
		require.NoError(t, err)
		j, err := ws.judge(ctx, s)
		require.NoError(t, err)
		require.Equal(t, c.want, j.Root, "judged against, %s from %s", c.slug, c.from)

		opts := m.wizardOptions(ctx, s, ro, reason)
		assert.Equal(t, c.want, opts.SessionRoot, "%s from %s", c.slug, c.from)
		assert.Equal(t, c.from, opts.Workspace, "where cyclezero runs, %s from %s", c.slug, c.from)
		assert.Same(t, s, opts.Session)
		require.NotNil(t, opts.SessionWorkspace)
		assert.Equal(t, c.want, opts.SessionWorkspace(ctx, s), "picker: %s from %s", c.slug, c.from)
		assert.Equal(t, c.from, m.uiOptions().Workspace, "a session made in the form is made where cyclezero runs")
		require.NoError(t, m.close())
	}
}

// demo run on a linked worktree of a demo names the demo's own checkout,
// which its session is judged against, not the worktree.
func TestDemoOnAWorktreeNamesTheSessionsCheckout(t *testing.T) {
	isolate(t)
	gittest.Require(t)
	root, err := filepath.EvalSymlinks(t.TempDir())
	require.NoError(t, err)
	demo := filepath.Join(root, "demo")
	out, errOut, code := cli(t, "", "demo", demo)
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "Demo workspace: "+demo+"\n")

	wt := addWorktree(t, demo, "demo-wt")
	out, errOut, code = cli(t, "", "demo", wt)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Demo workspace: "+demo+"\n")
	assert.NotContains(t, out, "Demo workspace: "+wt)
}

// released says a read-only session's other cyclezero has quit once its
// lock is free, and goes on being asked (a third may take it: see
// TestReleasedFollowsAThirdCyclezero); a writable session is not watched.
func TestReleasedFollowsTheOtherCyclezero(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "m")
	ctx := context.Background()
	ws, err := locate(ctx, &globalFlags{repo: dir})
	require.NoError(t, err)

	first := newSessions(ws)
	_, ro, _, err := first.open(ctx, "m")
	require.NoError(t, err)
	require.False(t, ro)
	released, watch := first.released(ctx, "m")
	assert.False(t, released || watch, "the holder itself is not watched")

	second := newSessions(ws)
	_, ro, _, err = second.open(ctx, "m")
	require.NoError(t, err)
	require.True(t, ro)
	defer second.close()
	released, watch = second.released(ctx, "m")
	assert.False(t, released, "still held")
	assert.True(t, watch)

	require.NoError(t, first.close())
	released, watch = second.released(ctx, "m")
	assert.True(t, released, "the other has quit")
	assert.True(t, watch, "still watched: another may take it")
	_, _, ro = second.readOnly("m")
	assert.True(t, ro, "the lock is not taken over")

	released, watch = second.released(ctx, "other")
	assert.False(t, released || watch, "not the open session")
}
