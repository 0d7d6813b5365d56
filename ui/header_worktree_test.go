package ui

import (
	"context"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// headerLine is the first line of m's frame, without styling.
func headerLine(m Model) string { return strings.SplitN(plainView(m), "\n", 2)[0] }

// A session named like the directory cyclezero runs in shows no path (the
// slug says it); one judged against another worktree named after it (as
// worktrees often are) keeps that worktree's path, the only sign on screen
// that it is not this checkout.
func TestHeaderKeepsAnotherWorktreeNamedLikeTheSlug(t *testing.T) {
	t.Parallel()
	s := fixtureSession()
	s.Slug, s.Catalog = "lesion-seg", state.CatalogLocation{Kind: state.CatalogLocal}
	for _, tc := range []struct {
		name, workspace, root, want string
	}{
		{"here, named like it", "/src/lesion-seg", "", "cyclezero · lesion-seg · local catalog"},
		{"here, SessionRoot the same", "/src/lesion-seg", "/src/lesion-seg", "cyclezero · lesion-seg · local catalog"},
		{"another worktree named like it", "/src/main", "/src/main/wts/lesion-seg",
			"cyclezero · lesion-seg · local catalog · /src/main/wts/lesion-seg"},
		{"here, named otherwise", "/src/main", "", "cyclezero · lesion-seg · local catalog · /src/main"},
	} {
		m := wizardModel(t, Options{Session: s, Workspace: tc.workspace, SessionRoot: tc.root})
		assert.Equal(t, tc.want, strings.TrimRight(headerLine(m), " "), tc.name)
	}
}

// The same for a session opened in the picker: SessionWorkspace's answer
// keeps its path when it is another worktree named like the slug, and an
// answer that is where cyclezero runs is dropped as before.
func TestPickerOpenKeepsAnotherWorktreeNamedLikeTheSlug(t *testing.T) {
	t.Parallel()
	s := fixtureSession()
	s.Slug, s.Catalog = "lesion-seg", state.CatalogLocation{Kind: state.CatalogLocal}
	for _, tc := range []struct{ workspace, answer, want string }{
		{"/src/main", "/src/main/wts/lesion-seg", "cyclezero · lesion-seg · local catalog · /src/main/wts/lesion-seg"},
		{"/src/lesion-seg", "/src/lesion-seg", "cyclezero · lesion-seg · local catalog"},
		{"/src/lesion-seg", "", "cyclezero · lesion-seg · local catalog"},
	} {
		open := func(context.Context, string) (*state.Session, bool, string, error) { return s, false, "", nil }
		where := func(context.Context, *state.Session) string { return tc.answer }
		m := New(Options{Now: nowFn, Sessions: []SessionChoice{{Slug: s.Slug}}, Open: open, SessionWorkspace: where,
			Workspace: tc.workspace})
		m, _ = update(t, m, tea.WindowSizeMsg{Width: 100, Height: 24})
		m = openFromPicker(t, m)
		assert.Equal(t, tc.want, strings.TrimRight(headerLine(m), " "), "%s in %s", tc.answer, tc.workspace)
	}
}

// openFromPicker presses enter on the picker's session and feeds the
// open's messages back until the session is open.
func openFromPicker(t *testing.T, m Model) Model {
	t.Helper()
	m, cmd := update(t, m, keyEnter)
	require.NotNil(t, cmd)
	for msg := cmd(); ; {
		if opened, ok := msg.(sessionOpenedMsg); ok {
			m, _ = update(t, m, opened)
			break
		}
		next, ok := msg.(openSessionMsg)
		require.True(t, ok, "got %T", msg)
		m, cmd = update(t, m, next)
		require.NotNil(t, cmd)
		msg = cmd()
	}
	require.Equal(t, screenWizard, m.screen)
	return m
}
