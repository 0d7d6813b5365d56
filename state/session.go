package state

import "time"

// SchemaVersion is the version of the session document this build writes.
// Older documents are migrated on load (see migrate.go).
const SchemaVersion = 1

// Session is everything the wizard remembers about one model's cycle zero.
// It never holds credentials.
type Session struct {
	SchemaVersion int       `json:"schema_version"`
	Slug          string    `json:"slug"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	// RepoRoot is the working tree the session belongs to (git toplevel).
	RepoRoot string          `json:"repo_root"`
	Catalog  CatalogLocation `json:"catalog"`
	// Current is the id of the phase the user was last on.
	Current string `json:"current,omitempty"`
	// Phases holds one record per phase id that has been touched.
	Phases map[string]*PhaseRecord `json:"phases,omitempty"`
	// Answers holds form answers: phase id → field key → value.
	Answers    map[string]map[string]string `json:"answers,omitempty"`
	Checks     map[string][]CheckResult     `json:"checks,omitempty"`
	DevDataset *DevManifest                 `json:"dev_dataset,omitempty"`
	Runs       []RunRecord                  `json:"runs,omitempty"`
	Overrides  []Override                   `json:"overrides,omitempty"`
	Verdicts   []Verdict                    `json:"verdicts,omitempty"`
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
	Kind      CatalogKind `json:"kind"`
	Host      string      `json:"host,omitempty"`       // ermrest: "https://name" or "http://127.0.0.1:PORT"
	CatalogID string      `json:"catalog_id,omitempty"` // ermrest: catalog id or alias
	Path      string      `json:"path,omitempty"`       // local: the SQLite file
}

// Fingerprint records the inputs a phase result was computed from, so a
// later change to any of them marks the result stale.
type Fingerprint struct {
	GitHead        string `json:"git_head,omitempty"`
	ConfigHash     string `json:"config_hash,omitempty"`     // hash of src/configs/
	CodeHash       string `json:"code_hash,omitempty"`       // hash of model and data-pipeline code
	DesignHash     string `json:"design_hash,omitempty"`     // hash of the design doc
	SchemaHash     string `json:"schema_hash,omitempty"`     // hash of the catalog model the phase used
	DatasetVersion string `json:"dataset_version,omitempty"` // dev dataset RID@version
}

// PhaseRecord is what happened in one phase.
type PhaseRecord struct {
	StartedAt   *time.Time  `json:"started_at,omitempty"`
	CompletedAt *time.Time  `json:"completed_at,omitempty"`
	Fingerprint Fingerprint `json:"fingerprint"`
	// StaleReason is set when an input changed after completion.
	StaleReason string `json:"stale_reason,omitempty"`
	// Approved records the user's say-so where a phase needs one (the design doc).
	Approved bool `json:"approved,omitempty"`
}

// CheckResult is one check's last outcome.
type CheckResult struct {
	ID     string    `json:"id"`
	Status string    `json:"status"` // pass, warn, fail, skipped
	Detail string    `json:"detail,omitempty"`
	Fix    string    `json:"fix,omitempty"`
	At     time.Time `json:"at"`
}

// DevManifest pins the development dataset the wizard built.
type DevManifest struct {
	DatasetRID string   `json:"dataset_rid"`
	Version    string   `json:"version"`
	Snapshot   string   `json:"snapshot,omitempty"`
	Seed       int64    `json:"seed"`
	Query      string   `json:"query"`
	Members    []string `json:"members"`
	Hash       string   `json:"hash"`
}

// RunRecord is one tier run, live or finished.
type RunRecord struct {
	ID           string      `json:"id"`
	Tier         int         `json:"tier"`
	Argv         []string    `json:"argv"`
	Dir          string      `json:"dir"` // runs/<id>/ under the session's state dir
	StartedAt    time.Time   `json:"started_at"`
	EndedAt      *time.Time  `json:"ended_at,omitempty"`
	ExitCode     *int        `json:"exit_code,omitempty"`
	Status       string      `json:"status"` // running, passed, failed, stopped
	ExecutionRID string      `json:"execution_rid,omitempty"`
	Fingerprint  Fingerprint `json:"fingerprint"`
	Failure      string      `json:"failure,omitempty"` // triage signature, when known
}

// Override is a gate the user chose to pass anyway, with the reason they typed.
type Override struct {
	Phase  string    `json:"phase"`
	Gate   string    `json:"gate"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
	// InputsKey digests the phase's inputs when the override was made; the
	// override holds only while they are unchanged (see steps.OverrideKey).
	InputsKey string `json:"inputs_key,omitempty"`
}

// Verdict is the outcome recorded in the Iterate phase.
type Verdict struct {
	At        time.Time `json:"at"`
	Validated bool      `json:"validated"`
	Why       string    `json:"why"`
	Metric    string    `json:"metric,omitempty"`
	Value     string    `json:"value,omitempty"`
	ReEntry   int       `json:"re_entry_tier,omitempty"`
}
