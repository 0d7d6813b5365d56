package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// A ctrl+c that cut off a catalog change whose undo then failed is still
// an interrupt (exit 130), but it is not silent: the user is told what
// may remain in the catalog and to put it right before retrying.
func TestInterruptedFailedUndoIsPrinted(t *testing.T) {
	t.Parallel()
	undo := &derivaml.UndoFailedError{
		Err:     fmt.Errorf("create dataset: add initial version: POST /ermrest/catalog/1/entity/deriva-ml:Dataset_Version: %w", context.Canceled),
		Remain:  "the partly created dataset 1-AAAA",
		UndoErr: errors.New("delete from deriva-ml:Dataset: disk I/O error"),
	}
	err := fmt.Errorf("new dataset: %w", undo)
	assert.Equal(t, exitCancelled, exitCode(err))
	var b strings.Builder
	printError(&b, err)
	assert.Equal(t, "cyclezero: "+err.Error()+"\n  fix: "+undo.Fix()+"\n", b.String())
	assert.Contains(t, b.String(), "could not roll back the partly created dataset 1-AAAA, which may remain in the catalog")
	assert.Contains(t, b.String(), "fix: undoing the steps before the failure failed too: the partly created dataset 1-AAAA may remain")

	// When a catalog error carries the fix, it is printed once.
	undo.UndoErr = &catalog.Error{Kind: catalog.ErrUnavailable, Op: "DELETE /ermrest/catalog/1/entity/deriva-ml:Dataset", Fix: "try later"}
	b.Reset()
	printError(&b, err)
	assert.Equal(t, "cyclezero: "+err.Error()+"\n  fix: "+undo.Fix()+"\n", b.String())
}

// A write another process kept out of the embedded catalog (its lock held
// past the busy timeout) wrote nothing: exit 75, try again. Not when an
// undo of earlier steps failed: that must be put right first.
func TestBusyCatalogWriteExitsTryAgain(t *testing.T) {
	t.Parallel()
	busy := &catalog.Error{Kind: catalog.ErrUnavailable, Op: "insert into demo:Image", NotApplied: true,
		Detail: "database is locked", Fix: "another process holds the local catalog busy; try again"}
	assert.Equal(t, exitBusy, exitCode(fmt.Errorf("seed the demo: %w", busy)))
	lost := &catalog.Error{Kind: catalog.ErrUnavailable, Op: "POST /ermrest/catalog/1/entity/demo:Image"}
	assert.Equal(t, exitError, exitCode(fmt.Errorf("seed the demo: %w", lost)), "an answer lost may have been applied")
	undo := &derivaml.UndoFailedError{Err: busy, Remain: "the members added", UndoErr: errors.New("disk I/O error")}
	assert.Equal(t, exitError, exitCode(fmt.Errorf("add members: %w", undo)))
}
