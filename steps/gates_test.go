package steps

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/state"
)

func TestGate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		session *state.Session
		id      PhaseID
		current state.Fingerprint
		met     bool
		stale   bool
		why     string
	}{
		{"specify not written", newSession(), Specify, base, false, false, "the design doc is not written yet"},
		{"specify done", prepared(), Specify, base, true, false, "the design doc is approved and unchanged"},
		{"schema done", prepared(), SchemaDesign, base, true, false, "schema design is done"},
		{"schema stale", prepared(), SchemaDesign, with(func(f *state.Fingerprint) { f.SchemaHash = "s2" }), false, true,
			"the catalog schema changed since this phase was done"},
		{"tier 1 passed", climbed(), Tier1, base, true, false, "tier 1 passed in run r1"},
		{"tier 3 stale", climbed(), Tier3, with(func(f *state.Fingerprint) { f.CodeHash = "k2" }), false, true, "re-enter at tier 2"},
		{"iterate done", finished(), Iterate, base, true, false, "iterate is done"},
		{"iterate not done", climbed(), Iterate, base, false, false, "no verdict is recorded yet"},
		{"nil session", nil, Tier2, base, false, false, "no tier-2 run yet"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := Gate(tc.session, tc.id, tc.current)
			assert.Equal(t, tc.id, g.Phase)
			assert.Equal(t, GateName(tc.id), g.Gate)
			assert.Equal(t, tc.met, g.Met)
			assert.Equal(t, tc.stale, g.Stale)
			assert.Contains(t, g.Why, tc.why)
			assert.True(t, g.OverriddenBy == nil, "no override")
		})
	}
}

func TestUnmet(t *testing.T) {
	t.Parallel()
	got := Unmet(prepared(), Tier3, base)
	assert.Len(t, got, 2)
	assert.Equal(t, Tier1, got[0].Phase)
	assert.Equal(t, Tier2, got[1].Phase)
	assert.Empty(t, Unmet(climbed(), Tier3, base))
	assert.Empty(t, Unmet(newSession(), Specify, base), "Specify requires nothing")
}

func TestGateNamesAreDistinct(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, p := range Phases {
		n := GateName(p.ID)
		assert.True(t, !seen[n], "duplicate gate name %s", n)
		seen[n] = true
		assert.NotEmpty(t, p.Action, "phase %s says what to do", p.ID)
		assert.NotEmpty(t, p.Need, "phase %s says what its gate means", p.ID)
		assert.Equal(t, p.Tier == 0, p.NotDone != "", "phase %s: NotDone exactly for non-tier phases", p.ID)
		if p.Tier > 0 {
			assert.Equal(t, p.ID, TierPhase(p.Tier), "TierPhase(%d)", p.Tier)
		}
		_, ok := deps[p.ID]
		assert.True(t, ok, "phase %s has dependencies declared", p.ID)
		if p.ID != Specify {
			assert.True(t, len(deps[p.ID].Requires) > 0, "phase %s requires an earlier gate", p.ID)
		}
		for _, r := range deps[p.ID].Requires {
			assert.True(t, Index(r) < Index(p.ID), "%s requires a later phase %s", p.ID, r)
		}
	}
}
