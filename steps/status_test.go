package steps

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// letters renders statuses compactly: N not started, P in progress, D done,
// S stale, B blocked; a space after phase 4 separates the tiers.
func letters(states []PhaseState) string {
	var b strings.Builder
	for i, st := range states {
		if i == 4 {
			b.WriteByte(' ')
		}
		b.WriteByte("NPDSB"[st.Status])
	}
	return b.String()
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	overridden := func() *state.Session {
		s := prepared()
		addRun(s, 1, RunFailed, 50, base)
		require.NoError(t, Override(s, Tier1, GateName(Tier1), "the failure is a known flaky import", base, t0))
		return s
	}
	tests := []struct {
		name    string
		session *state.Session
		current state.Fingerprint
		want    string
		reasons map[PhaseID]string // substrings the reason must contain
		reentry map[PhaseID]int
	}{
		{name: "no session", session: nil, current: base, want: "NNNN NNNN"},
		{name: "empty session", session: newSession(), current: base, want: "NNNN NNNN"},
		{
			name: "specify started blocks schema design", session: start(newSession(), Specify, 1), current: base,
			want:    "PBNN NNNN",
			reasons: map[PhaseID]string{SchemaDesign: "needs an approved design doc (Specify: the design doc is not written yet)"},
		},
		{
			name: "design written but not approved",
			session: func() *state.Session {
				s := complete(newSession(), Specify, 5, base)
				s.Phases[string(Specify)].Approved = false
				return s
			}(),
			current: base, want: "PBNN NNNN",
			reasons: map[PhaseID]string{Specify: "the design doc is not approved yet", SchemaDesign: "not approved yet"},
		},
		{name: "specify done", session: complete(newSession(), Specify, 5, base), current: base, want: "DNNN NNNN"},
		{name: "phases 1-4 done", session: prepared(), current: base, want: "DDDD NNNN"},
		{name: "everything done", session: finished(), current: base, want: "DDDD DDDD"},
		{
			name: "design doc edited by hand", session: finished(), current: with(func(f *state.Fingerprint) { f.DesignHash = "design2" }),
			want: "SSDD DDDS",
			reasons: map[PhaseID]string{
				Specify: "the design doc changed since this phase was done", SchemaDesign: "the design doc changed",
				Iterate: "the design doc changed",
			},
		},
		{
			name: "design doc deleted", session: finished(), current: with(func(f *state.Fingerprint) { f.DesignHash = DesignAbsent }),
			want: "SSDD DDDS", reasons: map[PhaseID]string{Specify: "the design doc is missing"},
		},
		{
			name: "schema changed in the catalog", session: finished(), current: with(func(f *state.Fingerprint) { f.SchemaHash = "schema2" }),
			want: "DSSS DDDD", reasons: map[PhaseID]string{DevDataset: "the catalog schema changed since this phase was done"},
		},
		{
			name: "schema unknown (catalog not read) judges nothing", session: finished(),
			current: with(func(f *state.Fingerprint) { f.SchemaHash = "" }), want: "DDDD DDDD",
		},
		{
			name: "dev dataset re-released", session: finished(), current: with(func(f *state.Fingerprint) { f.DatasetVersion = "1-ABC@0.3.0" }),
			want: "DDSS DSDD",
			reasons: map[PhaseID]string{
				DevDataset: "the dev dataset was re-released, from 0.2.0 to 0.3.0",
				Validate:   "the dev dataset was re-released, from 0.2.0 to 0.3.0",
				Tier2:      "the dev dataset was re-released, from 0.2.0 to 0.3.0; re-enter at tier 2",
			},
			reentry: map[PhaseID]int{Tier2: 2},
		},
		{
			name: "another dev dataset pinned", session: finished(), current: with(func(f *state.Fingerprint) { f.DatasetVersion = "1-XYZ@0.1.0" }),
			want: "DDSS DSDD", reasons: map[PhaseID]string{Tier2: "a different dev dataset is pinned: 1-XYZ@0.1.0 instead of 1-ABC@0.2.0"},
		},
		{
			name: "config-only change: nothing passed from tier 1 on", session: finished(),
			current: with(func(f *state.Fingerprint) { f.ConfigHash = "cfg2"; f.GitHead = headB }),
			want:    "DDDD SSSS",
			reasons: map[PhaseID]string{
				Tier1:   "the config (src/configs/) changed since the last passing run (HEAD moved from aaaaaaa to bbbbbbb); re-enter at tier 1",
				Tier2:   "re-enter at tier 1",
				Tier3:   "re-enter at tier 1",
				Iterate: "the config (src/configs/) changed since this phase was done",
			},
			reentry: map[PhaseID]int{Tier1: 1, Tier2: 1, Tier3: 1},
		},
		{
			name: "uncommitted config edit counts too", session: finished(),
			current: with(func(f *state.Fingerprint) { f.ConfigHash = "cfg2" }),
			want:    "DDDD SSSS", reasons: map[PhaseID]string{Tier1: "the config (src/configs/) changed since the last passing run; re-enter at tier 1"},
		},
		{
			name: "code change keeps tier 1, routes back to tier 2", session: finished(),
			current: with(func(f *state.Fingerprint) { f.CodeHash = "code2"; f.GitHead = headB }),
			want:    "DDDD DSSS",
			reasons: map[PhaseID]string{
				Tier2: "model or data-pipeline code changed since the last passing run (HEAD moved from aaaaaaa to bbbbbbb); re-enter at tier 2",
				Tier3: "re-enter at tier 2",
			},
			reentry: map[PhaseID]int{Tier2: 2, Tier3: 2},
		},
		{
			name: "docs-only commit moves HEAD and invalidates nothing", session: finished(),
			current: with(func(f *state.Fingerprint) { f.GitHead = headB }), want: "DDDD DDDD",
		},
		{
			name: "failed tier-1 run blocks tier 2", session: addRun(prepared(), 1, RunFailed, 50, base), current: base,
			want: "DDDD PBNN",
			reasons: map[PhaseID]string{
				Tier1: "the last tier-1 run (r1) failed: config validation",
				Tier2: "needs a passing tier-1 run for the current config (Tier 1 — dry run: the last tier-1 run (r1) failed",
			},
		},
		{
			name: "stopped run without a signature", session: addRun(prepared(), 1, RunStopped, 50, base), current: base,
			want: "DDDD PBNN", reasons: map[PhaseID]string{Tier1: "the last tier-1 run (r1) stopped"},
		},
		{
			name: "running tier 1", session: addRun(prepared(), 1, RunRunning, 50, base), current: base,
			want: "DDDD PBNN", reasons: map[PhaseID]string{Tier1: "run r1 is running"},
		},
		{
			name: "tier 1 passed, tier 2 not begun", session: addRun(prepared(), 1, RunPassed, 50, base), current: base,
			want: "DDDD DNNN",
		},
		{
			name:    "tier 2 started by hand without tier 1 is blocked",
			session: start(prepared(), Tier2, 50), current: base, want: "DDDD NBBN",
			reasons: map[PhaseID]string{Tier2: "needs a passing tier-1 run for the current config (Tier 1 — dry run: no tier-1 run yet)"},
		},
		{
			name:    "config change before tier 2 ever ran: tier 1 stale, tier 2 blocked",
			session: addRun(prepared(), 1, RunPassed, 50, base), current: with(func(f *state.Fingerprint) { f.ConfigHash = "cfg2" }),
			want:    "DDDD SBNN",
			reasons: map[PhaseID]string{Tier2: "needs a passing tier-1 run for the current config (Tier 1 — dry run: the config (src/configs/) changed"},
		},
		{
			name: "tier 3 needs tiers 1 and 2", session: start(addRun(prepared(), 1, RunFailed, 50, base), Tier3, 55), current: base,
			want:    "DDDD PBBB",
			reasons: map[PhaseID]string{Tier3: "needs a passing tier-1 run for the current config (Tier 1 — dry run: the last tier-1 run (r1) failed: config validation); needs a passing tier-2 run"},
		},
		{
			name: "override of tier 1 counts as done and unblocks tier 2", session: overridden(), current: base,
			want: "DDDD DNNN", reasons: map[PhaseID]string{Tier1: "overridden: the failure is a known flaky import"},
		},
		{
			name: "override made for another config does not apply", session: overridden(),
			current: with(func(f *state.Fingerprint) { f.ConfigHash = "cfg2" }), want: "DDDD PBNN",
		},
		{
			name: "recorded stale reason wins",
			session: func() *state.Session {
				s := prepared()
				s.Phases[string(SchemaDesign)].StaleReason = "feature Image_Diagnosis was dropped from the catalog"
				return s
			}(),
			current: base, want: "DSDD NNNN",
			reasons: map[PhaseID]string{SchemaDesign: "feature Image_Diagnosis was dropped from the catalog"},
		},
		{
			name: "a check failing after completion makes the phase stale",
			session: func() *state.Session {
				s := prepared()
				s.Checks = map[string][]state.CheckResult{
					string(Validate): {
						{ID: "labels", Status: "fail", Detail: "3 records unlabelled", At: *at(100)},
					},
					string(DevDataset): {
						{ID: "quota", Status: "fail", Detail: "old failure", At: *at(1)},
					},
				}
				return s
			}(),
			current: base, want: "DDDS BNNN",
			reasons: map[PhaseID]string{Validate: "check labels fails since this phase was done: 3 records unlabelled"},
		},
		{
			name:    "a newer tier-3 run makes the verdict stale",
			session: addRun(finished(), 3, RunPassed, 100, base), current: base, want: "DDDD DDDS",
			reasons: map[PhaseID]string{Iterate: "a newer tier-3 run (r4) passed after this verdict"},
		},
		{
			name: "dev dataset read from the session's manifest",
			session: func() *state.Session {
				s := finished()
				s.DevDataset = &state.DevManifest{DatasetRID: "1-ABC", Version: "0.3.0"}
				return s
			}(),
			current: with(func(f *state.Fingerprint) { f.DatasetVersion = "" }), want: "DDSS DSDD",
		},
		{
			name:    "run without hashes matches through an unchanged HEAD",
			session: addRun(prepared(), 1, RunPassed, 50, state.Fingerprint{GitHead: headA}), current: base,
			want: "DDDD DNNN",
		},
		{
			name:    "run without hashes and HEAD moved cannot be matched",
			session: addRun(prepared(), 1, RunPassed, 50, state.Fingerprint{GitHead: headA}),
			current: with(func(f *state.Fingerprint) { f.GitHead = headB }), want: "DDDD SBNN",
			reasons: map[PhaseID]string{Tier1: "HEAD moved from aaaaaaa to bbbbbbb and the config hash was not recorded; re-enter at tier 1"},
		},
		{
			name:    "run with no fingerprint at all never counts",
			session: addRun(prepared(), 1, RunPassed, 50, state.Fingerprint{}), current: base, want: "DDDD SBNN",
			reasons: map[PhaseID]string{Tier1: "the last passing run recorded no config hash, so it cannot be matched; re-enter at tier 1"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Evaluate(tc.session, tc.current)
			assert.Equal(t, len(Phases), len(got))
			assert.Equal(t, tc.want, letters(got))
			for i, st := range got {
				assert.Equal(t, Phases[i].ID, st.Phase.ID)
				if sub, ok := tc.reasons[st.Phase.ID]; ok {
					assert.Contains(t, st.Reason, sub, "reason of %s", st.Phase.ID)
				}
				if st.Status == Stale || st.Status == Blocked {
					assert.True(t, st.Reason != "", "%s is %s without a reason", st.Phase.ID, st.Status)
				}
				if tc.reentry != nil {
					assert.Equal(t, tc.reentry[st.Phase.ID], st.Reentry, "re-entry of %s", st.Phase.ID)
				}
			}
		})
	}
}

