package steps

import (
	"fmt"
	"strings"
)

// Summary is a one-line account of progress, plain text for `status` (every
// form of it) and the accessible wizard, naming phases by their titles as
// the status table does, e.g. "3 of 8 phases done; stale: Tier 1 — dry
// run, Tier 2 — small-data run; in progress: Validate features and labels".
func Summary(states []PhaseState) string {
	if len(states) == 0 {
		return "no phases"
	}
	done := 0
	byStatus := map[Status][]string{}
	for _, st := range states {
		if st.Status == Done {
			done++
			continue
		}
		byStatus[st.Status] = append(byStatus[st.Status], st.Phase.Title)
	}
	head := fmt.Sprintf("%d of %d phases done", done, len(states))
	if done == len(states) {
		head = fmt.Sprintf("all %d phases done", done)
	}
	parts := []string{head}
	for _, status := range []Status{Stale, Blocked, InProgress} {
		if names := byStatus[status]; len(names) > 0 {
			parts = append(parts, status.String()+": "+strings.Join(names, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

// NextAction says, in one sentence, what the user should do next: act on
// the first phase that is not done (the phase ResumeAt opens). A stale
// tier names the tier to re-enter at.
func NextAction(states []PhaseState) string {
	for _, st := range states {
		p := st.Phase
		switch st.Status {
		case Done:
			continue
		case Stale:
			if st.Reentry > 0 {
				why := strings.TrimSuffix(st.Reason, fmt.Sprintf("; re-enter at tier %d", st.Reentry))
				return fmt.Sprintf("Re-enter at tier %d: %s (%s).", st.Reentry, phaseOf(TierPhase(st.Reentry)).Action, why)
			}
			return fmt.Sprintf("Redo %s: %s (%s).", p.Title, p.Action, st.Reason)
		case Blocked:
			return fmt.Sprintf("%s is blocked: it %s.", p.Title, st.Reason)
		case InProgress:
			if st.Reason != "" {
				return fmt.Sprintf("Continue %s: %s (%s).", p.Title, p.Action, st.Reason)
			}
			return fmt.Sprintf("Continue %s: %s.", p.Title, p.Action)
		default:
			return fmt.Sprintf("Next: %s — %s.", p.Title, p.Action)
		}
	}
	if len(states) == 0 {
		return "Nothing to do."
	}
	return "Cycle zero is complete: choose what changes next; a config change re-enters at tier 1, a code change at tier 2."
}
