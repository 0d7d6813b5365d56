package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// A repository moved elsewhere keeps its sessions working: their own
// catalogs are found under the new place, status says nothing about the
// old one being gone, and nothing is made at the old path.
func TestMovedRepositoryKeepsItsSessions(t *testing.T) {
	isolate(t)
	old := repoWithSessions(t, "m")
	moved := old + "-moved"
	require.NoError(t, os.Rename(old, moved))

	out, errOut, code := cli(t, "", "-C", moved, "status", "--plain")
	require.Equal(t, exitOK, code, errOut)
	wantCat := state.LocalCatalogPath(filepath.Join(moved, ".git", "cyclezero"), "m")
	assert.Contains(t, out, wantCat, "the catalog under the new place")
	assert.NotContains(t, out+errOut, old+string(filepath.Separator), "the old place is not named")
	assert.NotContains(t, out+errOut, "gone")

	out, errOut, code = cli(t, "", "-C", moved, "catalog", "ls")
	assert.Equal(t, exitOK, code, "catalog ls: %s%s", out, errOut)

	ws, err := locate(context.Background(), &globalFlags{repo: moved})
	require.NoError(t, err)
	m := newSessions(ws)
	s, ro, reason, err := m.open(context.Background(), "m")
	require.NoError(t, err)
	assert.False(t, ro, reason)
	assert.Equal(t, wantCat, s.Catalog.Path)
	m.release(os.Stderr)

	_, err = os.Lstat(old)
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing was made at the old path")
}

// A copy of a repository (cp -a) uses its own copy of each session's
// catalog, not the original's.
func TestCopiedRepositoryUsesItsOwnCatalog(t *testing.T) {
	isolate(t)
	orig := repoWithSessions(t, "m")
	cp := orig + "-copy"
	if out, err := exec.Command("cp", "-a", orig, cp).CombinedOutput(); err != nil {
		t.Skipf("cp -a: %v: %s", err, out)
	}
	wantCat := state.LocalCatalogPath(filepath.Join(cp, ".git", "cyclezero"), "m")

	out, errOut, code := cli(t, "", "-C", cp, "status", "--plain")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, wantCat)
	assert.NotContains(t, out+errOut, orig+string(filepath.Separator), "the original is not named")

	ws, err := locate(context.Background(), &globalFlags{repo: cp})
	require.NoError(t, err)
	s, err := ws.load("m")
	require.NoError(t, err)
	assert.Equal(t, wantCat, s.Catalog.Path)
	assert.True(t, ws.ownsCatalog(s), "the copy's catalog is its session's own")
}
