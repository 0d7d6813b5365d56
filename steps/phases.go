// Package steps holds cycle zero's logic with no UI in it: the eight phases
// as data, the rules that decide each phase's status and gate (the tier
// ladder, route-back, staleness, overrides), and later the checks and runs.
// The TUI, the status dashboard and the headless `check` command all reuse it.
package steps

import (
	"fmt"
	"strings"
)

// PhaseID names a phase; it is what sessions store.
type PhaseID string

// The eight phases of cycle zero, in order.
const (
	Specify      PhaseID = "specify"
	SchemaDesign PhaseID = "schema"
	DevDataset   PhaseID = "dev-dataset"
	Validate     PhaseID = "validate"
	Tier1        PhaseID = "tier1"
	Tier2        PhaseID = "tier2"
	Tier3        PhaseID = "tier3"
	Iterate      PhaseID = "iterate"
)

// Phase describes one phase for the user: what it is for, what it writes,
// what it catches and the gate to move on.
type Phase struct {
	ID     PhaseID
	Number int
	Title  string
	// Short is the lower-case name used inside sentences ("tier 2").
	Short   string
	Purpose string
	Writes  string
	Catches string
	Gate    string
	// Tier is the run tier (1–3) of a tier phase, else 0.
	Tier int
	// GateID names the gate in overrides and check results ("tier1-passed").
	GateID string
	// Action says what to do in the phase, imperatively, for "Next: …".
	Action string
	// Need says what holding the gate means, for "blocked: … needs …".
	Need string
	// NotDone says why the gate does not hold yet for an unfinished phase
	// ("" for tiers, whose runs say it).
	NotDone string
}

