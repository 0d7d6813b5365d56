package state

import (
	"encoding/json"
	"time"
)

// SchemaVersion is the version of the session document this build writes.
// Older documents are migrated on load (see migrate.go). Version 2 stores
// a session's own embedded catalog without a path (see CatalogLocation.Path).
const SchemaVersion = 2

// Session is everything the wizard remembers about one model's cycle zero.
// It never holds credentials.
type Session struct {
	// SchemaVersion is the document's format version (SchemaVersion when
	// written by this build); older ones are migrated on load.
	SchemaVersion int `json:"schema_version"`
	// Slug is the model's kebab-case name; it names the session file.
	Slug string `json:"slug"`
	// CreatedAt is when the session was started.
	CreatedAt time.Time `json:"created_at"`
	// UpdatedAt is when the session was last saved (opening it saves), so
	// the most recent session is the one last used.
	UpdatedAt time.Time `json:"updated_at"`
	// RepoRoot is the working tree the session belongs to (git toplevel).
	// When it is the main worktree, whose .git holds the state dir, it is
	// stored as "" and put back on load from where the state dir is now,
	// so a moved or copied repository names itself (as the own catalog's
	// path, see CatalogLocation.Path). "" after loading means unknown.
	RepoRoot string `json:"repo_root"`
	// Catalog says where the model's catalog is.
	Catalog CatalogLocation `json:"catalog"`
	// Current is the id of the phase the user was last on.
	Current string `json:"current,omitempty"`
	// Phases holds one record per phase id that has been touched.
	Phases map[string]*PhaseRecord `json:"phases,omitempty"`
	// Answers holds form answers: phase id → field key → value.
	Answers map[string]map[string]string `json:"answers,omitempty"`
	// Checks holds each phase's check results: phase id → results.
	Checks map[string][]CheckResult `json:"checks,omitempty"`
	// DevDataset is the development dataset built in phase 3, nil before.
	DevDataset *DevManifest `json:"dev_dataset,omitempty"`
	// Runs are the tier runs, in the order they were started.
	Runs []RunRecord `json:"runs,omitempty"`
	// Overrides are the gates passed anyway, in the order they were made
	// (only appended; the latest matching one applies).
	Overrides []Override `json:"overrides,omitempty"`
	// Verdicts are the Iterate phase's verdicts, in the order recorded.
	Verdicts []Verdict `json:"verdicts,omitempty"`

	// extra holds the document's top-level keys this build does not know
	// (written by a newer build, or by hand), so saving keeps them; see
	// extra.go. It is never changed after decoding, so copies may share it.
	extra map[string]json.RawMessage
}

// CatalogKind says which backend a session's catalog uses.
type CatalogKind string

// Catalog kinds.
const (
	CatalogLocal   CatalogKind = "local"   // embedded SQLite catalog
	CatalogERMrest CatalogKind = "ermrest" // a Deriva server
)

// CatalogLocation says where the catalog is; never how to log in.
type CatalogLocation struct {
	// Kind is the backend; it says which of the fields below apply.
	Kind      CatalogKind `json:"kind"`
	Host      string      `json:"host,omitempty"`       // ermrest: "https://name" or "http://127.0.0.1:PORT"
	CatalogID string      `json:"catalog_id,omitempty"` // ermrest: catalog id or alias
	// Path is the embedded catalog's SQLite file (local only). In memory
	// it is always absolute. On disk, the session's own catalog
	// (LocalCatalogPath of the state dir it is in) is stored with no path
	// at all, and Load and Open put back the path under the state dir the
	// document was read from: a repository moved or copied elsewhere then
	// carries its sessions' catalogs along, rather than pointing at the
	// old place (gone, or the original's catalog for a copy). Any other
	// file, one a person pointed the session at, is stored as it is.
	Path string `json:"path,omitempty"`
}

// Fingerprint records the inputs a phase result was computed from, so a
// later change to any of them marks the result stale.
type Fingerprint struct {
	// GitHead is the commit HEAD pointed at ("" outside git or before the
	// first commit).
	GitHead        string `json:"git_head,omitempty"`
	ConfigHash     string `json:"config_hash,omitempty"`     // hash of src/configs/
	CodeHash       string `json:"code_hash,omitempty"`       // hash of model and data-pipeline code
	DesignHash     string `json:"design_hash,omitempty"`     // hash of the design doc
	SchemaHash     string `json:"schema_hash,omitempty"`     // hash of the catalog model the phase used
	DatasetVersion string `json:"dataset_version,omitempty"` // dev dataset RID@version
}

