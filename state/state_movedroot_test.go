package state

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state/gittest"
)

// v1ServerDoc is a schema-1 session on a Deriva server that recorded root
// as its repo_root: nothing in it says where its state dir was.
func v1ServerDoc(slug, root string) []byte {
	return []byte(`{"schema_version": 1, "slug": "` + slug + `", "repo_root": "` + root + `", ` +
		`"catalog": {"kind": "ermrest", "host": "https://example.org", "catalog_id": "1"}, "current": "specify"}`)
}

// A schema-1 session on a server catalog, in a repository moved before the
// upgrade: its repo_root, gone and none of the repository's worktrees, was
// the main worktree, so it becomes the repository where it is now, and is
// stored as "" by the next save. A linked worktree deleted by hand is still
// listed by git (prunable): a session started there keeps its root, so it
// is still said to be gone. A root that exists is kept as it is.
func TestMigrateV1ServerSessionOfAMovedRepository(t *testing.T) {
	t.Parallel()
	root := realTempDir(t)
	repo := filepath.Join(root, "now", "repo")
	require.NoError(t, os.MkdirAll(filepath.Dir(repo), 0o755))
	gittest.Run(t, root, "init", "-q", repo)
	gittest.Run(t, repo, "commit", "-q", "--allow-empty", "-m", "init")
	wt := filepath.Join(root, "wt")
	gittest.Run(t, repo, "worktree", "add", "-q", wt)
	require.NoError(t, os.RemoveAll(wt)) // deleted, not `git worktree remove`d: prunable
	elsewhere := filepath.Join(root, "elsewhere")
	require.NoError(t, os.Mkdir(elsewhere, 0o755))
	stateDir := filepath.Join(repo, ".git", "cyclezero")
	require.NoError(t, os.MkdirAll(SessionsDir(stateDir), 0o700))

	for slug, c := range map[string]struct{ recorded, want string }{
		"moved":     {filepath.Join(root, "before", "repo"), repo},
		"linked":    {wt, wt},
		"elsewhere": {elsewhere, elsewhere},
	} {
		require.NoError(t, os.WriteFile(SessionPath(stateDir, slug), v1ServerDoc(slug, c.recorded), 0o600))
		s, err := Load(stateDir, slug)
		require.NoError(t, err, slug)
		assert.Equal(t, c.want, s.RepoRoot, slug)

		h, err := Open(stateDir, slug)
		require.NoError(t, err, slug)
		require.NoError(t, h.Save(h.Session()), slug)
		require.NoError(t, h.Close())
		var doc map[string]any
		require.NoError(t, json.Unmarshal(readFile(t, SessionPath(stateDir, slug)), &doc), slug)
		stored := c.recorded
		if slug == "moved" {
			stored = "" // the main worktree, wherever the repository is
		}
		assert.Equal(t, stored, doc["repo_root"], slug+": stored")
	}
}

// Outside a repository's git dir nothing says which worktree is the main
// one: a gone root is kept.
func TestMigrateV1KeepsAGoneRootOutsideAGitDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gone := filepath.Join(dir, "gone")
	writeRaw(t, dir, "m", v1ServerDoc("m", gone))
	s, err := Load(dir, "m")
	require.NoError(t, err)
	assert.Equal(t, gone, s.RepoRoot)
}
