package steps

import (
	"time"

	"github.com/cyclezero/cyclezero/state"
)

// t0 is the fixed clock of every rules test.
var t0 = time.Date(2026, 7, 1, 10, 0, 0, 0, time.UTC)

func at(min int) *time.Time {
	t := t0.Add(time.Duration(min) * time.Minute)
	return &t
}

const (
	headA = "aaaaaaa1111111111111111111111111111111111"
	headB = "bbbbbbb2222222222222222222222222222222222"
)

// base is the fingerprint every fixture session was built at.
var base = state.Fingerprint{
	GitHead: headA, ConfigHash: "cfg1", CodeHash: "code1",
	DesignHash: "design1", SchemaHash: "schema1", DatasetVersion: "1-ABC@0.2.0",
}

// with returns base changed by edit.
func with(edit func(*state.Fingerprint)) state.Fingerprint {
	fp := base
	edit(&fp)
	return fp
}

func newSession() *state.Session {
	return &state.Session{SchemaVersion: state.SchemaVersion, Slug: "demo", Phases: map[string]*state.PhaseRecord{}}
}

// complete marks phase id completed at minute min with fingerprint fp
// (approved, for the design doc).
func complete(s *state.Session, id PhaseID, min int, fp state.Fingerprint) *state.Session {
	s.Phases[string(id)] = &state.PhaseRecord{StartedAt: at(min - 1), CompletedAt: at(min), Fingerprint: fp, Approved: id == Specify}
	return s
}

func start(s *state.Session, id PhaseID, min int) *state.Session {
	s.Phases[string(id)] = &state.PhaseRecord{StartedAt: at(min)}
	return s
}

func addRun(s *state.Session, tier int, status string, min int, fp state.Fingerprint) *state.Session {
	r := state.RunRecord{ID: "r" + string(rune('0'+len(s.Runs)+1)), Tier: tier, Status: status, StartedAt: *at(min), Fingerprint: fp}
	if status != RunRunning {
		r.EndedAt = at(min + 1)
	}
	if status == RunFailed {
		r.Failure = "config validation"
	}
	s.Runs = append(s.Runs, r)
	return s
}

// prepared has phases 1–4 done at base.
func prepared() *state.Session {
	s := newSession()
	for i, id := range []PhaseID{Specify, SchemaDesign, DevDataset, Validate} {
		complete(s, id, 10*(i+1), base)
	}
	return s
}

// climbed has phases 1–4 done and tiers 1–3 passed at base.
func climbed() *state.Session {
	s := prepared()
	addRun(s, 1, RunPassed, 50, base)
	addRun(s, 2, RunPassed, 60, base)
	addRun(s, 3, RunPassed, 70, base)
	return s
}

// finished is climbed plus a verdict recorded after the tier-3 run.
func finished() *state.Session {
	return complete(climbed(), Iterate, 90, base)
}
