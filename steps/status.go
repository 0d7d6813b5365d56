package steps

import "github.com/cyclezero/cyclezero/state"

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

// PhaseState is a phase with its computed status and, when stale or
// blocked, the reason in words.
type PhaseState struct {
	Phase  Phase
	Status Status
	Reason string
}

// Evaluate computes every phase's status from the session and the current
// fingerprint of the repo and catalog. It is pure.
func Evaluate(s *state.Session, current state.Fingerprint) []PhaseState {
	out := make([]PhaseState, len(Phases))
	for i, p := range Phases {
		out[i] = PhaseState{Phase: p, Status: NotStarted}
		if s == nil {
			continue
		}
		rec := s.Phases[string(p.ID)]
		switch {
		case rec == nil:
		case rec.CompletedAt != nil:
			out[i].Status = Done
		case rec.StartedAt != nil:
			out[i].Status = InProgress
		}
	}
	return out
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
