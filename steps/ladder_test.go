package steps

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

func TestTierPassed(t *testing.T) {
	t.Parallel()
	cfg2 := with(func(f *state.Fingerprint) { f.ConfigHash = "cfg2" })
	code2 := with(func(f *state.Fingerprint) { f.CodeHash = "code2" })
	ds2 := with(func(f *state.Fingerprint) { f.DatasetVersion = "1-ABC@0.3.0" })
	tests := []struct {
		name    string
		session *state.Session
		tier    int
		current state.Fingerprint
		want    bool
	}{
		{"nil session", nil, 1, base, false},
		{"no runs", prepared(), 1, base, false},
		{"passed at base", climbed(), 1, base, true},
		{"failed run does not count", addRun(prepared(), 1, RunFailed, 50, base), 1, base, false},
		{"running run does not count", addRun(prepared(), 1, RunRunning, 50, base), 1, base, false},
		{"tier 1 pass is not a tier 2 pass", addRun(prepared(), 1, RunPassed, 50, base), 2, base, false},
		{"tier 1 survives a code change", climbed(), 1, code2, true},
		{"tier 1 survives a dataset re-release", climbed(), 1, ds2, true},
		{"tier 1 falls to a config change", climbed(), 1, cfg2, false},
		{"tier 2 falls to a config change", climbed(), 2, cfg2, false},
		{"tier 2 falls to a code change", climbed(), 2, code2, false},
		{"tier 2 falls to a dataset re-release", climbed(), 2, ds2, false},
		{"tier 3 survives a dataset re-release", climbed(), 3, ds2, true},
		{"tier 3 falls to a code change", climbed(), 3, code2, false},
		{"an older pass for the current config counts", addRun(climbed(), 1, RunFailed, 80, base), 1, base, true},
		{
			"a pass at an earlier fingerprint counts again after reverting",
			addRun(addRun(prepared(), 1, RunPassed, 50, base), 1, RunPassed, 60, cfg2), 1, base, true,
		},
		{"docs-only HEAD move", climbed(), 3, with(func(f *state.Fingerprint) { f.GitHead = headB }), true},
		{"no such tier", climbed(), 4, base, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, TierPassed(tc.session, tc.tier, tc.current))
		})
	}
}

func TestCanRun(t *testing.T) {
	t.Parallel()
	withOverride := func(s *state.Session, id PhaseID, fp state.Fingerprint) *state.Session {
		require.NoError(t, Override(s, id, GateName(id), "dry run broken by an upstream Hydra bug", fp, t0))
		return s
	}
	cfg2 := with(func(f *state.Fingerprint) { f.ConfigHash = "cfg2" })
	tests := []struct {
		name    string
		session *state.Session
		tier    int
		current state.Fingerprint
		ok      bool
		why     string
	}{
		{"tier 0 does not exist", climbed(), 0, base, false, "there is no tier 0: tiers are 1, 2 and 3"},
		{"tier 4 does not exist", climbed(), 4, base, false, "there is no tier 4"},
		{"tier 1 needs validated labels", start(newSession(), Specify, 1), 1, base, false,
			"tier 1 needs every development record labelled with valid terms (validate: the labels are not validated yet)"},
		{"tier 1 after validation", prepared(), 1, base, true, "tier 1 may run"},
		{"tier 2 without tier 1", prepared(), 2, base, false,
			"tier 2 needs a passing tier-1 run for the current config (tier 1: no tier-1 run yet)"},
		{"tier 2 after a tier-1 pass", addRun(prepared(), 1, RunPassed, 50, base), 2, base, true, "may run"},
		{"tier 2 after the config changed", addRun(prepared(), 1, RunPassed, 50, base), 2, cfg2, false,
			"tier 1: the config (src/configs/) changed since the last passing run; re-enter at tier 1"},
		{"tier 3 needs both", addRun(prepared(), 1, RunPassed, 50, base), 3, base, false,
			"tier 3 needs a passing tier-2 run for the current code, config and dev dataset (tier 2: no tier-2 run yet)"},
		{"tier 3 names every missing rung", prepared(), 3, base, false,
			"tier 3 needs a passing tier-1 run for the current config (tier 1: no tier-1 run yet); tier 3 needs a passing tier-2 run"},
		{"tier 3 after both", climbed(), 3, base, true, "may run"},
		{"tier 2 honours a tier-1 override", withOverride(prepared(), Tier1, base), 2, base, true,
			"tier 1 overridden: dry run broken by an upstream Hydra bug"},
		{"an override expires with its fingerprint", withOverride(prepared(), Tier1, base), 2, cfg2, false,
			"tier 2 needs a passing tier-1 run"},
		{"tier 3 still needs tier 2 when tier 1 is overridden", withOverride(prepared(), Tier1, base), 3, base, false,
			"tier 3 needs a passing tier-2 run"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ok, why := CanRun(tc.session, tc.tier, tc.current)
			assert.Equal(t, tc.ok, ok)
			assert.Contains(t, why, tc.why)
		})
	}
}

