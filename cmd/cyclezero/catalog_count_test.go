package main

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

// countingStore answers counts for ls: each table's count is its number
// in the model, one table refuses. Every count waits at gate until the
// test opens it, counting how many have arrived, so the test sees how many
// ls started at once.
type countingStore struct {
	catalog.Store // nil: only Snapshot and Count are called
	mu            sync.Mutex
	arrived       int
	gate          chan struct{}
	refuse        string
}

func (s *countingStore) Snapshot(context.Context) (string, error) { return "2TA-SNAP", nil }

func (s *countingStore) Count(ctx context.Context, g catalog.GroupQuery) ([]catalog.GroupCount, error) {
	s.mu.Lock()
	s.arrived++
	s.mu.Unlock()
	<-s.gate
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

// ls counts several tables at once, exactly countConcurrency while they
// are all waiting (synctest.Wait: every goroutine of the bubble is
// blocked, so no count is still on its way), every one at the same
// snapshot, and lists them in the model's order whatever order the
// answers came in.
func TestCountTablesConcurrently(t *testing.T) {
	t.Parallel()
	model := &catalog.Model{Schemas: map[string]*catalog.Schema{"s": {Name: "s", Tables: map[string]*catalog.Table{}}}}
	const tables = 40
	for i := range tables {
		name := fmt.Sprintf("T%02d", i)
		model.Schemas["s"].Tables[name] = &catalog.Table{SchemaName: "s", Name: name}
	}
	synctest.Test(t, func(t *testing.T) {
		store := &countingStore{gate: make(chan struct{}), refuse: "T07"}
		type result struct {
			rows    []tableRow
			refused *refusedCounts
			err     error
		}
		done := make(chan result, 1)
		go func() {
			rows, refused, err := countTables(context.Background(), store, model, "cyclezero catalog ls")
			done <- result{rows, refused, err}
		}()
		synctest.Wait()
		store.mu.Lock()
		arrived := store.arrived
		store.mu.Unlock()
		assert.Equal(t, countConcurrency, arrived, "counts started before any answered")
		close(store.gate)

		res := <-done
		require.NoError(t, res.err)
		assert.Equal(t, tables, store.arrived, "every table counted")
		require.Len(t, res.rows, tables)
		for i, r := range res.rows {
			assert.Equal(t, fmt.Sprintf("T%02d", i), r.Table)
			if i == 7 {
				assert.Nil(t, r.Rows)
				continue
			}
			require.NotNil(t, r.Rows, r.Table)
			assert.Equal(t, int64(i), *r.Rows)
		}
		require.NotNil(t, res.refused)
		assert.Equal(t, []string{"s:T07"}, res.refused.tables)
	})
}
