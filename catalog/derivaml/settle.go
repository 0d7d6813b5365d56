package derivaml

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
)

// A change of several writes undoes the ones already made when a later one
// fails. That is only right when the failed write surely did not take
// effect. A write that got no answer (the connection dropped after the
// request was sent, the wait ran out, a gateway said the catalog was
// unavailable, the caller gave up while it was in flight) may have been
// applied all the same, and undoing the steps it builds on would leave the
// catalog half changed: a feature table without its Feature_Name term, a
// version row the dataset points at deleted. So such a failure is settled
// first, by reading back what the write would have written.

// OutcomeUnknownError is a change that stopped at a write whose outcome
// could not be learned: the catalog gave no answer to it, so it may have
// been applied, and reading back what it would have written failed too.
// Nothing the change wrote before was undone, since the failed write may
// build on it; Kept lists it, and the message of the error the change
// returns names it (see leftInPlace). errors.Is matches the write's own
// failure (catalog.ErrUnavailable, or the context's error).
type OutcomeUnknownError struct {
	Err     error    // the write's failure
	Check   string   // what to look for in the catalog before retrying
	ReadErr error    // why reading it back failed
	Kept    []string // what the change wrote before and left in place
}

// Error says what failed, that its outcome is unknown and what to check.
// What was left in place is said by the error wrapping it (see
// leftInPlace), since the steps that kept something wrap this error
// with their context first and the wrapped text is fixed by then.
func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("%v; whether it was applied could not be learned (%v): check %s before retrying",
		e.Err, e.ReadErr, e.Check)
}

// Unwrap gives the write's failure, so its kind still matches.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// settleTimeout bounds what a change does after its own context ended
// (the user pressed ctrl+c, or its deadline passed): reading back a write
// the end cut off, and undoing the writes before it. One read usually
// settles a write, so a few seconds is plenty for a catalog that answers,
// and short enough that one that does not holds up the exit only briefly.
const settleTimeout = 5 * time.Second

