package steps

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state/gittest"
)

func writeFile(t *testing.T, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
}

// commit stages everything in the temporary repo and commits it.
func commit(t *testing.T, dir, msg string) string {
	t.Helper()
	gittest.Run(t, dir, "add", "--all", "--", ".")
	gittest.Run(t, dir, "commit", "-q", "-m", msg)
	return gittest.Run(t, dir, "rev-parse", "HEAD")
}

// seedRepo writes a small DerivaML-template-like layout and commits it.
func seedRepo(t *testing.T) (dir, head string) {
	t.Helper()
	dir = gittest.NewRepo(t)
	writeFile(t, dir, ".gitignore", "outputs/\n")
	writeFile(t, dir, "pyproject.toml", "[project]\nname = \"demo\"\nversion = \"0.1.0\"\ndependencies = [\"deriva-ml>=1.42\"]\n\n[tool.bumpversion]\ncurrent_version = \"0.1.0\"\n")
	writeFile(t, dir, "uv.lock", "version = 1\n\n[[package]]\nname = \"demo\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n\n[[package]]\nname = \"numpy\"\nversion = \"2.0.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n")
	writeFile(t, dir, "src/configs/__init__.py", "# configs\n")
	writeFile(t, dir, "src/configs/datasets.py", "DEV = '1-ABC'\n")
	writeFile(t, dir, "src/models/cnn.py", "def train(): pass\n")
	writeFile(t, dir, "docs/design/model/demo.md", "---\nstatus: Draft\n---\n## Goal\n")
	writeFile(t, dir, "README.md", "# demo\n")
	return dir, commit(t, dir, "seed")
}

func TestGitHeadAndFingerprintWithoutCommits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := gittest.NewRepo(t)
	head, err := GitHead(ctx, dir)
	require.NoError(t, err)
	assert.Empty(t, head, "no commits yet is an empty HEAD, not an error")

	writeFile(t, dir, "src/configs/a.py", "x = 1\n")
	fp, err := CurrentFingerprint(ctx, dir, "docs/design/model/demo.md")
	require.NoError(t, err)
	assert.Empty(t, fp.GitHead)
	assert.True(t, fp.ConfigHash != "" && fp.CodeHash != "", "hashes are computed from untracked files too")
	assert.Equal(t, DesignAbsent, fp.DesignHash)
	paths, err := ChangedPaths(ctx, dir, "")
	require.NoError(t, err)
	assert.Equal(t, []string{"src/configs/a.py"}, paths)
}

func TestGitHelpersOutsideARepo(t *testing.T) {
	t.Parallel()
	gittest.Require(t)
	ctx := context.Background()
	dir := t.TempDir()
	_, err := CurrentFingerprint(ctx, dir, "")
	if err == nil {
		t.Fatal("expected an error outside a git repository")
	}
	assert.Contains(t, err.Error(), "is not inside a git repository")
	assert.Contains(t, err.Error(), "git init")
	_, err = DirtyPaths(ctx, dir)
	assert.True(t, err != nil, "DirtyPaths outside a repo fails")
	_, err = ChangedPaths(ctx, dir, "")
	assert.True(t, err != nil, "ChangedPaths outside a repo fails")
}

func TestCurrentFingerprintTracksTheRightFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir, head := seedRepo(t)
	design := "docs/design/model/demo.md"
	fp0, err := CurrentFingerprint(ctx, dir, design)
	require.NoError(t, err)
	assert.Equal(t, head, fp0.GitHead)
	assert.Len(t, fp0.ConfigHash, 64)
	assert.True(t, fp0.ConfigHash != fp0.CodeHash, "config and code hashes differ")
	assert.True(t, fp0.DesignHash != "" && fp0.DesignHash != DesignAbsent, "design hashed")
	assert.Empty(t, fp0.SchemaHash, "catalog fields are the caller's")

	steps := []struct {
		name                       string
		edit                       func()
		config, code, design, head bool // which fields must change
	}{
		{"docs-only commit", func() { writeFile(t, dir, "README.md", "# demo v2\n"); commit(t, dir, "docs") }, false, false, false, true},
		{"uncommitted config edit", func() { writeFile(t, dir, "src/configs/datasets.py", "DEV = '1-XYZ'\n") }, true, false, false, false},
		{"committing it moves only HEAD", func() { commit(t, dir, "config") }, false, false, false, true},
		{"new untracked model file", func() { writeFile(t, dir, "src/models/head.py", "x = 2\n") }, false, true, false, false},
		{"bytecode is ignored", func() { writeFile(t, dir, "src/models/__pycache__/cnn.cpython-312.pyc", "\x00\x01") }, false, false, false, false},
		{"gitignored output is ignored", func() { writeFile(t, dir, "outputs/model.pt", "weights") }, false, false, false, false},
		{"findings are ignored", func() { writeFile(t, dir, "findings/notes.txt", "n") }, false, false, false, false},
		{"tests are not code", func() { writeFile(t, dir, "tests/test_cnn.py", "def test(): pass\n") }, false, false, false, false},
		{"version bump", func() {
			writeFile(t, dir, "pyproject.toml", "[project]\nname = \"demo\"\nversion = \"0.1.1\"\ndependencies = [\"deriva-ml>=1.42\"]\n\n[tool.bumpversion]\ncurrent_version = \"0.1.1\"\n")
			writeFile(t, dir, "uv.lock", "version = 1\n\n[[package]]\nname = \"demo\"\nversion = \"0.1.1\"\nsource = { editable = \".\" }\n\n[[package]]\nname = \"numpy\"\nversion = \"2.0.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n")
		}, false, false, false, false},
		{"dependency upgrade", func() {
			writeFile(t, dir, "uv.lock", "version = 1\n\n[[package]]\nname = \"demo\"\nversion = \"0.1.1\"\nsource = { editable = \".\" }\n\n[[package]]\nname = \"numpy\"\nversion = \"2.1.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n")
		}, false, true, false, false},
		{"design doc edited", func() { writeFile(t, dir, design, "---\nstatus: Approved\n---\n## Goal\n") }, false, false, true, false},
		{"deleting a config file", func() { require.NoError(t, os.Remove(filepath.Join(dir, "src/configs/__init__.py"))) }, true, false, false, false},
		{"design doc deleted", func() { require.NoError(t, os.Remove(filepath.Join(dir, design))) }, false, false, true, false},
	}
	prev := fp0
	for _, st := range steps {
		st.edit()
		fp, err := CurrentFingerprint(ctx, dir, design)
		require.NoError(t, err)
		assert.Equal(t, st.config, fp.ConfigHash != prev.ConfigHash, "%s: config hash changed", st.name)
		assert.Equal(t, st.code, fp.CodeHash != prev.CodeHash, "%s: code hash changed", st.name)
		assert.Equal(t, st.design, fp.DesignHash != prev.DesignHash, "%s: design hash changed", st.name)
		assert.Equal(t, st.head, fp.GitHead != prev.GitHead, "%s: HEAD moved", st.name)
		prev = fp
	}
	assert.Equal(t, DesignAbsent, prev.DesignHash)
}

func TestChangedPaths(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir, first := seedRepo(t)
	writeFile(t, dir, "src/configs/datasets.py", "DEV = '1-XYZ'\n")
	commit(t, dir, "config")
	gittest.Run(t, dir, "mv", "src/models/cnn.py", "src/models/net.py")
	writeFile(t, dir, "docs/notes.md", "n\n")
	writeFile(t, dir, "findings/x.txt", "x\n")

	got, err := ChangedPaths(ctx, dir, first)
	require.NoError(t, err)
	assert.Equal(t, []string{"docs/notes.md", "findings/x.txt", "src/configs/datasets.py", "src/models/cnn.py", "src/models/net.py"}, got)
	assert.Equal(t, ChangeConfig|ChangeCode|ChangeDocs, ClassifyChange(got))
	assert.Equal(t, 1, ReentryTier(ClassifyChange(got)))

	all, err := ChangedPaths(ctx, dir, "")
	require.NoError(t, err)
	assert.True(t, len(all) > len(got), "from the empty tree every file counts")

	_, err = ChangedPaths(ctx, dir, "0123456789012345678901234567890123456789")
	assert.True(t, err != nil, "an unknown commit is an error")
	assert.Contains(t, err.Error(), "commit 0123456 is not in this repository")
}

