package steps

import (
	"fmt"

	"github.com/cyclezero/cyclezero/state"
)

// GateResult is whether a phase's gate — the condition to move on from it —
// holds for the current fingerprint.
type GateResult struct {
	Phase PhaseID
	// Gate is the gate's name as overrides record it (GateName).
	Gate string
	Met  bool
	// Why says why the gate holds or not, in words; "overridden: <reason>"
	// when it holds only through an override.
	Why string
	// Stale is true when the gate held once and an input changed since.
	Stale bool
	// Reentry is, for a stale tier, the tier to re-enter at.
	Reentry int
	// OverriddenBy is the override that makes an unmet gate count as met.
	OverriddenBy *state.Override
}

// GateName names phase id's gate for overrides ("tier1-passed").
func GateName(id PhaseID) string {
	if p, ok := PhaseByID(id); ok {
		return p.GateID
	}
	return string(id) + "-gate"
}

// Gate evaluates phase id's gate for the current fingerprint.
//
// For phases 1–4 and Iterate the gate holds when the phase was completed
// (and, for Specify, approved), no recorded stale reason is set, none of
// its Fields changed since (judged Lenient), and none of its checks
// recorded after completion fails. The content checks themselves (the doc
// parses, every class has its quota …) run in the phase's screen, which
// completes the phase only when they pass; the gate decides whether that
// completion still holds. Iterate also goes stale when a tier-3 run passed
// after its verdict. For a tier the gate is TierPassed.
//
// An unmet gate with an override recorded for the same fingerprint counts
// as met, with Why "overridden: <reason>".
func Gate(s *state.Session, id PhaseID, current state.Fingerprint) GateResult {
	return gate(s, id, effective(s, current))
}

func gate(s *state.Session, id PhaseID, cur state.Fingerprint) GateResult {
	g := ownGate(s, id, cur)
	if !g.Met {
		if o := FindOverride(s, id, g.Gate, cur); o != nil {
			g.Met, g.OverriddenBy, g.Why = true, o, "overridden: "+o.Reason
		}
	}
	return g
}

func ownGate(s *state.Session, id PhaseID, cur state.Fingerprint) GateResult {
	if p, ok := PhaseByID(id); ok && p.Tier > 0 {
		return tierGate(s, p.Tier, cur)
	}
	g := GateResult{Phase: id, Gate: GateName(id)}
	rec := record(s, id)
	if rec == nil || rec.CompletedAt == nil {
		g.Why = phaseOf(id).NotDone
		if g.Why == "" {
			g.Why = short(id) + " is not done yet"
		}
		return g
	}
	if id == Specify && !rec.Approved {
		g.Why = "the design doc is not approved yet"
		return g
	}
	g.Stale = true
	if rec.StaleReason != "" {
		g.Why = rec.StaleReason
		return g
	}
	if cs := Diff(rec.Fingerprint, cur, deps[id].Fields, deps[id].Mode, "since this phase was done"); len(cs) > 0 {
		g.Why = reasons(cs)
		return g
	}
	for _, c := range s.Checks[string(id)] {
		if c.Status == "fail" && c.At.After(*rec.CompletedAt) {
			g.Why = fmt.Sprintf("check %s fails since this phase was done", c.ID)
			if c.Detail != "" {
				g.Why += ": " + c.Detail
			}
			return g
		}
	}
	if id == Iterate {
		if r := LatestRun(s, 3, RunPassed); r != nil && r.EndedAt != nil && r.EndedAt.After(*rec.CompletedAt) {
			g.Why = fmt.Sprintf("a newer tier-3 run (%s) passed after this verdict", r.ID)
			return g
		}
	}
	g.Stale, g.Met, g.Why = false, true, short(id)+" is done"
	if id == Specify {
		g.Why = "the design doc is approved and unchanged"
	}
	return g
}

// Unmet returns the gates phase id requires that hold neither on their own
// nor through an override: what the user must finish (or override) first.
func Unmet(s *state.Session, id PhaseID, current state.Fingerprint) []GateResult {
	cur := effective(s, current)
	var out []GateResult
	for _, req := range deps[id].Requires {
		if g := gate(s, req, cur); !g.Met {
			out = append(out, g)
		}
	}
	return out
}

func record(s *state.Session, id PhaseID) *state.PhaseRecord {
	if s == nil {
		return nil
	}
	return s.Phases[string(id)]
}

// effective fills in what the session itself knows about the current
// fingerprint: the pinned dev dataset when the caller did not read one.
func effective(s *state.Session, cur state.Fingerprint) state.Fingerprint {
	if cur.DatasetVersion == "" && s != nil && s.DevDataset != nil {
		cur.DatasetVersion = DatasetVersion(s.DevDataset.DatasetRID, s.DevDataset.Version)
	}
	return cur
}
