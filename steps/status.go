package steps

import (
	"fmt"
	"strings"

	"github.com/cyclezero/cyclezero/state"
)

// Status is a phase's state as the rail shows it.
type Status int

// Phase statuses.
const (
	NotStarted Status = iota
	InProgress
	Done
	Stale
	Blocked
)

// String names the status in lower case, as the rail and plain output show it.
func (s Status) String() string {
	switch s {
	case InProgress:
		return "in progress"
	case Done:
		return "done"
	case Stale:
		return "stale"
	case Blocked:
		return "blocked"
	}
	return "not started"
}

// PhaseState is a phase with its computed status and the reason in words
// (without the status itself, which callers show beside it): always set
// when stale or blocked (what it needs: "needs an approved design doc
// (Specify: …)"), when done only through an override
// ("overridden: <reason>"), and when in progress if there is something to
// say (a failed or running run, a missing approval).
type PhaseState struct {
	Phase  Phase
	Status Status
	Reason string
	// Override is the override that makes the phase count as done, if any.
	Override *state.Override
	// Reentry is, for a stale tier, the tier the ladder re-enters at.
	Reentry int
}

// Evaluate computes every phase's status from the session and the current
// fingerprint of the repo and catalog. It is pure. The rules, in order:
//
//   - Done: the phase's gate holds for the current fingerprint (see Gate);
//     through an override it is Done with Reason "overridden: <reason>".
//   - Stale: the gate held once and an input changed (Reason says which;
//     for tiers it ends "re-enter at tier N").
//   - Blocked: an earlier gate the phase requires (deps.go) is unmet and not
//     overridden, and the phase itself or the phase just before it has
//     been touched. Only the frontier shows as blocked: the phases beyond
//     it stay NotStarted, so the rail is not a wall of blocked phases.
//   - InProgress: touched (started, completed but not approved, or a tier
//     with runs) but not done.
//   - NotStarted: otherwise.
func Evaluate(s *state.Session, current state.Fingerprint) []PhaseState {
	cur := effective(s, current)
	gates := make(map[PhaseID]GateResult, len(Phases))
	for _, p := range Phases {
		gates[p.ID] = gate(s, p.ID, cur)
	}
	out := make([]PhaseState, len(Phases))
	for i, p := range Phases {
		g := gates[p.ID]
		st := PhaseState{Phase: p}
		switch {
		case g.Met:
			st.Status = Done
			if g.OverriddenBy != nil {
				st.Reason, st.Override = g.Why, g.OverriddenBy
			}
		case g.Stale:
			st.Status, st.Reason, st.Reentry = Stale, g.Why, g.Reentry
		default:
			if why := blockedBy(s, p.ID, gates); why != "" {
				st.Status, st.Reason = Blocked, why
			} else if touched(s, p.ID) {
				st.Status = InProgress
				if inProgressSays(s, p.ID) {
					st.Reason = g.Why
				}
			}
		}
		out[i] = st
	}
	return out
}

// blockedBy returns the blocked reason of an unfinished phase, or "".
func blockedBy(s *state.Session, id PhaseID, gates map[PhaseID]GateResult) string {
	if i := Index(id); !touched(s, id) && (i < 1 || !touched(s, Phases[i-1].ID)) {
		return ""
	}
	var parts []string
	for _, req := range deps[id].Requires {
		g := gates[req]
		if g.Met {
			continue
		}
		parts = append(parts, blockedMessage(req, g.Why))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "; ")
}

// touched reports whether anything happened in phase id yet.
func touched(s *state.Session, id PhaseID) bool {
	if rec := record(s, id); rec != nil && (rec.StartedAt != nil || rec.CompletedAt != nil) {
		return true
	}
	if p, ok := PhaseByID(id); ok && p.Tier > 0 {
		return LatestRun(s, p.Tier) != nil
	}
	return false
}

// inProgressSays reports whether an in-progress phase's gate reason is worth
// showing: a tier with runs, or a completed phase awaiting approval.
func inProgressSays(s *state.Session, id PhaseID) bool {
	if p, _ := PhaseByID(id); p.Tier > 0 {
		return LatestRun(s, p.Tier) != nil
	}
	rec := record(s, id)
	return rec != nil && rec.CompletedAt != nil
}

// ResumeAt returns the phase a resumed session opens at: the first phase
// that is not done (stale counts as not done), or the last phase.
func ResumeAt(states []PhaseState) PhaseID {
	for _, st := range states {
		if st.Status != Done {
			return st.Phase.ID
		}
	}
	return Phases[len(Phases)-1].ID
}

// OpenAt returns the phase a session re-opens at: where the user was
// (current), unless a phase before it has gone stale since — that phase
// needs attention first. Without a usable current phase it is ResumeAt.
func OpenAt(states []PhaseState, current PhaseID) PhaseID {
	at := Index(current)
	if at < 0 || at >= len(states) {
		return ResumeAt(states)
	}
	for _, st := range states[:at] {
		if st.Status == Stale {
			return st.Phase.ID
		}
	}
	return current
}

// needsMessage says that id is held up by req's unmet gate, and why: a
// sentence that stands alone (CanRun's answer).
func needsMessage(id, req PhaseID, why string) string {
	return fmt.Sprintf("%s needs %s (%s: %s)", short(id), phaseOf(req).Need, short(req), why)
}

// blockedMessage is a blocked phase's reason for req's unmet gate, shown
// beside the status, so it neither repeats "blocked" nor the phase, and
// names req by its title: "needs an approved design doc (Specify: …)".
func blockedMessage(req PhaseID, why string) string {
	return fmt.Sprintf("needs %s (%s: %s)", phaseOf(req).Need, phaseOf(req).Title, why)
}
