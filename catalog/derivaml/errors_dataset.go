package derivaml

import (
	"fmt"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// DatasetNotFoundError is lookup_dataset's failure: no dataset has the RID
// (or it is deleted and deleted ones were not asked for). It is a
// not-found error: errors.Is(err, catalog.ErrNotFound) holds.
type DatasetNotFoundError struct {
	RID string
}

// Error renders DerivaML's message, word for word.
func (e *DatasetNotFoundError) Error() string {
	return fmt.Sprintf("Dataset %s not found.", e.RID)
}

// Unwrap gives the error's kind, so errors.Is matches catalog.ErrNotFound
// without the kind's own words being added to DerivaML's sentence.
func (e *DatasetNotFoundError) Unwrap() error { return catalog.ErrNotFound }

// CycleError is DerivaML's DerivaMLCycleError: nesting a dataset would make
// it contain itself. Nodes is the cycle the change would close, starting
// and ending at the parent (e.g. [A, B, A]: B already contains A).
type CycleError struct {
	Nodes []string
}

// Error renders DerivaML's message ("Creating cycle of datasets is not
// allowed: [...]") followed by which dataset already contains which.
func (e *CycleError) Error() string {
	msg := "Creating cycle of datasets is not allowed: " + pyList(e.Nodes)
	if len(e.Nodes) < 2 {
		return msg
	}
	parent, child := e.Nodes[0], e.Nodes[1]
	if parent == child {
		return msg + fmt.Sprintf(" (dataset %s cannot contain itself)", parent)
	}
	return msg + fmt.Sprintf(" (dataset %s already contains %s, directly or through nested datasets, so %s cannot contain %s)",
		child, parent, parent, child)
}

// rolledBack reports a failed multi-step write whose earlier steps were
// undone. change names what the undo reverted, as a noun phrase ("the 2
// Image member row(s) this call added"). When the undo itself fails the
// error is an *UndoFailedError, which says change may remain in the
// catalog. An error that is already a full sentence (one of DerivaML's,
// ending in ".") gets a sentence of its own rather than a "; " clause
// after its full stop.
func rolledBack(err error, change string, undoErr error) error {
	if undoErr != nil {
		return &UndoFailedError{Err: err, Remain: change, UndoErr: undoErr}
	}
	if strings.HasSuffix(err.Error(), ".") {
		return fmt.Errorf("%w Rolled back %s.", err, change)
	}
	return fmt.Errorf("%w; rolled back %s", err, change)
}
