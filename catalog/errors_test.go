package catalog_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/catalog"
)

// hinted is a wrapper that knows a better fix than the error it wraps.
type hinted struct {
	err error
	fix string
}

func (h hinted) Error() string { return h.err.Error() }
func (h hinted) Unwrap() error { return h.err }
func (h hinted) Hint() string  { return h.fix }

// Hint prefers the outermost wrapper's Hint over the catalog error's Fix,
// and the wrapped kind still matches.
func TestHintOutermostWins(t *testing.T) {
	t.Parallel()
	ce := &catalog.Error{Kind: catalog.ErrConflict, Op: "POST /x", Fix: "retry"}
	assert.Equal(t, "retry", catalog.Hint(fmt.Errorf("add: %w", ce)))
	assert.Empty(t, catalog.Hint(errors.New("plain")))

	inner := hinted{err: ce, fix: "inner fix"}
	outer := fmt.Errorf("add: %w", hinted{err: fmt.Errorf("wrap: %w", inner), fix: "outer fix"})
	assert.Equal(t, "outer fix", catalog.Hint(outer))
	assert.Equal(t, "inner fix", catalog.Hint(inner))
	assert.ErrorIs(t, outer, catalog.ErrConflict)
	assert.Equal(t, "no catalog error needed", catalog.Hint(hinted{err: errors.New("x"), fix: "no catalog error needed"}))
}

// NotApplied follows the chain to the catalog error's mark, and an
// unmarked ErrUnavailable (an answer lost in flight) stays open.
func TestNotApplied(t *testing.T) {
	t.Parallel()
	busy := &catalog.Error{Kind: catalog.ErrUnavailable, Op: "insert", NotApplied: true}
	assert.True(t, catalog.NotApplied(fmt.Errorf("add members: %w", busy)))
	assert.False(t, catalog.NotApplied(&catalog.Error{Kind: catalog.ErrUnavailable, Op: "POST /x"}))
	assert.False(t, catalog.NotApplied(errors.New("plain")))
	assert.False(t, catalog.NotApplied(nil))
}
