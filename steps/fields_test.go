package steps

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/state"
)

func TestDiff(t *testing.T) {
	t.Parallel()
	all := []Field{FieldDesign, FieldSchema, FieldDataset, FieldConfig, FieldCode, FieldGitHead}
	tests := []struct {
		name     string
		old, cur state.Fingerprint
		fields   []Field
		mode     Mode
		want     []string // reasons
	}{
		{"identical", base, base, all, Strict, nil},
		{"only listed fields count", base, with(func(f *state.Fingerprint) { f.CodeHash = "x" }), []Field{FieldConfig}, Strict, nil},
		{"HEAD moved", base, with(func(f *state.Fingerprint) { f.GitHead = headB }), []Field{FieldGitHead}, Lenient,
			[]string{"HEAD moved from aaaaaaa to bbbbbbb"}},
		{"re-release", base, with(func(f *state.Fingerprint) { f.DatasetVersion = "1-ABC@0.3.0" }), []Field{FieldDataset}, Lenient,
			[]string{"the dev dataset was re-released, from 0.2.0 to 0.3.0"}},
		{"lenient ignores a value missing now", base, state.Fingerprint{}, all, Lenient, nil},
		{"lenient ignores a value never recorded", state.Fingerprint{}, base, all, Lenient, nil},
		{"strict: no dataset pinned now", base, with(func(f *state.Fingerprint) { f.DatasetVersion = "" }), []Field{FieldDataset}, Strict,
			[]string{"no dev dataset is pinned now (it was 1-ABC@0.2.0)"}},
		{"strict: no dataset recorded", with(func(f *state.Fingerprint) { f.DatasetVersion = "" }), base, []Field{FieldDataset}, Strict,
			[]string{"the last run recorded no dev dataset; now 1-ABC@0.2.0 is pinned"}},
		{"strict: hash missing, same HEAD", state.Fingerprint{GitHead: headA}, base, []Field{FieldConfig, FieldCode}, Strict, nil},
		{"strict: hash missing, HEAD moved", state.Fingerprint{GitHead: headA}, with(func(f *state.Fingerprint) { f.GitHead = headB }),
			[]Field{FieldCode}, Strict, []string{"HEAD moved from aaaaaaa to bbbbbbb and the code hash was not recorded"}},
		{"strict: nothing recorded", state.Fingerprint{}, base, []Field{FieldConfig}, Strict,
			[]string{"the last run recorded no config hash, so it cannot be matched"}},
		{"strict: both unknown is equal", state.Fingerprint{}, state.Fingerprint{}, all, Strict, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, c := range Diff(tc.old, tc.cur, tc.fields, tc.mode, "since the last run") {
				got = append(got, c.Reason)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestFieldNamesAndHelpers(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "config_hash", FieldConfig.String())
	assert.Equal(t, "git_head", FieldGitHead.String())
	assert.Equal(t, "1-ABC@0.2.0", FieldDataset.Value(base))
	assert.Equal(t, "1-ABC@0.2.0", DatasetVersion("1-ABC", "0.2.0"))
	assert.Empty(t, DatasetVersion("", "0.2.0"))
	assert.Equal(t, "aaaaaaa", ShortSHA(headA))
	assert.Equal(t, "abc", ShortSHA("abc"))
}