// PhaseRecord is what happened in one phase.
type PhaseRecord struct {
	// StartedAt is when the user first worked on the phase; nil if never.
	StartedAt *time.Time `json:"started_at,omitempty"`
	// CompletedAt is when the phase was last done; nil while it is not.
	CompletedAt *time.Time `json:"completed_at,omitempty"`
	// Fingerprint is the inputs the phase was completed with, against
	// which later changes are judged.
	Fingerprint Fingerprint `json:"fingerprint"`
	// StaleReason is set when an input changed after completion.
	StaleReason string `json:"stale_reason,omitempty"`
	// Approved records the user's say-so where a phase needs one (the design doc).
	Approved bool `json:"approved,omitempty"`
}

// CheckResult is one check's last outcome.
type CheckResult struct {
	ID     string    `json:"id"`               // which check, stable across runs (e.g. "labels")
	Status string    `json:"status"`           // pass, warn, fail, skipped
	Detail string    `json:"detail,omitempty"` // what the check found, for people
	Fix    string    `json:"fix,omitempty"`    // what to do about a warn or fail
	At     time.Time `json:"at"`               // when it ran
}

// DevManifest pins the development dataset the wizard built.
type DevManifest struct {
	DatasetRID string   `json:"dataset_rid"`        // the Dataset's RID
	Version    string   `json:"version"`            // its released version (not a .devN)
	Snapshot   string   `json:"snapshot,omitempty"` // the catalog snapshot of that version
	Seed       int64    `json:"seed"`               // the sampling seed, to rebuild the same choice
	Query      string   `json:"query"`              // how the candidates were selected
	Members    []string `json:"members"`            // the member RIDs chosen
	Hash       string   `json:"hash"`               // digest of the members, to notice a change
}

// RunRecord is one tier run, live or finished.
type RunRecord struct {
	ID           string      `json:"id"`                      // unique within the session; names Dir
	Tier         int         `json:"tier"`                    // 1 dry run, 2 small data, 3 production
	Argv         []string    `json:"argv"`                    // the command that was run
	Dir          string      `json:"dir"`                     // runs/<id>/ under the session's state dir
	StartedAt    time.Time   `json:"started_at"`              // when the run started
	EndedAt      *time.Time  `json:"ended_at,omitempty"`      // when it ended; nil while running
	ExitCode     *int        `json:"exit_code,omitempty"`     // the process's exit code; nil while running
	Status       string      `json:"status"`                  // running, passed, failed, stopped
	ExecutionRID string      `json:"execution_rid,omitempty"` // the DerivaML Execution the run recorded
	Fingerprint  Fingerprint `json:"fingerprint"`             // the code and config the run used
	Failure      string      `json:"failure,omitempty"`       // triage signature, when known
}

// Override is a gate the user chose to pass anyway, with the reason they typed.
type Override struct {
	Phase  string    `json:"phase"`  // the phase id whose gate was passed
	Gate   string    `json:"gate"`   // which gate of it
	Reason string    `json:"reason"` // why the user says it is safe
	At     time.Time `json:"at"`     // when it was made
	// InputsKey digests the phase's inputs when the override was made; the
	// override holds only while they are unchanged (see steps.OverrideKey).
	InputsKey string `json:"inputs_key,omitempty"`
}

// Verdict is the outcome recorded in the Iterate phase.
type Verdict struct {
	At        time.Time `json:"at"`                      // when it was recorded
	Validated bool      `json:"validated"`               // the model met the design's validation criteria
	Why       string    `json:"why"`                     // the user's reasoning
	Metric    string    `json:"metric,omitempty"`        // the metric judged by, e.g. "val_accuracy"
	Value     string    `json:"value,omitempty"`         // its value, as reported
	ReEntry   int       `json:"re_entry_tier,omitempty"` // the tier the next cycle starts at; 0 when none
}
