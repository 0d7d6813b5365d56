package derivaml

import (
	"errors"
	"fmt"
)

// UndoFailedError is a change of several writes that failed part way, and
// whose undo of the writes before the failure failed too: Remain may
// still be in the catalog, and retrying the change would add to it.
// errors.Is matches the kinds of both failures (so a change cut off by
// ctrl+c still matches context.Canceled); the error is typed so that a
// caller which stays quiet on an interrupt can tell this one must be
// reported.
type UndoFailedError struct {
	Err     error  // the change's failure
	Remain  string // what the undo would have reverted, as a noun phrase
	UndoErr error  // why the undo failed
}

// Error says what failed, then (on a line of its own, as errors.Join
// renders two errors) that Remain could not be rolled back and may remain.
func (e *UndoFailedError) Error() string {
	return fmt.Sprintf("%v\ncould not roll back %s, which may remain in the catalog: %v", e.Err, e.Remain, e.UndoErr)
}

// Unwrap gives both failures, so the kinds of each still match.
func (e *UndoFailedError) Unwrap() []error { return []error{e.Err, e.UndoErr} }

// Fix says to put right what may remain before retrying. A write whose
// answer was lost and was checked not applied says so, instead of its
// usual "it can simply be retried": a retry would double what remains.
func (e *UndoFailedError) Fix() string {
	var checked *notAppliedError
	if errors.As(e.Err, &checked) {
		return notAppliedUndoFailedFix
	}
	return fmt.Sprintf("undoing the steps before the failure failed too: %s may remain in the catalog; "+
		"undo what remains of it before retrying", e.Remain)
}

// Hint gives Fix as the error's fix (see catalog.Hint), in place of the
// failed write's own: what may remain must be put right before a retry.
func (e *UndoFailedError) Hint() string { return e.Fix() }
