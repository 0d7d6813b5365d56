package steps

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/state"
)

func TestSummaryAndNextAction(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		session *state.Session
		current state.Fingerprint
		summary string
		next    string
	}{
		{"fresh", newSession(), base, "0 of 8 phases done", "Next: Specify — write the design doc and approve it."},
		{"specify in progress", start(newSession(), Specify, 1), base,
			"0 of 8 phases done; blocked: Schema design; in progress: Specify",
			"Continue Specify: write the design doc and approve it."},
		{"prepared", prepared(), base, "4 of 8 phases done", "Next: Tier 1 — dry run — run the tier-1 dry run."},
		{"failed dry run", addRun(prepared(), 1, RunFailed, 50, base), base,
			"4 of 8 phases done; blocked: Tier 2 — small-data run; in progress: Tier 1 — dry run",
			"Continue Tier 1 — dry run: run the tier-1 dry run (the last tier-1 run (r1) failed: config validation)."},
		{"code changed", finished(), with(func(f *state.Fingerprint) { f.CodeHash = "k2" }),
			"5 of 8 phases done; stale: Tier 2 — small-data run, Tier 3 — production, Iterate",
			"Re-enter at tier 2: run tier 2 on the development dataset (model or data-pipeline code changed since the last passing run)."},
		{"config changed", finished(), with(func(f *state.Fingerprint) { f.ConfigHash = "c2" }),
			"4 of 8 phases done; stale: Tier 1 — dry run, Tier 2 — small-data run, Tier 3 — production, Iterate", "Re-enter at tier 1: run the tier-1 dry run"},
		{"design edited", finished(), with(func(f *state.Fingerprint) { f.DesignHash = "d2" }),
			"5 of 8 phases done; stale: Specify, Schema design, Iterate",
			"Redo Specify: write the design doc and approve it (the design doc changed since this phase was done)."},
		{"complete", finished(), base, "all 8 phases done", "Cycle zero is complete"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			states := Evaluate(tc.session, tc.current)
			assert.Equal(t, tc.summary, Summary(states))
			assert.Contains(t, NextAction(states), tc.next)
		})
	}
	assert.Equal(t, "no phases", Summary(nil))
	assert.Equal(t, "Nothing to do.", NextAction(nil))
}

func TestNextActionBlocked(t *testing.T) {
	t.Parallel()
	// A blocked phase is never first in line from Evaluate, but the helper
	// must still say something sensible for hand-built states.
	states := []PhaseState{{Phase: Phases[5], Status: Blocked, Reason: "needs a passing tier-1 run"}}
	assert.Equal(t, "Tier 2 — small-data run is blocked: it needs a passing tier-1 run.", NextAction(states))
}
