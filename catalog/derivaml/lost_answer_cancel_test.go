package derivaml_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// cancellingStore is the user pressing ctrl+c while a write is in flight:
// it applies its cancelAt-th write (counting from 1), then cancels the
// change's context and reports the context's error, as the ERMrest client
// does for a request the context ended. Like the client, it refuses every
// request whose context has already ended, before sending it.
type cancellingStore struct {
	catalog.Store
	cancelAt int64
	cancel   context.CancelFunc
	writes   atomic.Int64
	unsent   atomic.Int64 // writes refused because their context had ended
}

func (s *cancellingStore) ended(ctx context.Context, op string, write bool) error {
	if err := ctx.Err(); err != nil {
		if write {
			s.unsent.Add(1)
		}
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

func (s *cancellingStore) write(ctx context.Context, op string, do func() error) error {
	if err := s.ended(ctx, op, true); err != nil {
		return err
	}
	if err := do(); err != nil || s.writes.Add(1) != s.cancelAt {
		return err
	}
	s.cancel()
	return fmt.Errorf("%s: %w", op, ctx.Err())
}

func (s *cancellingStore) Insert(ctx context.Context, t catalog.TableRef, rows []catalog.Row, o catalog.InsertOptions) ([]catalog.Row, error) {
	var out []catalog.Row
	err := s.write(ctx, "POST "+t.String(), func() (err error) {
		out, err = s.Store.Insert(ctx, t, rows, o)
		return err
	})
	return out, err
}

func (s *cancellingStore) Update(ctx context.Context, t catalog.TableRef, u catalog.UpdateSpec, rows []catalog.Row) ([]catalog.Row, error) {
	var out []catalog.Row
	err := s.write(ctx, "PUT "+t.String(), func() (err error) {
		out, err = s.Store.Update(ctx, t, u, rows)
		return err
	})
	return out, err
}

func (s *cancellingStore) Delete(ctx context.Context, t catalog.TableRef, where catalog.Filter) error {
	return s.write(ctx, "DELETE "+t.String(), func() error { return s.Store.Delete(ctx, t, where) })
}

func (s *cancellingStore) Query(ctx context.Context, q catalog.Query) ([]catalog.Row, error) {
	if err := s.ended(ctx, "GET "+q.Table.String(), false); err != nil {
		return nil, err
	}
	return s.Store.Query(ctx, q)
}

func (s *cancellingStore) Snapshot(ctx context.Context) (string, error) {
	if err := s.ended(ctx, "GET catalog", false); err != nil {
		return "", err
	}
	return s.Store.Snapshot(ctx)
}

// A ctrl+c while a write is in flight is settled like any lost answer: the
// write is read back (under a short grace context, since the change's own
// has ended), and the change is then either complete or undone; the
// outcome is not reported unknown for want of a read. Writes after the
// cancel are not sent at all.
func TestCancelDuringAWriteIsSettled(t *testing.T) {
	t.Parallel()
	ml, _, _, _ := memberCatalog(t)
	datasets := func(t *testing.T) int {
		all, err := ml.FindDatasets(context.Background(), true)
		require.NoError(t, err)
		return len(all)
	}
	// CreateDataset writes the Dataset row (nothing to read it back by),
	// the type row, the version row, the pointer and the snapshot.
	for cancelAt := int64(2); cancelAt <= 5; cancelAt++ {
		before := datasets(t)
		ctx, cancel := context.WithCancel(context.Background())
		cs := &cancellingStore{Store: ml.Store(), cancelAt: cancelAt, cancel: cancel}
		ds, err := derivaml.New(cs, "demo").CreateDataset(ctx, derivaml.NewDataset{Types: []string{"Training"}, Description: "cut"})
		cancel()
		assert.Zero(t, cs.unsent.Load(), "write %d: a write after the cancel is not handed to the store", cancelAt)
		var unknown *derivaml.OutcomeUnknownError
		assert.False(t, errors.As(err, &unknown), "write %d: read back after the cancel: %v", cancelAt, err)
		if cancelAt == 5 {
			// The last write took effect: the change is complete.
			require.NoError(t, err)
			got, err := ml.LookupDataset(context.Background(), ds.RID)
			require.NoError(t, err)
			assert.Equal(t, []string{"Training"}, got.Types)
			assert.Equal(t, "0.1.0", got.Version)
			continue
		}
		require.ErrorIs(t, err, context.Canceled, "write %d", cancelAt)
		assert.Regexp(t, `; rolled back the partly created dataset \S+$`, err.Error(), "write %d", cancelAt)
		assert.Equal(t, before, datasets(t), "write %d: the partly created dataset is removed", cancelAt)
	}
}
