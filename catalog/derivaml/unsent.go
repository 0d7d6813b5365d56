package derivaml

import (
	"context"

	"github.com/cyclezero/cyclezero/catalog"
)

// unsentGuard is the store ML writes through. A write whose context has
// already ended is not sent and fails with a notSentError, which settle
// knows was not applied, so nothing is read back for it. (A write the
// context ends while it is in flight may have been applied; the store
// reports the context's error and settle reads it back.)
type unsentGuard struct{ catalog.Store }

// notSentError is a write not sent because its context had already
// ended. errors.Is matches the context's error (context.Canceled or
// context.DeadlineExceeded).
type notSentError struct {
	op  string // what was not sent, e.g. "insert into deriva-ml:Dataset"
	err error  // the context's error
}

func (e *notSentError) Error() string { return e.op + ": not sent: " + e.err.Error() }

func (e *notSentError) Unwrap() error { return e.err }

func unsent(ctx context.Context, op string) error {
	if err := ctx.Err(); err != nil {
		return &notSentError{op: op, err: err}
	}
	return nil
}

func (g unsentGuard) Create(ctx context.Context, change catalog.ModelChange) error {
	if err := unsent(ctx, "change the model"); err != nil {
		return err
	}
	return g.Store.Create(ctx, change)
}

func (g unsentGuard) Insert(ctx context.Context, t catalog.TableRef, rows []catalog.Row, opts catalog.InsertOptions) ([]catalog.Row, error) {
	if err := unsent(ctx, "insert into "+t.String()); err != nil {
		return nil, err
	}
	return g.Store.Insert(ctx, t, rows, opts)
}

func (g unsentGuard) Update(ctx context.Context, t catalog.TableRef, u catalog.UpdateSpec, rows []catalog.Row) ([]catalog.Row, error) {
	if err := unsent(ctx, "update "+t.String()); err != nil {
		return nil, err
	}
	return g.Store.Update(ctx, t, u, rows)
}

func (g unsentGuard) Delete(ctx context.Context, t catalog.TableRef, where catalog.Filter) error {
	if err := unsent(ctx, "delete from "+t.String()); err != nil {
		return err
	}
	return g.Store.Delete(ctx, t, where)
}

// PageByRID keeps the store's own paging (catalog.RIDPager) in sight
// through the guard: embedding catalog.Store hides it, and catalog.QueryAll
// would then page a query the ERMrest client splits into several requests
// by merging them, sending every request again on every page (requests
// quadratic in the number of RIDs) and risking rows skipped where the
// server orders RIDs differently. QueryAll on the store itself uses its
// PageByRID when it has one.
func (g unsentGuard) PageByRID(ctx context.Context, q catalog.Query, fn func([]catalog.Row) error) error {
	return catalog.QueryAll(ctx, g.Store, q, q.Limit, fn)
}
