package steps

// Deps says what a phase's result depends on and what it needs first.
//
// Two different relations, kept apart on purpose:
//   - Fields are the fingerprint inputs the phase's result was computed
//     from. When one changes, that result is Stale. Staleness propagates
//     through shared inputs: the dev dataset's version is an input of the
//     dev-dataset phase, of validation and of tier 2, so re-releasing it
//     marks all three stale, and nothing else. A finished phase whose own
//     inputs are unchanged stays Done even when an earlier phase goes
//     stale: its result is still what it was (tier-3 results do not become
//     wrong because the dev dataset was re-released), though it cannot be
//     redone until the earlier gate holds again.
//   - Requires are the gates that must hold (or be overridden) before the
//     phase can be started or, for a tier, run. An unmet requirement makes
//     an unfinished phase Blocked.
type Deps struct {
	Fields   []Field
	Mode     Mode
	Requires []PhaseID
}

// tierFields are the inputs a tier pass is tied to.
//
//   - Tier 1 (dry run) resolves the config and checks the RIDs and versions
//     it names, downloads the bags of those datasets and skips the model
//     function (DerivaML runner.py), so it depends on the config only. A code change
//     keeps tier 1 passed; that is why code routes back to tier 2.
//   - Tier 2 runs the code on the dev dataset: config, code and the dev
//     dataset's RID@version.
//   - Tier 3 runs the code on the full data the config pins: config and
//     code. The dev dataset is not an input of its results.
//
// GitHead is deliberately not a tier input: a commit that only touches docs
// moves HEAD without invalidating anything. It is the fallback when a hash
// is missing (see Strict).
var tierFields = map[int][]Field{
	1: {FieldConfig},
	2: {FieldConfig, FieldCode, FieldDataset},
	3: {FieldConfig, FieldCode},
}

var deps = map[PhaseID]Deps{
	Specify:      {Fields: []Field{FieldDesign}},
	SchemaDesign: {Fields: []Field{FieldDesign, FieldSchema}, Requires: []PhaseID{Specify}},
	DevDataset:   {Fields: []Field{FieldSchema, FieldDataset}, Requires: []PhaseID{SchemaDesign}},
	Validate:     {Fields: []Field{FieldSchema, FieldDataset}, Requires: []PhaseID{DevDataset}},
	Tier1:        {Fields: tierFields[1], Mode: Strict, Requires: []PhaseID{Validate}},
	Tier2:        {Fields: tierFields[2], Mode: Strict, Requires: []PhaseID{Validate, Tier1}},
	Tier3:        {Fields: tierFields[3], Mode: Strict, Requires: []PhaseID{Tier1, Tier2}},
	// Iterate judges the tier-3 run (its config and code) against the
	// design's validation criteria.
	Iterate: {Fields: []Field{FieldDesign, FieldConfig, FieldCode}, Requires: []PhaseID{Tier3}},
}

// TierPhase returns the phase of a run tier (1–3), or "" for another number.
func TierPhase(tier int) PhaseID {
	for _, p := range Phases {
		if tier > 0 && p.Tier == tier {
			return p.ID
		}
	}
	return ""
}

func short(id PhaseID) string {
	if p, ok := PhaseByID(id); ok {
		return p.Short
	}
	return string(id)
}