func TestRouteBack(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		session *state.Session
		current state.Fingerprint
		tier    int
		why     string
	}{
		{"fresh ladder starts at tier 1", prepared(), base, 1, "no tier-1 run yet"},
		{"all passed", climbed(), base, 0, ""},
		{"config changed", climbed(), with(func(f *state.Fingerprint) { f.ConfigHash = "c2" }), 1, "re-enter at tier 1"},
		{"code changed", climbed(), with(func(f *state.Fingerprint) { f.CodeHash = "k2" }), 2, "re-enter at tier 2"},
		{"dataset re-released", climbed(), with(func(f *state.Fingerprint) { f.DatasetVersion = "1-ABC@0.3.0" }), 2, "re-released"},
		{"tier 3 not yet run", addRun(addRun(prepared(), 1, RunPassed, 50, base), 2, RunPassed, 60, base), base, 3, "no tier-3 run yet"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tier, why := RouteBack(tc.session, tc.current)
			assert.Equal(t, tc.tier, tier)
			assert.Contains(t, why, tc.why)
		})
	}
}

// TestRouteBackAgreesWithPaths checks the two faces of route-back agree:
// for a change to paths of a given class, the tier ClassifyChange +
// ReentryTier predicts is the tier the fingerprint-based ladder re-enters
// at once the hashes those paths feed have changed.
func TestRouteBackAgreesWithPaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		paths []string
		edit  func(*state.Fingerprint)
	}{
		{[]string{"src/configs/datasets.py"}, func(f *state.Fingerprint) { f.ConfigHash = "c2" }},
		{[]string{"src/models/cnn.py"}, func(f *state.Fingerprint) { f.CodeHash = "k2" }},
		{[]string{"uv.lock", "src/configs/base.py"}, func(f *state.Fingerprint) { f.CodeHash = "k2"; f.ConfigHash = "c2" }},
		{[]string{"docs/design/model/demo.md", "README.md"}, func(f *state.Fingerprint) { f.GitHead = headB }},
		{[]string{"findings/x.txt"}, func(*state.Fingerprint) {}},
	}
	for _, tc := range tests {
		want := ReentryTier(ClassifyChange(tc.paths))
		got, _ := RouteBack(climbed(), with(tc.edit))
		assert.Equal(t, want, got, "paths %v", tc.paths)
		assert.Equal(t, want, ReentryTier(FingerprintChange(base, with(tc.edit))), "fingerprint change for %v", tc.paths)
	}
}

func TestLatestRun(t *testing.T) {
	t.Parallel()
	s := addRun(addRun(addRun(prepared(), 1, RunPassed, 50, base), 1, RunFailed, 60, base), 2, RunRunning, 70, base)
	assert.Equal(t, "r2", LatestRun(s, 1).ID)
	assert.Equal(t, "r1", LatestRun(s, 1, RunPassed).ID)
	assert.Equal(t, "r3", LatestRun(s, 2, RunPassed, RunRunning).ID)
	assert.True(t, LatestRun(s, 3) == nil, "no tier-3 run")
	assert.True(t, LatestRun(nil, 1) == nil, "nil session")
}
