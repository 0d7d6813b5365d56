package derivaml

// Validation reason codes and issue kinds (dataset/validation.py).
const (
	ReasonRIDNotFound     = "rid_not_found"
	ReasonNotADataset     = "not_a_dataset"
	ReasonVersionNotFound = "version_not_found"
	ReasonNotAnAsset      = "not_an_asset"
	ReasonNotAWorkflow    = "not_a_workflow"
	WarningDatasetDeleted = "dataset_deleted"
	IssueDuplicateRID     = "duplicate_rid"
	IssueVersionConflict  = "version_conflict"
)

// maxAvailableVersions caps available_versions, newest first.
const maxAvailableVersions = 20

// DatasetResult is the check of one dataset spec.
type DatasetResult struct {
	Spec              DatasetSpec `json:"spec"`
	Valid             bool        `json:"valid"`
	Reasons           []string    `json:"reasons"`
	Warnings          []string    `json:"warnings"`
	ActualTable       *string     `json:"actual_table"`
	AvailableVersions []string    `json:"available_versions"`
	ResolvedVersion   *string     `json:"resolved_version"`
	DatasetName       *string     `json:"dataset_name"`

	actualSchema   string   // for the runner-style message
	currentVersion string   // the dataset's newest version (PEP 440), dev or not
	history        []string // every version, oldest first (dataset_history)
	devPinned      bool     // the spec pins a dev label
}

// AssetResult is the check of one asset spec.
type AssetResult struct {
	Spec        AssetSpec `json:"spec"`
	Valid       bool      `json:"valid"`
	Reasons     []string  `json:"reasons"`
	ActualTable *string   `json:"actual_table"`
	AssetTable  *string   `json:"asset_table"`
	Filename    *string   `json:"filename"`

	actualSchema string
}

// WorkflowResult is the check of the configuration's workflow RID.
type WorkflowResult struct {
	RID          string   `json:"rid"`
	Valid        bool     `json:"valid"`
	Reasons      []string `json:"reasons"`
	ActualTable  *string  `json:"actual_table"`
	WorkflowName *string  `json:"workflow_name"`

	actualSchema string
}

// CrossSpecIssue is an inconsistency spanning several specs.
type CrossSpecIssue struct {
	Issue  string   `json:"issue"`
	RIDs   []string `json:"rids"`
	Detail string   `json:"detail"`
}

// Report is validate_execution_configuration's result.
type Report struct {
	AllValid        bool             `json:"all_valid"`
	DatasetResults  []DatasetResult  `json:"dataset_results"`
	AssetResults    []AssetResult    `json:"asset_results"`
	WorkflowResult  *WorkflowResult  `json:"workflow_result"`
	CrossSpecIssues []CrossSpecIssue `json:"cross_spec_issues"`
}
