package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/state/gittest"
)

// Schema-1 sessions on a server catalog, in a repository moved before the
// upgrade. The one started in the main worktree is not said to have been
// started somewhere that is gone, and the next open to write stores its
// root as the main worktree (""). The one started in a linked worktree
// that was deleted since still says so.
func TestSchema1ServerSessionsOfAMovedRepository(t *testing.T) {
	isolate(t)
	repo := gitRepo(t)
	wt := repo + "-wt"
	gittest.Run(t, repo, "worktree", "add", "-q", wt)
	require.NoError(t, os.RemoveAll(wt))
	stateDir := filepath.Join(repo, ".git", "cyclezero")
	require.NoError(t, os.MkdirAll(state.SessionsDir(stateDir), 0o700))
	before := filepath.Join(filepath.Dir(repo), "before", "model-repo")
	for slug, root := range map[string]string{"moved": before, "linked": wt} {
		doc := `{"schema_version": 1, "slug": "` + slug + `", "repo_root": "` + root + `", ` +
			`"catalog": {"kind": "ermrest", "host": "https://example.org", "catalog_id": "1"}, "current": "specify"}`
		require.NoError(t, os.WriteFile(state.SessionPath(stateDir, slug), []byte(doc), 0o600))
	}

	out, errOut, code := cli(t, "", "-C", repo, "status", "--plain", "moved")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "repo:    "+repo+"\n")
	assert.NotContains(t, out+errOut, "gone")
	assert.NotContains(t, out+errOut, before)

	out, errOut, code = cli(t, "", "-C", repo, "status", "--plain", "linked")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "note: the session was started in "+wt+", which is gone")

	ws, err := locate(context.Background(), &globalFlags{repo: repo})
	require.NoError(t, err)
	m := newSessions(ws)
	_, ro, reason, err := m.open(context.Background(), "moved")
	require.NoError(t, err)
	require.False(t, ro, reason)
	m.release(os.Stderr)
	var doc map[string]any
	data, err := os.ReadFile(state.SessionPath(stateDir, "moved"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &doc))
	assert.Equal(t, "", doc["repo_root"], "stored as the main worktree")
	assert.EqualValues(t, state.SchemaVersion, doc["schema_version"])
}