// afterEnd returns ctx while it is live. Once it has ended it returns a
// context with ctx's values that ignores that end and gives up after
// settleTimeout, so a change cut off by ctrl+c can still read back and
// undo what it wrote instead of failing at once and leaving the outcome
// unknown. Call cancel when done.
func afterEnd(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx.Err() == nil {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
}

// mayHaveApplied reports whether a write that failed with err may have
// taken effect: the catalog gave no answer (catalog.ErrUnavailable, which
// the ERMrest client reports for a write that failed in flight or got no
// answer in time, and for a gateway's 502/503/504), or the context ended
// while it was in flight. A write whose context had ended before it was
// sent (a notSentError) was not applied, nor was one the catalog says
// surely was not (catalog.NotApplied: the embedded catalog's file was
// held by another process's write), which keeps its own error and fix.
func mayHaveApplied(err error) bool {
	var unsent *notSentError
	if errors.As(err, &unsent) || catalog.NotApplied(err) {
		return false
	}
	return errors.Is(err, catalog.ErrUnavailable) || errors.Is(err, context.Canceled) ||
		errors.Is(err, context.DeadlineExceeded)
}

// settle decides a write that failed with err. It returns true when the
// write took effect after all (its answer was lost, and check, which reads
// back what it would have written, found it): carry on as if it had
// succeeded. Otherwise it returns false and an error: err itself when the
// write surely failed, err with a fix saying it was checked (see
// notAppliedError) when check did not find it (undo as usual), or an
// *OutcomeUnknownError naming what (what to check in the catalog) when
// check failed too, which rollBack leaves undone (see leftInPlace).
func settle(ctx context.Context, err error, what string, check func(context.Context) (bool, error)) (bool, error) {
	if !mayHaveApplied(err) {
		return false, err
	}
	ctx, cancel := afterEnd(ctx)
	defer cancel()
	found, rerr := check(ctx)
	switch {
	case rerr != nil:
		return false, &OutcomeUnknownError{Err: err, Check: what, ReadErr: rerr}
	case found:
		return true, nil
	}
	return false, &notAppliedError{err: err, fix: notAppliedFix}
}

// The fixes catalog.Hint gives for a write whose answer was lost and
// which reading back proved was not applied, in place of the client's
// "the change may or may not have been applied: check before retrying".
const (
	notAppliedFix = "the catalog's answer was lost, but reading it back showed the change was not applied: " +
		"it can simply be retried"
	notAppliedUndoFailedFix = "the catalog's answer was lost, but reading it back showed the change was not applied; " +
		"undoing the steps before it failed, so remove what the error says may remain before retrying"
)

// notAppliedError is a write whose answer was lost and which reading back
// proved was not applied. Its message and kind (errors.Is) are the
// write's; catalog.Hint gives fix instead of the write's own.
type notAppliedError struct {
	err error
	fix string
}

func (e *notAppliedError) Error() string { return e.err.Error() }

func (e *notAppliedError) Unwrap() error { return e.err }

// Hint gives e.fix in place of the write's own fix (see catalog.Hint),
// saying the write was checked. A write with no *catalog.Error in it (the
// context ended) had no fix to replace, and keeps whatever it has.
func (e *notAppliedError) Hint() string {
	var inner *catalog.Error
	if !errors.As(e.err, &inner) {
		return catalog.Hint(e.err)
	}
	return e.fix
}

// outcomeUnknown reports whether err is (or wraps) an
// *OutcomeUnknownError: nothing written before it may be undone.
func outcomeUnknown(err error) bool {
	var u *OutcomeUnknownError
	return errors.As(err, &u)
}

// leftInPlace records that change (what the caller wrote before err, as a
// noun phrase) was left in place because err's outcome is unknown: it is
// added to the OutcomeUnknownError's Kept, and the error returned says it
// ("…; left in place, as it may build on them: A, B"). Callers wrap err
// with fmt.Errorf on the way up, which fixes its text, so the clause is
// added to the outermost error rather than rendered by the inner one; a
// second change left after the first joins the same clause.
func leftInPlace(err error, change string) error {
	var u *OutcomeUnknownError
	if errors.As(err, &u) {
		u.Kept = append(u.Kept, change)
	}
	if k, ok := err.(*keptError); ok {
		return &keptError{err: k.err, kept: append(slices.Clone(k.kept), change)}
	}
	return &keptError{err: err, kept: []string{change}}
}

// leftAnswerLost says change (a noun phrase) was left in place after err
// because the catalog's answer to adding it was lost, so what of it was
// there before is unknown; unknown says why, completing the clause ("so
// whether they were there before is unknown").
func leftAnswerLost(err error, change, unknown string) error {
	return fmt.Errorf("%w; left %s in place: the catalog's answer to adding them was lost, %s", err, change, unknown)
}

// keptError is an error whose change left what kept names in place.
type keptError struct {
	err  error
	kept []string
}

func (e *keptError) Error() string {
	return e.err.Error() + "; left in place, as it may build on them: " + strings.Join(e.kept, ", ")
}

func (e *keptError) Unwrap() error { return e.err }

// rollBack undoes change after err, unless err's outcome is unknown (then
// change is left in place, see leftInPlace), and reports what happened
// (see rolledBack). undo runs under ctx, or a short grace context when
// ctx has ended (see afterEnd), so a change cut off by ctrl+c is undone.
func rollBack(ctx context.Context, err error, change string, undo func(context.Context) error) error {
	if outcomeUnknown(err) {
		return leftInPlace(err, change)
	}
	ctx, cancel := afterEnd(ctx)
	defer cancel()
	return rolledBack(err, change, undo(ctx))
}

// rowHas reads the row rid of table and reports whether its columns hold
// the values of want.
func (m *ML) rowHas(ctx context.Context, table catalog.TableRef, rid string, want catalog.Row) (bool, error) {
	rows, err := m.store.Query(ctx, catalog.Query{Table: table, Where: catalog.Eq{Column: catalog.ColRID, Value: rid}, Limit: 1})
	if err != nil {
		return false, fmt.Errorf("read back %s row %s: %w", table, rid, err)
	}
	if len(rows) == 0 {
		return false, nil
	}
	for col, v := range want {
		if !reflect.DeepEqual(rows[0][col], v) {
			return false, nil
		}
	}
	return true, nil
}

// rowsAt reads back the rows of table matching where (all of them).
func (m *ML) rowsAt(ctx context.Context, table catalog.TableRef, where catalog.Filter) ([]catalog.Row, error) {
	rows, err := queryAll(ctx, m.store, catalog.Query{Table: table, Where: where})
	if err != nil {
		return nil, fmt.Errorf("read back: %w", err)
	}
	return rows, nil
}

// describeValues renders a row's values as "A=x, B=y", columns sorted,
// for an error that says what to look for.
func describeValues(row catalog.Row) string {
	parts := make([]string, 0, len(row))
	for _, col := range sortedKeys(row) {
		v := row[col]
		if v == nil {
			v = "NULL"
		}
		parts = append(parts, fmt.Sprintf("%s=%v", col, v))
	}
	return strings.Join(parts, ", ")
}
