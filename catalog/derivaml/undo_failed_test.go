package derivaml_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// undeletableStore refuses every Delete, so an undo that removes rows
// fails.
type undeletableStore struct{ catalog.Store }

func (s undeletableStore) Delete(_ context.Context, t catalog.TableRef, _ catalog.Filter) error {
	return fmt.Errorf("delete from %s: %w", t, errInjected)
}

// A ctrl+c that cuts off a change whose undo then fails is still an
// interrupt (context.Canceled matches), but the error is an
// *UndoFailedError naming what may remain, so a caller that stays quiet
// on an interrupt can tell it must be reported, and its fix says to put
// that right before retrying.
func TestCancelledChangeWhoseUndoFailsIsTyped(t *testing.T) {
	t.Parallel()
	ml, _, _, _ := memberCatalog(t)
	before, err := ml.FindDatasets(context.Background(), true)
	require.NoError(t, err)

	// The type row (write 2) is applied, then ctrl+c: the version row is
	// not sent, and removing the partly created dataset fails.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cs := &cancellingStore{Store: undeletableStore{ml.Store()}, cancelAt: 2, cancel: cancel}
	_, err = derivaml.New(cs, "demo").CreateDataset(ctx, derivaml.NewDataset{Types: []string{"Training"}, Description: "cut"})
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, err, errInjected)

	var undo *derivaml.UndoFailedError
	require.True(t, errors.As(err, &undo), "%v", err)
	require.Regexp(t, `^the partly created dataset \S+$`, undo.Remain)
	require.ErrorIs(t, undo.Err, context.Canceled)
	require.ErrorIs(t, undo.UndoErr, errInjected)
	var unknown *derivaml.OutcomeUnknownError
	assert.False(t, errors.As(err, &unknown), "the cut-off write was read back")
	assert.Contains(t, err.Error(), "\ncould not roll back "+undo.Remain+", which may remain in the catalog: ")
	assert.Equal(t, "undoing the steps before the failure failed too: "+undo.Remain+
		" may remain in the catalog; undo what remains of it before retrying", undo.Fix())
	assert.Equal(t, undo.Fix(), catalog.Hint(err), "the fix needs no catalog error to carry it")

	after, err := ml.FindDatasets(context.Background(), true)
	require.NoError(t, err)
	assert.Len(t, after, len(before)+1, "the partly created dataset remains, as the error says")
}

// When either failure is a catalog error, catalog.Hint gives the undo's
// fix rather than the failed write's own, and the error's kinds and
// catalog details are kept.
func TestUndoFailedHintReplacesTheWritesFix(t *testing.T) {
	t.Parallel()
	write := &catalog.Error{Kind: catalog.ErrConflict, Status: 409, Op: "POST /x", Detail: "dup", Fix: "someone else changed it: retry"}
	err := fmt.Errorf("add: %w", &derivaml.UndoFailedError{Err: write, Remain: "the row 1-AAAA", UndoErr: errInjected})
	assert.EqualError(t, err, "add: POST /x: conflicts with the catalog's state: dup\n"+
		"could not roll back the row 1-AAAA, which may remain in the catalog: injected write failure")
	assert.ErrorIs(t, err, catalog.ErrConflict)
	assert.ErrorIs(t, err, errInjected)
	assert.Equal(t, "undoing the steps before the failure failed too: the row 1-AAAA may remain in the catalog; "+
		"undo what remains of it before retrying", catalog.Hint(err))
	var ce *catalog.Error
	require.True(t, errors.As(err, &ce))
	assert.Equal(t, 409, ce.Status)
	assert.Equal(t, "someone else changed it: retry", write.Fix, "the write's own error is not changed")

	// Only the undo's failure is a catalog error.
	undoCE := &catalog.Error{Kind: catalog.ErrUnavailable, Op: "DELETE /x", Fix: "try later"}
	err = &derivaml.UndoFailedError{Err: context.Canceled, Remain: "the row 1-AAAA", UndoErr: undoCE}
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, catalog.ErrUnavailable)
	assert.Contains(t, catalog.Hint(err), "undo what remains of it before retrying")
}

// A ctrl+c after AddAssets inserted its rows, whose undo then fails, is
// an *UndoFailedError naming the assets that may remain, as other
// changes' are: AddAssets rolls back through the same path.
func TestCancelledAddAssetsWhoseUndoFailsIsTyped(t *testing.T) {
	t.Parallel()
	ml := newML(t)
	exe := runningExecution(t, ml, "cut")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The asset rows (write 1) and their tags (write 2) are added, then
	// ctrl+c: the links to the execution are not sent, and removing the
	// rows fails.
	cs := &cancellingStore{Store: undeletableStore{ml.Store()}, cancelAt: 2, cancel: cancel}
	_, err := derivaml.New(cs, "demo").AddAssets(ctx, "Execution_Asset",
		[]derivaml.Asset{{URL: "/hatrac/metadata/cut.pt", Filename: "cut.pt", Length: 1, MD5: "cc"}},
		derivaml.AssetLink{Execution: exe})
	require.ErrorIs(t, err, context.Canceled)
	require.ErrorIs(t, err, errInjected)
	var undo *derivaml.UndoFailedError
	require.True(t, errors.As(err, &undo), "%v", err)
	assert.Equal(t, "the 1 Execution_Asset asset(s) added", undo.Remain)
	require.ErrorIs(t, undo.Err, context.Canceled)
	require.ErrorIs(t, undo.UndoErr, errInjected)
}
