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

// storedRoot is the repo_root as slug's document stores it.
func storedRoot(t *testing.T, stateDir, slug string) any {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(readFile(t, SessionPath(stateDir, slug)), &doc))
	return doc["repo_root"]
}

// mkdir proj; cd proj; cyclezero new plain-model; git init; cyclezero new
// second-model; mv proj projmoved: in projmoved both sessions are still
// found, their roots are the repository where it is now, and saving one
// records that.
func TestSessionsFromBeforeGitInitSurviveAMove(t *testing.T) {
	xdg, work := preGitDir(t)
	before := startedIn(t, work, "plain-model")
	require.False(t, before.InGit)

	gittest.Run(t, work, "init", "-q")
	gitDir := filepath.Join(work, ".git", "cyclezero")
	second := startedIn(t, work, "second-model")
	require.Equal(t, before.StateDir, second.StateDir, "the new session goes where the old one is")
	require.NotEmpty(t, second.Fallback)

	crumb, ok := readBreadcrumb(gitDir)
	require.True(t, ok, "creating a session through the fallback leaves a breadcrumb in the git dir")
	assert.Equal(t, breadcrumb{StateDir: before.StateDir, RepoRoots: []string{work}}, crumb)
	found, err := hasSessions(gitDir)
	require.NoError(t, err)
	assert.False(t, found, "the breadcrumb is not a session")
	list, err := List(gitDir)
	require.NoError(t, err)
	assert.Empty(t, list, "List of the git dir ignores the breadcrumb")
	assert.Equal(t, before.StateDir, locate(t, work).StateDir, "still the fallback with the breadcrumb there")

	// A session that recorded a subdirectory of the repository (started
	// in src before `git init`, say) moves with it too.
	sub := sampleSession("in-src", "B", 0)
	sub.RepoRoot = filepath.Join(work, "src")
	writeDoc(t, before.StateDir, sub)

	moved := filepath.Join(filepath.Dir(work), "projmoved")
	require.NoError(t, os.Rename(work, moved))
	for _, from := range []string{moved, filepath.Join(moved, "src")} {
		loc := locate(t, from)
		assert.Equal(t, before.StateDir, loc.StateDir, "state dir from "+from)
		assert.True(t, loc.InGit)
		assert.Equal(t, moved, loc.RepoRoot)
		assert.Contains(t, loc.Fallback, "from when it was at "+work+",",
			"Fallback says where the sessions were started")
		assert.Contains(t, loc.Fallback, before.StateDir, "Fallback says where they are")
		assert.Contains(t, loc.Fallback, filepath.Join(moved, ".git", "cyclezero"), "and where they are not")
	}
	loc := locate(t, moved)
	list, err = List(loc.StateDir)
	require.NoError(t, err)
	var slugs []string
	for _, s := range list {
		require.NoError(t, s.Err, s.Slug)
		slugs = append(slugs, s.Slug)
	}
	assert.ElementsMatch(t, []string{"plain-model", "second-model", "in-src"}, slugs, "status lists them")

	// Their roots are where the repository is now, so nothing calls their
	// worktree gone; the place it names is this repository's.
	for slug, want := range map[string]string{"plain-model": moved, "second-model": moved,
		"in-src": filepath.Join(moved, "src")} {
		s, err := Load(loc.StateDir, slug)
		require.NoError(t, err, slug)
		assert.Equal(t, want, s.RepoRoot, slug)
		assert.Equal(t, loc.StateDir, locate(t, s.RepoRoot).StateDir, slug+": its root uses these sessions")
	}

	// Resuming saves the new root, and the breadcrumb learns the new top
	// level: what was recorded at the old one still maps after another move.
	h, err := Open(loc.StateDir, "plain-model")
	require.NoError(t, err)
	require.False(t, h.ReadOnly())
	assert.Equal(t, moved, h.Session().RepoRoot)
	require.NoError(t, h.Save(h.Session()))
	require.NoError(t, h.Close())
	assert.Equal(t, moved, storedRoot(t, loc.StateDir, "plain-model"), "the save records the new root")
	assert.Equal(t, work, storedRoot(t, loc.StateDir, "second-model"), "a session not saved keeps its own")
	crumb, ok = readBreadcrumb(filepath.Join(moved, ".git", "cyclezero"))
	require.True(t, ok)
	assert.Equal(t, []string{work, moved}, crumb.RepoRoots)

	again := filepath.Join(filepath.Dir(work), "again")
	require.NoError(t, os.Rename(moved, again))
	loc = locate(t, again)
	assert.Equal(t, before.StateDir, loc.StateDir)
	for _, slug := range []string{"plain-model", "second-model"} {
		s, err := Load(loc.StateDir, slug)
		require.NoError(t, err, slug)
		assert.Equal(t, again, s.RepoRoot, slug+" after a second move")
	}
	assert.Equal(t, filepath.Join(xdg, "cyclezero"), filepath.Dir(loc.StateDir), "nothing was moved")
}

