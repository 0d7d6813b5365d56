package derivaml

import (
	"context"
	"errors"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog"
)

// ExecutionStatus is DerivaML's ExecutionStatus (exact values).
type ExecutionStatus string

// The execution statuses, as seeded in Execution_Status.
const (
	StatusCreated       ExecutionStatus = "Created"
	StatusRunning       ExecutionStatus = "Running"
	StatusStopped       ExecutionStatus = "Stopped"
	StatusFailed        ExecutionStatus = "Failed"
	StatusPendingUpload ExecutionStatus = "Pending_Upload"
	StatusUploaded      ExecutionStatus = "Uploaded"
	StatusAborted       ExecutionStatus = "Aborted"
)

// allowedTransitions is DerivaML's ALLOWED_TRANSITIONS (state_machine.py).
var allowedTransitions = map[[2]ExecutionStatus]bool{
	{StatusCreated, StatusRunning}:        true,
	{StatusRunning, StatusStopped}:        true,
	{StatusStopped, StatusPendingUpload}:  true,
	{StatusPendingUpload, StatusUploaded}: true,
	{StatusRunning, StatusPendingUpload}:  true, // hard-crash recovery
	{StatusRunning, StatusFailed}:         true,
	{StatusPendingUpload, StatusFailed}:   true,
	{StatusFailed, StatusPendingUpload}:   true, // upload retry
	{StatusUploaded, StatusPendingUpload}: true, // additive upload
	{StatusCreated, StatusAborted}:        true,
	{StatusRunning, StatusAborted}:        true,
	{StatusStopped, StatusAborted}:        true,
	{StatusFailed, StatusAborted}:         true,
}

// ValidateTransition returns an *InvalidTransitionError unless from → to is
// an allowed status change.
func ValidateTransition(from, to ExecutionStatus) error {
	if !allowedTransitions[[2]ExecutionStatus{from, to}] {
		return &InvalidTransitionError{From: from, To: to}
	}
	return nil
}

// Execution is a row of deriva-ml:Execution.
type Execution struct {
	RID               string
	Workflow          string
	Description       string
	Status            ExecutionStatus // a NULL status reads as Created
	StatusDetail      string
	ExecutionDuration string
	DownloadDuration  string
	UploadDuration    string
	RMT               string
}

func executionFromRow(r catalog.Row) Execution {
	e := Execution{RID: r.RID(), Workflow: r.String("Workflow"), Description: r.String("Description"),
		Status: ExecutionStatus(r.String("Status")), StatusDetail: r.String("Status_Detail"),
		ExecutionDuration: r.String("Execution_Duration"), DownloadDuration: r.String("Download_Duration"),
		UploadDuration: r.String("Upload_Duration"), RMT: r.String(catalog.ColRMT)}
	if e.Status == "" {
		e.Status = StatusCreated
	}
	return e
}

var executionRef = catalog.TableRef{Schema: MLSchema, Table: TableExecution}

// CreateExecution inserts an Execution of a workflow with Status Created.
func (m *ML) CreateExecution(ctx context.Context, workflowRID, description string) (Execution, error) {
	workflowRID = normRID(workflowRID)
	if _, err := m.LookupWorkflow(ctx, workflowRID); err != nil {
		return Execution{}, fmt.Errorf("create execution: %w", err)
	}
	rows, err := m.store.Insert(ctx, executionRef, []catalog.Row{{
		"Workflow": workflowRID, "Description": description, "Status": string(StatusCreated),
	}}, catalog.InsertOptions{})
	if err != nil {
		return Execution{}, fmt.Errorf("create execution of workflow %s: %w", workflowRID, err)
	}
	return executionFromRow(rows[0]), nil
}