func TestChangedPathsFromASubdirectory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	top := gittest.NewRepo(t)
	writeFile(t, top, "model/src/models/a.py", "a\n")
	writeFile(t, top, "other/x.py", "x\n")
	first := commit(t, top, "seed")
	writeFile(t, top, "model/src/configs/b.py", "b\n")
	writeFile(t, top, "model/src/models/a.py", "a2\n")
	commit(t, top, "more")
	writeFile(t, top, "other/y.py", "y\n")
	writeFile(t, top, "model/pyproject.toml", "[project]\n")

	got, err := ChangedPaths(ctx, filepath.Join(top, "model"), first)
	require.NoError(t, err)
	assert.Equal(t, []string{"pyproject.toml", "src/configs/b.py", "src/models/a.py"}, got)
}

// TestDirtyPaths sets an environment variable, so it does not run in parallel.
func TestDirtyPaths(t *testing.T) {
	ctx := context.Background()
	dir, _ := seedRepo(t)
	clean, err := DirtyPaths(ctx, dir)
	require.NoError(t, err)
	assert.Empty(t, clean, "a fresh commit is clean")

	writeFile(t, dir, "findings/a.txt", "a")
	writeFile(t, dir, ".scratch/b.txt", "b")
	writeFile(t, dir, "outputs/c.txt", "c") // gitignored too
	writeFile(t, dir, "notebooks/explore.ipynb", "{}")
	writeFile(t, dir, "src/models/cnn.py", "def train(): return 1\n")
	writeFile(t, dir, "src/new/deep/file.py", "x")

	t.Setenv("DERIVA_ML_DIRTY_CHECK_IGNORE", "")
	got, err := DirtyPaths(ctx, dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"notebooks/explore.ipynb", "src/models/cnn.py", "src/new/deep/file.py"}, slices.Sorted(slices.Values(got)))

	t.Setenv("DERIVA_ML_DIRTY_CHECK_IGNORE", "notebooks/::src/new/")
	got, err = DirtyPaths(ctx, dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"src/models/cnn.py"}, got)

	entries, err := DirtyEntries(ctx, dir)
	require.NoError(t, err)
	assert.Equal(t, " M src/models/cnn.py", entries[0].String(), "porcelain line as DerivaML prints it")
	assert.Equal(t, []string{"findings/", "outputs/", ".scratch/", "notebooks/", "src/new/"}, IgnorePrefixes())
}

func TestParsePorcelainZ(t *testing.T) {
	t.Parallel()
	out := []byte(" M src/a.py\x00R  src/new name.py\x00src/old.py\x00?? findings/x\x00MM uv.lock\x00")
	got := parsePorcelainZ(out)
	assert.Equal(t, []StatusEntry{
		{Code: " M", Path: "src/a.py"},
		{Code: "R ", Path: "src/new name.py", Orig: "src/old.py"},
		{Code: "??", Path: "findings/x"},
		{Code: "MM", Path: "uv.lock"},
	}, got)
	assert.Equal(t, "R  src/old.py -> src/new name.py", got[1].String())
	kept := FilterDirty(got, DefaultIgnorePrefixes)
	assert.Len(t, kept, 3)
	// A rename is judged by its destination, as DerivaML does.
	assert.Len(t, FilterDirty([]StatusEntry{{Code: "R ", Path: "findings/a", Orig: "src/a.py"}, {Code: "??", Path: "x"}}, DefaultIgnorePrefixes), 1)
}

func TestVersionBlanking(t *testing.T) {
	t.Parallel()
	py := "[project]\nname = \"demo\"\nversion = \"1.2.3\"\nrequires-python = \">=3.12\"\n[tool.setuptools_scm]\nversion_scheme = \"post-release\"\n[tool.bumpversion]\n  current_version = \"1.2.3\"\n"
	assert.Equal(t, "[project]\nname = \"demo\"\nrequires-python = \">=3.12\"\n[tool.setuptools_scm]\nversion_scheme = \"post-release\"\n[tool.bumpversion]\n", string(blankPyprojectVersions([]byte(py))))

	lock := "version = 1\nrevision = 2\n\n[[package]]\nname = \"demo\"\nversion = \"1.2.3\"\nsource = { virtual = \".\" }\n\n[[package]]\nname = \"torch\"\nversion = \"2.5.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n"
	want := "version = 1\nrevision = 2\n\n[[package]]\nname = \"demo\"\nsource = { virtual = \".\" }\n\n[[package]]\nname = \"torch\"\nversion = \"2.5.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n"
	assert.Equal(t, want, string(blankOwnLockVersion([]byte(lock))))
}