func TestEvaluateDoesNotMutate(t *testing.T) {
	t.Parallel()
	s := finished()
	want := finished()
	Evaluate(s, with(func(f *state.Fingerprint) { f.ConfigHash = "cfg2"; f.DesignHash = "design2" }))
	assert.Equal(t, want, s, "Evaluate must not change the session")
}

func TestResumeAt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		session *state.Session
		current state.Fingerprint
		want    PhaseID
	}{
		{"fresh", newSession(), base, Specify},
		{"prepared", prepared(), base, Tier1},
		{"code changed", finished(), with(func(f *state.Fingerprint) { f.CodeHash = "x" }), Tier2},
		{"all done", finished(), base, Iterate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, ResumeAt(Evaluate(tc.session, tc.current)))
		})
	}
}

func TestStatusString(t *testing.T) {
	t.Parallel()
	want := map[Status]string{NotStarted: "not started", InProgress: "in progress", Done: "done", Stale: "stale", Blocked: "blocked"}
	for st, s := range want {
		assert.Equal(t, s, st.String())
	}
}

func TestOpenAt(t *testing.T) {
	t.Parallel()
	states := func(statuses ...Status) []PhaseState {
		out := make([]PhaseState, len(Phases))
		for i, p := range Phases {
			out[i] = PhaseState{Phase: p}
			if i < len(statuses) {
				out[i].Status = statuses[i]
			}
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		states  []PhaseState
		current PhaseID
		want    PhaseID
	}{
		{"no current: first not done", states(Done, InProgress), "", SchemaDesign},
		{"unknown current: first not done", states(Done), "nope", SchemaDesign},
		{"where the user was, even ahead", states(InProgress), DevDataset, DevDataset},
		{"where the user was, even behind", states(Done, Done, InProgress), Specify, Specify},
		{"an earlier stale phase comes first", states(Done, Stale, Done, Done), Tier1, SchemaDesign},
		{"a later stale phase does not move it", states(Done, Done, Stale), SchemaDesign, SchemaDesign},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, OpenAt(tc.states, tc.current))
		})
	}
}

func TestBlockedReasonDoesNotRepeatTheStatusAndNamesPhasesByTitle(t *testing.T) {
	t.Parallel()
	states := Evaluate(start(start(start(newSession(), Specify, 1), SchemaDesign, 2), DevDataset, 3), base)
	for _, st := range states {
		if st.Status != Blocked {
			continue
		}
		assert.NotContains(t, st.Reason, "blocked", "phase %s: the status column already says it", st.Phase.ID)
		assert.True(t, strings.HasPrefix(st.Reason, "needs "), "phase %s: %q", st.Phase.ID, st.Reason)
	}
	assert.Contains(t, states[2].Reason, "(Schema design: ", "the phase it waits for, by title")
}
