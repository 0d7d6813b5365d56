package steps

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/state"
)

func TestClassifyPath(t *testing.T) {
	t.Parallel()
	tests := map[string]PathClass{
		"src/configs/datasets.py":       PathConfig,
		"src/configs/dev/deriva_dev.py": PathConfig,
		"./src/configs/base.py":         PathConfig,
		"src/models/cnn.py":             PathCode,
		"src/scripts/load.py":           PathCode,
		"src/mypkg/util.py":             PathCode,
		"src/mypkg/labels.json":         PathCode,
		"pyproject.toml":                PathCode,
		"uv.lock":                       PathCode,
		".python-version":               PathCode,
		"docs/design/model/demo.md":     PathDocs,
		"docs/domain/notes.txt":         PathDocs,
		"tacit-knowledge.md":            PathDocs,
		"README.md":                     PathDocs,
		"src/configs/README.md":         PathDocs,
		"findings/sweep.json":           PathIgnored,
		"outputs/2026/model.pt":         PathIgnored,
		".scratch/x":                    PathIgnored,
		"src/models/__pycache__/c.pyc":  PathIgnored,
		"src/models/cnn.pyc":            PathIgnored,
		"src/demo.egg-info/PKG-INFO":    PathIgnored,
		"tests/test_cnn.py":             PathOther,
		"notebooks/explore.ipynb":       PathOther,
		"sub/pyproject.toml":            PathOther,
		"srcx/a.py":                     PathOther,
		"configs/not_under_src.py":      PathOther,
	}
	for p, want := range tests {
		assert.Equal(t, want, ClassifyPath(p), "ClassifyPath(%q)", p)
	}
	assert.Equal(t, "config", PathConfig.String())
	assert.Equal(t, "ignored", PathIgnored.String())
	assert.Equal(t, "other", PathOther.String())
}

func TestClassifyChangeAndReentry(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		paths   []string
		kind    ChangeKind
		str     string
		reentry int
	}{
		{"nothing", nil, ChangeNone, "none", 0},
		{"only ignored paths", []string{"findings/a", "outputs/b"}, ChangeNone, "none", 0},
		{"config only", []string{"src/configs/experiments.py"}, ChangeConfig, "config", 1},
		{"config and docs", []string{"src/configs/a.py", "tacit-knowledge.md"}, ChangeConfig | ChangeDocs, "config+docs", 1},
		{"model code", []string{"src/models/cnn.py"}, ChangeCode, "code", 2},
		{"lock file", []string{"uv.lock"}, ChangeCode, "code", 2},
		{"config and code", []string{"src/configs/a.py", "src/scripts/b.py"}, ChangeConfig | ChangeCode, "config+code", 1},
		{"docs only", []string{"docs/design/index.md", "README.md"}, ChangeDocs, "docs", 0},
		{"other only", []string{"tests/test_a.py"}, ChangeOther, "other", 0},
		{"docs and code", []string{"docs/x.md", "src/models/a.py"}, ChangeDocs | ChangeCode, "code+docs", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			k := ClassifyChange(tc.paths)
			assert.Equal(t, tc.kind, k)
			assert.Equal(t, tc.str, k.String())
			assert.Equal(t, tc.reentry, ReentryTier(k))
		})
	}
	assert.Equal(t, 2, ReentryTier(ChangeDataset))
	assert.True(t, (ChangeConfig | ChangeCode).Has(ChangeCode), "Has a member bit")
	assert.True(t, !ChangeConfig.Has(ChangeCode), "Has a missing bit")
	assert.True(t, !ChangeConfig.Has(ChangeNone), "Has(ChangeNone) is false")
}

func TestFingerprintChange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cur  state.Fingerprint
		want ChangeKind
	}{
		{"same", base, ChangeNone},
		{"HEAD only", with(func(f *state.Fingerprint) { f.GitHead = headB }), ChangeNone},
		{"config", with(func(f *state.Fingerprint) { f.ConfigHash = "x" }), ChangeConfig},
		{"code", with(func(f *state.Fingerprint) { f.CodeHash = "x" }), ChangeCode},
		{"dataset", with(func(f *state.Fingerprint) { f.DatasetVersion = "1-ABC@9" }), ChangeDataset},
		{"design", with(func(f *state.Fingerprint) { f.DesignHash = "x" }), ChangeDocs},
		{"schema is not a repo change", with(func(f *state.Fingerprint) { f.SchemaHash = "x" }), ChangeNone},
		{"hashes unknown and HEAD moved: assume both", state.Fingerprint{GitHead: headB}, ChangeConfig | ChangeCode | ChangeDataset},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, FingerprintChange(base, tc.cur), tc.name)
	}
}
