package derivaml_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

var allStatuses = []derivaml.ExecutionStatus{derivaml.StatusCreated, derivaml.StatusRunning, derivaml.StatusStopped,
	derivaml.StatusFailed, derivaml.StatusPendingUpload, derivaml.StatusUploaded, derivaml.StatusAborted}

// TestTransitionGraph checks every pair against DerivaML's ALLOWED_TRANSITIONS.
func TestTransitionGraph(t *testing.T) {
	t.Parallel()
	allowed := map[[2]derivaml.ExecutionStatus]bool{
		{"Created", "Running"}: true, {"Running", "Stopped"}: true, {"Stopped", "Pending_Upload"}: true,
		{"Pending_Upload", "Uploaded"}: true, {"Running", "Pending_Upload"}: true, {"Running", "Failed"}: true,
		{"Pending_Upload", "Failed"}: true, {"Failed", "Pending_Upload"}: true, {"Uploaded", "Pending_Upload"}: true,
		{"Created", "Aborted"}: true, {"Running", "Aborted"}: true, {"Stopped", "Aborted"}: true, {"Failed", "Aborted"}: true,
	}
	for _, from := range allStatuses {
		for _, to := range allStatuses {
			err := derivaml.ValidateTransition(from, to)
			if allowed[[2]derivaml.ExecutionStatus{from, to}] {
				assert.NoError(t, err, "%s → %s", from, to)
			} else {
				assert.EqualError(t, err, "Illegal execution transition "+string(from)+" → "+string(to)+
					". See spec §2.2 for the allowed transition graph.")
			}
		}
	}
}

func TestExecutionLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	wf, err := ml.AddWorkflow(ctx, derivaml.Workflow{Name: "train", Types: []string{"Training", "Testing"},
		URL: "https://github.com/x/y/blob/abc/train.py", Checksum: "abc123", Version: "1.2.3"})
	require.NoError(t, err)
	same, err := ml.AddWorkflow(ctx, derivaml.Workflow{Name: "train again", Checksum: "abc123", Types: []string{"Training"}})
	require.NoError(t, err)
	assert.Equal(t, wf, same, "workflows are deduplicated by checksum")
	w, err := ml.LookupWorkflow(ctx, wf)
	require.NoError(t, err)
	assert.Equal(t, "train", w.Name)
	assert.ElementsMatch(t, []string{"Training", "Testing"}, w.Types)
	_, err = ml.AddWorkflow(ctx, derivaml.Workflow{Name: "bad", Types: []string{"Juggling"}})
	assert.EqualError(t, err, "Invalid term Juggling in vocabulary Workflow_Type: Term doesn't exist.")

	exe, err := ml.CreateExecution(ctx, wf, "first run")
	require.NoError(t, err)
	assert.Equal(t, derivaml.StatusCreated, exe.Status)
	_, err = ml.UpdateStatus(ctx, exe.RID, derivaml.StatusUploaded, "skip ahead")
	var bad *derivaml.InvalidTransitionError
	require.True(t, errors.As(err, &bad))
	assert.EqualError(t, err, "Illegal execution transition Created → Uploaded. See spec §2.2 for the allowed transition graph.")
	for _, st := range []derivaml.ExecutionStatus{derivaml.StatusRunning, derivaml.StatusStopped, derivaml.StatusPendingUpload,
		derivaml.StatusFailed, derivaml.StatusPendingUpload, derivaml.StatusUploaded} {
		got, err := ml.UpdateStatus(ctx, exe.RID, st, "now "+string(st))
		require.NoError(t, err, "→ %s", st)
		assert.Equal(t, st, got.Status)
	}
	got, err := ml.LookupExecution(ctx, exe.RID)
	require.NoError(t, err)
	assert.Equal(t, derivaml.StatusUploaded, got.Status)
	assert.Equal(t, "now Uploaded", got.StatusDetail)
	_, err = ml.UpdateStatus(ctx, exe.RID, derivaml.StatusAborted, "")
	assert.Error(t, err, "an uploaded execution cannot be aborted")

	require.NoError(t, ml.SetDurations(ctx, exe.RID, "PT1M30S", "PT5S", ""))
	got, err = ml.LookupExecution(ctx, exe.RID)
	require.NoError(t, err)
	assert.Equal(t, "PT1M30S", got.ExecutionDuration)
	assert.Equal(t, "PT5S", got.DownloadDuration)
	assert.Empty(t, got.UploadDuration)

	_, err = ml.CreateExecution(ctx, "1-NOPE", "no workflow")
	assert.Error(t, err)
	_, err = ml.LookupExecution(ctx, "1-NOPE")
	assert.Error(t, err)
}

func TestExecutionInputs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	exe := runningExecution(t, ml, "consumer")
	ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "input"})
	require.NoError(t, err)
	h, err := ml.DatasetHistory(ctx, ds.RID)
	require.NoError(t, err)
	require.NoError(t, ml.AddExecutionInputs(ctx, exe, map[string]string{ds.RID: h[0].RID}))
	require.NoError(t, ml.AddExecutionInputs(ctx, exe, map[string]string{ds.RID: h[0].RID}), "recording twice is harmless")
	rows, err := ml.Store().Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: "deriva-ml", Table: "Dataset_Execution"},
		Where: catalog.Eq{Column: "Execution", Value: exe}, Limit: 10})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, ds.RID, rows[0].String("Dataset"))
	assert.Equal(t, h[0].RID, rows[0].String("Dataset_Version"), "the input edge pins the consumed version")
}
