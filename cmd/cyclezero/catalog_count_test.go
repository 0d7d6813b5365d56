package main

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

// countingStore answers counts for ls: each table's count is its number
// in the model, one table refuses, and it records how many counts were in
// flight at once. The first countConcurrency counts wait for each other,
// so a count that is not concurrent never gets past them.
type countingStore struct {
	catalog.Store // nil: only Snapshot and Count are called
	mu            sync.Mutex
	inFlight      int
	peak          int
	arrived       int
	together      chan struct{}
	refuse        string
}

func (s *countingStore) Snapshot(context.Context) (string, error) { return "2TA-SNAP", nil }

func (s *countingStore) Count(ctx context.Context, g catalog.GroupQuery) ([]catalog.GroupCount, error) {
	s.mu.Lock()
	s.inFlight++
	s.peak = max(s.peak, s.inFlight)
	s.arrived++
	if s.arrived == countConcurrency {
		close(s.together)
	}
	s.mu.Unlock()
	defer func() { s.mu.Lock(); s.inFlight--; s.mu.Unlock() }()
	select {
	case <-s.together:
	case <-time.After(10 * time.Second): // a hang guard, not a measurement
		return nil, fmt.Errorf("count %s: the first %d counts never ran at once", g.Table, countConcurrency)
	}
	if g.At != "2TA-SNAP" {
		return nil, fmt.Errorf("count %s at %q, not the one snapshot", g.Table, g.At)
	}
	if g.Table.Table == s.refuse {
		return nil, &catalog.Error{Kind: catalog.ErrForbidden, Op: "count " + g.Table.String()}
	}
	var n int64
	_, err := fmt.Sscanf(g.Table.Table, "T%d", &n)
	return []catalog.GroupCount{{Count: n}}, err
}

// ls counts several tables at once, never more than countConcurrency,
// every one at the same snapshot, and lists them in the model's order
// whatever order the answers came in.
func TestCountTablesConcurrently(t *testing.T) {
	t.Parallel()
	model := &catalog.Model{Schemas: map[string]*catalog.Schema{"s": {Name: "s", Tables: map[string]*catalog.Table{}}}}
	const tables = 40
	for i := range tables {
		name := fmt.Sprintf("T%02d", i)
		model.Schemas["s"].Tables[name] = &catalog.Table{SchemaName: "s", Name: name}
	}
	store := &countingStore{together: make(chan struct{}), refuse: "T07"}
	rows, refused, err := countTables(context.Background(), store, model, "cyclezero catalog ls")
	require.NoError(t, err)
	assert.Equal(t, countConcurrency, store.peak)
	require.Len(t, rows, tables)
	for i, r := range rows {
		assert.Equal(t, fmt.Sprintf("T%02d", i), r.Table)
		if i == 7 {
			assert.Nil(t, r.Rows)
			continue
		}
		require.NotNil(t, r.Rows, r.Table)
		assert.Equal(t, int64(i), *r.Rows)
	}
	require.NotNil(t, refused)
	assert.Equal(t, []string{"s:T07"}, refused.tables)
}