// Phases lists the eight phases in order.
var Phases = []Phase{
	{
		ID: Specify, Number: 1, Title: "Specify", Short: "specify",
		Purpose: "State what the model is for before touching data or code: its goal, the requirements " +
			"(architecture, hyperparameters, input and output features, input assets), how it will be " +
			"validated (target metric, comparator, threshold, evaluation split, sanity checks) and the " +
			"designs it builds on. Everything later is checked against this document.",
		Writes:  "docs/design/model/<slug>.md in the DerivaML design-doc format, and its entry in docs/design/index.md",
		Catches: "a model with no measurable target: no metric, no threshold, no evaluation split",
		Gate:    "the design doc exists, parses, names a metric and a threshold, and you have approved it",
		GateID:  "design-approved",
		Action:  "write the design doc and approve it",
		Need:    "an approved design doc",
		NotDone: "the design doc is not written yet",
	},
	{
		ID: SchemaDesign, Number: 2, Title: "Schema design", Short: "schema design",
		Purpose: "Walk DerivaML's decision sequence in the catalog: domain tables, then vocabularies and " +
			"their terms, then features — including the model's own prediction feature, defined before " +
			"the model exists — then asset tables.",
		Writes:  "tables, vocabularies, terms and features in the catalog, named exactly as DerivaML names them",
		Catches: "features the design relies on that the catalog does not have, and names DerivaML would not find",
		Gate:    "every upstream feature named in the design exists in the catalog",
		GateID:  "schema-ready",
		Action:  "create the tables, vocabularies and features the design names",
		Need:    "the features the design names to exist in the catalog",
		NotDone: "the schema is not designed yet",
	},
	{
		ID: DevDataset, Number: 3, Title: "Development dataset", Short: "dev dataset",
		Purpose: "Build a small representative dataset (50 to 200 records) that covers every class with a " +
			"quota of at least 5 to 10 and the edge cases you know about, then release and pin it so every " +
			"tier-2 run reads exactly the same records.",
		Writes:  "a Development dataset with the chosen members, released (not .devN); its manifest in the session",
		Catches: "missing classes, too few examples per class, and runs that silently read a moving dataset",
		Gate:    "every class present with its quota, size in range, a released version",
		GateID:  "dev-dataset-released",
		Action:  "build and release the development dataset",
		Need:    "a released development dataset",
		NotDone: "no development dataset is released yet",
	},
	{
		ID: Validate, Number: 4, Title: "Validate features and labels", Short: "validate",
		Purpose: "Check the feature columns, the vocabulary terms and the label coverage of the development " +
			"records, and look at a denormalized preview; import missing labels from CSV inside an " +
			"execution, as DerivaML does.",
		Writes:  "label rows inside an Execution, when you import them",
		Catches: "unlabelled development records and terms that are not in the vocabulary",
		Gate:    "every development record labelled, every term valid",
		GateID:  "labels-valid",
		Action:  "check the labels and terms of the development records",
		Need:    "every development record labelled with valid terms",
		NotDone: "the labels are not validated yet",
	},
	{
		ID: Tier1, Number: 5, Title: "Tier 1 — dry run", Short: "tier 1", Tier: 1,
		Purpose: "Resolve the configuration and run deriva-ml-run with dry_run=true: no training, no " +
			"execution record, nothing written to the catalog (the dataset bags it names are still " +
			"downloaded). Config errors surface here before anything trains.",
		Writes:  "a run record and its log",
		Catches: "config errors, wrong RIDs or versions, missing terms, import errors",
		Gate:    "the dry run exits 0 with no failure signature in its log",
		GateID:  "tier1-passed",
		Action:  "run the tier-1 dry run",
		Need:    "a passing tier-1 run for the current config",
	},
	{
		ID: Tier2, Number: 6, Title: "Tier 2 — small-data run", Short: "tier 2", Tier: 2,
		Purpose: "Run for real on the development dataset with a few epochs, after a pre-flight checklist, " +
			"and verify what the execution left in the catalog.",
		Writes:  "a run record, its log and the execution RID",
		Catches: "data-pipeline bugs: shapes, NaN/Inf, uploads, class counts",
		Gate:    "pre-flight green, exit 0, execution Uploaded with outputs, finite loss and metrics present",
		GateID:  "tier2-passed",
		Action:  "run tier 2 on the development dataset",
		Need:    "a passing tier-2 run for the current code, config and dev dataset",
	},
	{
		ID: Tier3, Number: 7, Title: "Tier 3 — production", Short: "tier 3", Tier: 3,
		Purpose: "Bump the version, confirm the description and run on the full data, only after tiers 1 " +
			"and 2 passed for this exact code and config, on a clean tree.",
		Writes:  "a git tag via the bump command, a run record, a tacit-knowledge.md entry with the execution RID",
		Catches: "nothing: it produces the real results",
		Gate:    "tiers 1 and 2 passed for the current code, the tree is clean, verification is green",
		GateID:  "tier3-passed",
		Action:  "bump the version and run tier 3 on the full data",
		Need:    "a passing tier-3 run for the current code and config",
	},
	{
		ID: Iterate, Number: 8, Title: "Iterate", Short: "iterate", Tier: 0,
		Purpose: "Compare the results with the design's validation criteria, record the verdict, and choose " +
			"what changes next — which decides the tier you re-enter at.",
		Writes:  "the design doc's status (Validated, or not and why), a tacit-knowledge.md entry, the re-entry tier",
		Catches: "results declared good without checking them against what the design asked for",
		// The last phase has no next one to move on to: the gate says when
		// it is done and where it leads instead.
		Gate: "none, this is the last phase: it is done once the verdict is recorded; when the results " +
			"fall short, what you change next decides the tier you go back to (a config change to tier 1, " +
			"the code or the dev dataset to tier 2)",
		GateID:  "verdict-recorded",
		Action:  "record the verdict against the design's validation criteria",
		Need:    "a recorded verdict",
		NotDone: "no verdict is recorded yet",
	},
}

// Label names the phase as every report says it: "phase 6, Tier 2 —
// small-data run".
func (p Phase) Label() string { return fmt.Sprintf("phase %d, %s", p.Number, p.Title) }

// WritesFor is Writes for the session slug: the design doc it names is
// docs/design/model/<slug>.md with the slug filled in ("" keeps <slug>).
func (p Phase) WritesFor(slug string) string {
	if slug == "" {
		return p.Writes
	}
	return strings.ReplaceAll(p.Writes, "<slug>", slug)
}

// PhaseByID returns the phase with id, and false when there is none.
func PhaseByID(id PhaseID) (Phase, bool) {
	for _, p := range Phases {
		if p.ID == id {
			return p, true
		}
	}
	return Phase{}, false
}

// Index returns the position of id in Phases, or -1.
func Index(id PhaseID) int {
	for i, p := range Phases {
		if p.ID == id {
			return i
		}
	}
	return -1
}

// phaseOf returns the phase with id, or a zero Phase.
func phaseOf(id PhaseID) Phase {
	p, _ := PhaseByID(id)
	return p
}
