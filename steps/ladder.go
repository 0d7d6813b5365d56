package steps

import (
	"fmt"
	"strings"

	"github.com/cyclezero/cyclezero/state"
)

// Run statuses as state.RunRecord.Status stores them. A run is "passed"
// only when its tier's whole pass criterion held (exit 0, no failure
// signature, and for tiers 2 and 3 a green verification); whoever finishes
// the run decides that, the ladder trusts it.
const (
	RunRunning = "running"
	RunPassed  = "passed"
	RunFailed  = "failed"
	RunStopped = "stopped"
)

// TierPassed reports whether a run of tier passed for the current
// fingerprint: a RunRecord of that tier with status "passed" whose
// fingerprint matches current on tierFields[tier], judged Strict (a missing
// config or code hash is matched through git HEAD, else not at all).
func TierPassed(s *state.Session, tier int, current state.Fingerprint) bool {
	return passingRun(s, tier, effective(s, current)) != nil
}

func passingRun(s *state.Session, tier int, cur state.Fingerprint) *state.RunRecord {
	if s == nil {
		return nil
	}
	for i := len(s.Runs) - 1; i >= 0; i-- {
		r := &s.Runs[i]
		if r.Tier == tier && r.Status == RunPassed && len(Diff(r.Fingerprint, cur, tierFields[tier], Strict, "")) == 0 {
			return r
		}
	}
	return nil
}

// LatestRun returns the last run of tier with one of statuses (any status
// when none are given), or nil. Runs are kept in start order.
func LatestRun(s *state.Session, tier int, statuses ...string) *state.RunRecord {
	if s == nil {
		return nil
	}
	for i := len(s.Runs) - 1; i >= 0; i-- {
		r := &s.Runs[i]
		if r.Tier != tier {
			continue
		}
		if len(statuses) == 0 {
			return r
		}
		for _, st := range statuses {
			if r.Status == st {
				return r
			}
		}
	}
	return nil
}

// tierGate is a tier's own gate before overrides.
func tierGate(s *state.Session, tier int, cur state.Fingerprint) GateResult {
	id := TierPhase(tier)
	g := GateResult{Phase: id, Gate: GateName(id)}
	if r := passingRun(s, tier, cur); r != nil {
		g.Met, g.Why = true, fmt.Sprintf("tier %d passed in run %s", tier, r.ID)
		return g
	}
	if r := LatestRun(s, tier, RunPassed); r != nil {
		cs := Diff(r.Fingerprint, cur, tierFields[tier], Strict, "since the last passing run")
		g.Stale = true
		g.Reentry = reentryFor(cs)
		g.Why = fmt.Sprintf("%s; re-enter at tier %d", reasons(cs), g.Reentry)
		return g
	}
	r := LatestRun(s, tier)
	switch {
	case r == nil:
		g.Why = fmt.Sprintf("no tier-%d run yet", tier)
	case r.Status == RunRunning:
		g.Why = fmt.Sprintf("run %s is running", r.ID)
	case r.Failure != "":
		g.Why = fmt.Sprintf("the last tier-%d run (%s) %s: %s", tier, r.ID, orWord(r.Status, "failed"), r.Failure)
	default:
		g.Why = fmt.Sprintf("the last tier-%d run (%s) %s", tier, r.ID, orWord(r.Status, "did not pass"))
	}
	return g
}

func orWord(s, alt string) string {
	if s == "" || s == RunPassed {
		return alt
	}
	return s
}

// reentryFor is the route-back tier of a set of field changes: the lowest
// tier whose inputs include a changed field.
func reentryFor(cs []Change) int {
	if t := ReentryTier(changeKinds(cs)); t > 0 {
		return t
	}
	return 1 // unknown cause: start the ladder from the bottom
}

// CanRun reports whether tier may run now, and why (not). Tiers are never
// skipped: tier 1 needs the labels validated, tier 2 needs validation and a
// tier-1 pass, tier 3 needs tier-1 and tier-2 passes, each for the current
// fingerprint. An unmet gate recorded as overridden for this fingerprint
// counts as met, and the answer says so ("… overridden: <reason>").
// Whether the tree is clean is a pre-flight check (DirtyPaths), not a
// ladder rule.
func CanRun(s *state.Session, tier int, current state.Fingerprint) (ok bool, why string) {
	id := TierPhase(tier)
	if id == "" {
		return false, fmt.Sprintf("there is no tier %d: tiers are 1, 2 and 3", tier)
	}
	cur := effective(s, current)
	var blocked, overridden []string
	for _, req := range deps[id].Requires {
		g := gate(s, req, cur)
		switch {
		case !g.Met:
			blocked = append(blocked, needsMessage(id, req, g.Why))
		case g.OverriddenBy != nil:
			overridden = append(overridden, fmt.Sprintf("%s %s", short(req), g.Why))
		}
	}
	if len(blocked) > 0 {
		return false, strings.Join(blocked, "; ")
	}
	if len(overridden) > 0 {
		return true, strings.Join(overridden, "; ")
	}
	return true, fmt.Sprintf("%s may run: every earlier gate holds for the current fingerprint", short(id))
}

// RouteBack returns the tier to (re-)enter now: the lowest tier that has
// not passed for the current fingerprint (an override counts as a pass),
// with the reason; 0 and "" when all three passed. For a ladder that was
// climbed before, this is exactly ReentryTier of what changed since.
func RouteBack(s *state.Session, current state.Fingerprint) (tier int, why string) {
	cur := effective(s, current)
	for t := 1; t <= 3; t++ {
		if g := gate(s, TierPhase(t), cur); !g.Met {
			return t, g.Why
		}
	}
	return 0, ""
}
