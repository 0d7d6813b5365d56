package derivaml

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

type ctxKey struct{}

// After the change's context ended, the read-back runs under a live
// context with the same values that gives up within settleTimeout.
func TestSettleReadsBackAfterTheContextEnded(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), ctxKey{}, "v"))
	cancel()
	var checked bool
	ok, err := settle(ctx, fmt.Errorf("POST x: %w", context.Canceled), "whether x exists", func(rctx context.Context) (bool, error) {
		checked = true
		require.NoError(t, rctx.Err(), "the read-back's context is live")
		deadline, has := rctx.Deadline()
		require.True(t, has, "the read-back is bounded")
		assert.False(t, deadline.After(time.Now().Add(settleTimeout)))
		assert.Equal(t, "v", rctx.Value(ctxKey{}))
		return true, nil
	})
	require.True(t, checked)
	require.NoError(t, err)
	assert.True(t, ok)

	// Undoing after it, too.
	err = rollBack(ctx, errors.New("refused"), "the row", func(uctx context.Context) error { return uctx.Err() })
	assert.EqualError(t, err, "refused; rolled back the row")
}

// A write whose context had ended before it was sent is not read back: it
// was not applied.
func TestAWriteNotSentIsNotReadBack(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ml := New(nil, "demo")
	_, err := ml.store.Insert(ctx, datasetRef, []catalog.Row{{"Description": "x"}}, catalog.InsertOptions{})
	require.ErrorIs(t, err, context.Canceled)
	assert.EqualError(t, err, "insert into deriva-ml:Dataset: not sent: context canceled")
	ok, serr := settle(ctx, err, "whether x exists", func(context.Context) (bool, error) {
		t.Error("a write never sent is read back")
		return false, nil
	})
	assert.False(t, ok)
	assert.Same(t, err, serr)
}
