package main

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/ui"
)

// The audit's steps: a worktree named after its model, the session started
// in it, resumed from the main checkout. The header names the worktree
// (the slug alone would hide that the session is judged against another
// checkout); resumed in the worktree itself, the slug is enough.
func TestHeaderNamesAWorktreeNamedAfterTheSession(t *testing.T) {
	isolate(t)
	main := gitRepo(t)
	wt := addWorktree(t, main, "lesion-seg")
	_, errOut, code := cli(t, "", "-C", wt, "new", "lesion-seg", "--local")
	require.Equal(t, exitOK, code, errOut)

	ctx := context.Background()
	for _, c := range []struct {
		from     string
		wantPath bool
	}{{main, true}, {wt, false}} {
		ws, err := locate(ctx, &globalFlags{repo: c.from})
		require.NoError(t, err)
		m := newSessions(ws)
		s, ro, reason, err := m.open(ctx, "lesion-seg")
		require.NoError(t, err)
		opts := m.wizardOptions(ctx, s, ro, reason)
		opts.Width, opts.Height = 200, 24
		head := strings.SplitN(ansi.Strip(ui.New(opts).View().Content), "\n", 2)[0]
		if c.wantPath {
			assert.Contains(t, head, "· "+wt, "resumed from %s", c.from)
		} else {
			assert.Equal(t, "cyclezero · lesion-seg · local catalog", strings.TrimRight(head, " "), "resumed from %s", c.from)
		}
		require.NoError(t, m.close())
	}
}