// A breadcrumb naming a dir that is gone, has no sessions, or is not a
// breadcrumb at all, is passed over quietly.
func TestLocateIgnoresABadBreadcrumb(t *testing.T) {
	_, work := preGitDir(t)
	gittest.Run(t, work, "init", "-q")
	gitDir := filepath.Join(work, ".git", "cyclezero")
	require.NoError(t, os.MkdirAll(gitDir, dirMode))
	empty := t.TempDir()
	for name, content := range map[string]string{
		"missing":  `{"state_dir": "` + filepath.Join(empty, "gone") + `", "repo_roots": ["/old"]}`,
		"empty":    `{"state_dir": "` + empty + `", "repo_roots": ["/old"]}`,
		"relative": `{"state_dir": "x/y", "repo_roots": ["/old"]}`,
		"itself":   `{"state_dir": "` + gitDir + `"}`,
		"damaged":  `{"state_dir": `,
	} {
		require.NoError(t, os.WriteFile(breadcrumbPath(gitDir), []byte(content), fileMode))
		loc, err := Locate(t.Context(), work)
		require.NoError(t, err, name)
		assert.Equal(t, gitDir, loc.StateDir, name)
		assert.Empty(t, loc.Fallback, name)
		assert.Empty(t, loc.Note, name)
	}
}

// Once the git dir has sessions of its own, the dir the breadcrumb names
// is left behind, and said, like any other from before `git init`.
func TestBreadcrumbDirIsLeftBehindOnceTheGitDirHasSessions(t *testing.T) {
	_, work := preGitDir(t)
	before := startedIn(t, work, "old")
	gittest.Run(t, work, "init", "-q")
	startedIn(t, work, "second") // leaves the breadcrumb
	moved := filepath.Join(filepath.Dir(work), "moved")
	require.NoError(t, os.Rename(work, moved))
	gitDir := filepath.Join(moved, ".git", "cyclezero")
	mustCreate(t, gitDir, sampleSession("new", "B", 0))

	loc := locate(t, moved)
	assert.Equal(t, gitDir, loc.StateDir)
	assert.Empty(t, loc.Fallback)
	require.Len(t, loc.LeftBehind, 1)
	assert.Equal(t, before.StateDir, loc.LeftBehind[0].Dir)
	assert.Equal(t, []string{"old", "second"}, loc.LeftBehind[0].Slugs)
	assert.Contains(t, loc.Note, loc.LeftBehind[0].Move)
}

// Only a session created or opened for writing through a fallback leaves
// the breadcrumb: reading does not write into the git dir.
func TestOnlyWritingLeavesTheBreadcrumb(t *testing.T) {
	_, work := preGitDir(t)
	before := startedIn(t, work, "m")
	gittest.Run(t, work, "init", "-q")
	gitDir := filepath.Join(work, ".git", "cyclezero")
	loc := locate(t, work)
	_, err := Load(loc.StateDir, "m")
	require.NoError(t, err)
	_, err = List(loc.StateDir)
	require.NoError(t, err)
	assert.False(t, exists(gitDir), "reading made nothing under the git dir")

	h, err := Open(before.StateDir, "m")
	require.NoError(t, err)
	require.NoError(t, h.Close())
	crumb, ok := readBreadcrumb(gitDir)
	require.True(t, ok, "opening for writing leaves the breadcrumb")
	assert.Equal(t, before.StateDir, crumb.StateDir)
}
