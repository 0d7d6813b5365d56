package steps

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

func TestOverrideRefusesBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		session   *state.Session
		phase     PhaseID
		gate      string
		reason    string
		want      string
		reasonErr bool
	}{
		{"no session", nil, Tier1, "tier1-passed", "a perfectly good reason", "no session is open", false},
		{"unknown phase", newSession(), "tier9", "x", "a perfectly good reason", `unknown phase "tier9"`, false},
		{"no gate", newSession(), Tier1, "  ", "a perfectly good reason", "say which gate of tier 1 is overridden", false},
		{"empty reason", newSession(), Tier1, "tier1-passed", "", "an override needs a reason", true},
		{"whitespace reason", newSession(), Tier1, "tier1-passed", " \t\n ", "an override needs a reason", true},
		{"short reason", newSession(), Tier2, "tier2-passed", "  skip it  ", "at least 10 characters (it has 7)", true},
		{"nine runes of unicode", newSession(), Tier2, "tier2-passed", "ééééééééé", "(it has 9)", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := Override(tc.session, tc.phase, tc.gate, tc.reason, base, t0)
			if err == nil {
				t.Fatal("expected an error")
			}
			assert.Contains(t, err.Error(), tc.want)
			assert.Equal(t, tc.reasonErr, errors.Is(err, ErrOverrideReason))
			if tc.session != nil {
				assert.Empty(t, tc.session.Overrides, "nothing recorded")
			}
		})
	}
}

func TestOverrideRecordsAndApplies(t *testing.T) {
	t.Parallel()
	s := prepared()
	require.NoError(t, Override(s, Tier1, GateName(Tier1), "  ten chars!  ", base, t0))
	assert.Len(t, s.Overrides, 1)
	o := s.Overrides[0]
	assert.Equal(t, "tier1", o.Phase)
	assert.Equal(t, "ten chars!", o.Reason, "reason is trimmed")
	assert.Equal(t, t0, o.At)
	assert.Equal(t, "tier1-passed", o.Gate)
	assert.Equal(t, OverrideKey(s, Tier1, base), o.InputsKey)
	assert.Len(t, o.InputsKey, 12)

	g := Gate(s, Tier1, base)
	assert.True(t, g.Met, "overridden gate is met")
	assert.Equal(t, "overridden: ten chars!", g.Why)
	assert.True(t, g.OverriddenBy != nil && g.OverriddenBy.Reason == "ten chars!", "OverriddenBy set")

	// Tier 1's override is tied to the config only: a code change keeps it.
	assert.True(t, Gate(s, Tier1, with(func(f *state.Fingerprint) { f.CodeHash = "k2" })).Met, "code change keeps a tier-1 override")
	assert.True(t, !Gate(s, Tier1, with(func(f *state.Fingerprint) { f.ConfigHash = "c2" })).Met, "config change drops it")

	// The latest matching override wins; other gates of the phase are separate.
	require.NoError(t, Override(s, Tier1, GateName(Tier1), "second, more precise reason", base, t0.Add(1)))
	require.NoError(t, Override(s, Tier1, "tree-clean", "notebook outputs only, not code", base, t0.Add(2)))
	assert.Equal(t, "second, more precise reason", FindOverride(s, Tier1, GateName(Tier1), base).Reason)
	assert.Equal(t, "notebook outputs only, not code", FindOverride(s, Tier1, "tree-clean", base).Reason)
	assert.True(t, FindOverride(s, Tier2, GateName(Tier1), base) == nil, "another phase's override does not apply")
}

func TestOverrideWithoutFingerprintKeyNeverApplies(t *testing.T) {
	t.Parallel()
	s := prepared()
	s.Overrides = append(s.Overrides, state.Override{Phase: "tier1", Gate: "tier1-passed", Reason: "hand-written override", At: t0})
	assert.True(t, FindOverride(s, Tier1, "tier1-passed", base) == nil, "an override with no key is not tied to this fingerprint")
}

func TestOverrideKeyCoversOnlyThePhaseInputs(t *testing.T) {
	t.Parallel()
	s := newSession()
	k := OverrideKey(s, Specify, base)
	assert.Equal(t, k, OverrideKey(s, Specify, with(func(f *state.Fingerprint) { f.ConfigHash = "x"; f.GitHead = headB })))
	assert.True(t, k != OverrideKey(s, Specify, with(func(f *state.Fingerprint) { f.DesignHash = "x" })), "design is an input of Specify")
}
