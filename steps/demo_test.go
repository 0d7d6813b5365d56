package steps

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state/gittest"
)

func TestCreateDemoWorkspace(t *testing.T) {
	t.Parallel()
	gittest.Require(t)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "ws")

	created, err := CreateDemoWorkspace(ctx, dir)
	require.NoError(t, err)
	assert.True(t, created, "a new workspace is created")
	for _, f := range []string{".gitignore", "README.md", "pyproject.toml", "src/configs/__init__.py", "src/models/diagnosis_classifier.py"} {
		_, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err)
	}
	head, err := GitHead(ctx, dir)
	require.NoError(t, err)
	assert.True(t, len(head) == 40, "one commit exists: "+head)
	dirty, err := DirtyPaths(ctx, dir)
	require.NoError(t, err)
	assert.Empty(t, dirty, "the tree is clean after creation")

	// Running demo again in the same place reuses it.
	created, err = CreateDemoWorkspace(ctx, dir)
	require.NoError(t, err)
	assert.True(t, !created, "an existing demo workspace is reused")
}

// A demo cut short while it was set up — its files written but no git
// repository yet, or a repository without its first commit — is finished
// by the next CreateDemoWorkspace, not taken for a finished demo or
// refused as someone else's directory.
func TestCreateDemoWorkspaceFinishesOneCutShort(t *testing.T) {
	t.Parallel()
	gittest.Require(t)
	ctx := context.Background()
	for name, cut := range map[string]func(dir string){
		"before git init": func(dir string) { require.NoError(t, os.RemoveAll(filepath.Join(dir, ".git"))) },
		"before the commit": func(dir string) {
			require.NoError(t, os.RemoveAll(filepath.Join(dir, ".git")))
			_, err := runGit(ctx, dir, "init", "--quiet")
			require.NoError(t, err)
		},
	} {
		dir := filepath.Join(t.TempDir(), "ws")
		_, err := CreateDemoWorkspace(ctx, dir)
		require.NoError(t, err, name)
		cut(dir)
		require.True(t, HasDemoReadme(dir), name)

		created, err := CreateDemoWorkspace(ctx, dir)
		require.NoError(t, err, name)
		assert.True(t, created, "%s: set up again", name)
		head, err := GitHead(ctx, dir)
		require.NoError(t, err, name)
		assert.Len(t, head, 40, "%s: the first commit is made", name)
		dirty, err := DirtyPaths(ctx, dir)
		require.NoError(t, err, name)
		assert.Empty(t, dirty, "%s: the tree is clean", name)
	}
}

func TestCreateDemoWorkspaceRefusesOtherContent(t *testing.T) {
	t.Parallel()
	gittest.Require(t)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644))
	_, err := CreateDemoWorkspace(context.Background(), dir)
	assert.True(t, err != nil && strings.Contains(err.Error(), "not empty"), "a non-empty directory is refused")
	b, _ := os.ReadFile(filepath.Join(dir, "notes.txt"))
	assert.Equal(t, "mine", string(b), "nothing of the user's is touched")
}

// Without git the demo fails before writing anything, saying git is
// missing and how to get it; the git helpers say git is missing, not that
// the directory is not a repository.
func TestWithoutGitTheDemoSaysToInstallIt(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no git here; not parallel: PATH is process-wide
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "ws")
	_, err := CreateDemoWorkspace(ctx, dir)
	require.ErrorIs(t, err, ErrNoGit)
	assert.Contains(t, err.Error(), "git is not installed (not found on PATH), and it is needed to create the demo workspace")
	assert.Contains(t, err.Error(), "install git")
	_, statErr := os.Stat(dir)
	assert.ErrorIs(t, statErr, os.ErrNotExist, "nothing is written without git")

	_, err = DirtyPaths(ctx, t.TempDir())
	require.ErrorIs(t, err, ErrNoGit)
	assert.NotContains(t, err.Error(), "not inside a git repository", "git is missing, not the repository")
	assert.Contains(t, err.Error(), "install git")
}

func TestProjectNameIsAUsableCuriePrefix(t *testing.T) {
	t.Parallel()
	for dir, want := range map[string]string{
		"/src/cell-imaging": "cell-imaging",
		"/src/My Project!":  "My-Project",
		"/src/003":          "project-003",
		"/src/_x":           "project-_x",
		"/":                 "project",
	} {
		assert.Equal(t, want, ProjectName(dir), dir)
	}
	// The name must work as a local catalog's domain schema and prefix.
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "catalog.sqlite")
	require.NoError(t, PrepareLocalCatalog(ctx, path, ProjectName("/src/003")))
}

func TestSeedDemoCatalogOnceAndNotOverAForeignSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "demo.sqlite")
	seeded, err := SeedDemoCatalog(ctx, path)
	require.NoError(t, err)
	assert.True(t, seeded, "first call seeds")
	seeded, err = SeedDemoCatalog(ctx, path)
	require.NoError(t, err)
	assert.False(t, seeded, "second call finds the seed")

	// A catalog whose "demo" schema is someone else's is not "already seeded".
	other := filepath.Join(t.TempDir(), "other.sqlite")
	require.NoError(t, PrepareLocalCatalog(ctx, other, "demo"))
	_, err = SeedDemoCatalog(ctx, other)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "demo")
}

// A finished demo whose repository cannot be read (here: interrupted) is
// an error, never taken for one cut short and written over.
func TestCreateDemoWorkspaceKeepsAFinishedDemoOnGitFailure(t *testing.T) {
	t.Parallel()
	gittest.Require(t)
	dir := filepath.Join(t.TempDir(), "ws")
	_, err := CreateDemoWorkspace(context.Background(), dir)
	require.NoError(t, err)
	readme := filepath.Join(dir, "README.md")
	edited := "cyclezero demo workspace, edited by the user\n"
	require.NoError(t, os.WriteFile(readme, []byte(edited), 0o644))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	created, err := CreateDemoWorkspace(ctx, dir)
	require.Error(t, err)
	assert.False(t, created)
	b, err := os.ReadFile(readme)
	require.NoError(t, err)
	assert.Equal(t, edited, string(b), "the user's edit is kept")
}