// LookupExecution reads an Execution row.
func (m *ML) LookupExecution(ctx context.Context, rid string) (Execution, error) {
	rid = normRID(rid)
	rows, err := m.store.Query(ctx, catalog.Query{Table: executionRef, Where: catalog.Eq{Column: catalog.ColRID, Value: rid}, Limit: 1})
	if err != nil {
		return Execution{}, fmt.Errorf("look up execution %s: %w", rid, err)
	}
	if len(rows) == 0 {
		return Execution{}, fmt.Errorf("Execution %s not found: %w", rid, catalog.ErrNotFound)
	}
	return executionFromRow(rows[0]), nil
}

// UpdateStatus moves an execution to a new status with a detail message,
// enforcing DerivaML's transition graph. The write is guarded by the row's
// RMT, so a concurrent change makes it fail rather than skip a state.
func (m *ML) UpdateStatus(ctx context.Context, rid string, to ExecutionStatus, detail string) (Execution, error) {
	rid = normRID(rid)
	cur, err := m.LookupExecution(ctx, rid)
	if err != nil {
		return Execution{}, err
	}
	if err := ValidateTransition(cur.Status, to); err != nil {
		return Execution{}, err
	}
	rows, err := m.store.Update(ctx, executionRef,
		catalog.UpdateSpec{Match: []string{catalog.ColRID, catalog.ColRMT}, Set: []string{"Status", "Status_Detail"}},
		[]catalog.Row{{catalog.ColRID: cur.RID, catalog.ColRMT: cur.RMT, "Status": string(to), "Status_Detail": detail}})
	if errors.Is(err, catalog.ErrPrecondition) {
		return Execution{}, fmt.Errorf("execution %s changed while moving it to %s: re-read it and retry: %w", rid, to, err)
	}
	if err != nil {
		return Execution{}, fmt.Errorf("set execution %s status to %s: %w", rid, to, err)
	}
	if len(rows) == 0 {
		return Execution{}, fmt.Errorf("execution %s changed while moving it to %s: re-read it and retry", rid, to)
	}
	return executionFromRow(rows[0]), nil
}

// SetDurations records an execution's phase durations (ISO-8601 duration
// strings such as "PT1M30S"); empty values are left unchanged.
func (m *ML) SetDurations(ctx context.Context, rid, execution, download, upload string) error {
	rid = normRID(rid)
	row := catalog.Row{catalog.ColRID: rid}
	var set []string
	for col, v := range map[string]string{"Execution_Duration": execution, "Download_Duration": download, "Upload_Duration": upload} {
		if v != "" {
			row[col] = v
			set = append(set, col)
		}
	}
	if len(set) == 0 {
		return nil
	}
	if _, err := m.store.Update(ctx, executionRef, catalog.UpdateSpec{Match: []string{catalog.ColRID}, Set: set}, []catalog.Row{row}); err != nil {
		return fmt.Errorf("record durations of execution %s: %w", rid, err)
	}
	return nil
}

// AddExecutionInputs records datasets an execution consumed as
// Dataset_Execution rows (input edges): datasetVersions maps each dataset
// RID to the RID of the Dataset_Version row consumed ("" if unknown).
// Edges already recorded are left as they are.
func (m *ML) AddExecutionInputs(ctx context.Context, execRID string, datasetVersions map[string]string) error {
	execRID = normRID(execRID)
	var rows []catalog.Row
	for _, ds := range sortedKeys(datasetVersions) {
		r := catalog.Row{"Dataset": normRID(ds), "Execution": execRID}
		if ver := datasetVersions[ds]; ver != "" {
			r[TableDatasetVersion] = normRID(ver)
		}
		rows = append(rows, r)
	}
	if len(rows) == 0 {
		return nil
	}
	ref := catalog.TableRef{Schema: MLSchema, Table: TableDatasetExecution}
	if _, err := m.store.Insert(ctx, ref, rows, catalog.InsertOptions{OnConflictSkip: true}); err != nil {
		return fmt.Errorf("record inputs of execution %s: %w", execRID, err)
	}
	return nil
}
