package derivaml_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// executions creates n executions of one workflow.
func executions(t *testing.T, ml *derivaml.ML, n int) []string {
	t.Helper()
	ctx := context.Background()
	wf := mustWorkflow(t, ml)
	out := make([]string, n)
	for i := range out {
		e, err := ml.CreateExecution(ctx, wf, "run")
		require.NoError(t, err)
		out[i] = e.RID
	}
	return out
}

func rids(es []derivaml.Execution) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.RID)
	}
	return out
}

// An execution cannot be nested under itself or under its own
// descendants, whatever the RIDs' spelling; nothing is written then.
func TestNestedExecutionRefusesCycles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	e := executions(t, ml, 3)
	a, b, c := e[0], e[1], e[2]
	var cyc *derivaml.ExecutionCycleError

	err := ml.AddNestedExecution(ctx, a, strings.ToLower(a), 0)
	require.True(t, errors.As(err, &cyc), "self-nesting: %v", err)
	assert.Equal(t, []string{a, a}, cyc.Nodes)
	assert.EqualError(t, err, "execution "+a+" cannot be nested under itself")

	require.NoError(t, ml.AddNestedExecution(ctx, a, b, 0))
	err = ml.AddNestedExecution(ctx, b, a, 0)
	require.True(t, errors.As(err, &cyc), "2-cycle: %v", err)
	assert.Equal(t, []string{b, a, b}, cyc.Nodes)
	assert.Contains(t, err.Error(), a+" already contains "+b)

	require.NoError(t, ml.AddNestedExecution(ctx, b, c, 0))
	err = ml.AddNestedExecution(ctx, c, a, 0)
	require.True(t, errors.As(err, &cyc), "3-cycle: %v", err)
	assert.Equal(t, []string{c, a, b, c}, cyc.Nodes)

	require.NoError(t, ml.AddNestedExecution(ctx, a, c, 1), "a shortcut to a descendant is no cycle")
	parents, err := ml.ExecutionParents(ctx, c)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{a, b}, rids(parents))
	parents, err = ml.ExecutionParents(ctx, a)
	require.NoError(t, err)
	assert.Empty(t, parents, "the refused nestings left no rows")
}

// Recording a nesting again is a no-op; with another sequence it is a
// conflict naming both; a missing execution is named rather than left to
// a foreign-key error.
func TestNestedExecutionDuplicatesAndMissing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	e := executions(t, ml, 2)
	parent, child := e[0], e[1]
	require.NoError(t, ml.AddNestedExecution(ctx, parent, child, 2))
	require.NoError(t, ml.AddNestedExecution(ctx, strings.ToLower(parent), child, 2), "the same pair again is a no-op")
	err := ml.AddNestedExecution(ctx, parent, child, -1)
	require.ErrorIs(t, err, catalog.ErrConflict)
	assert.Contains(t, err.Error(), "already nested under "+parent+" with sequence 2, not none (parallel)")
	kids, err := ml.NestedExecutions(ctx, parent)
	require.NoError(t, err)
	assert.Equal(t, []string{child}, rids(kids))

	err = ml.AddNestedExecution(ctx, parent, "1-ZZZZ", 0)
	require.ErrorIs(t, err, catalog.ErrNotFound)
	assert.Contains(t, err.Error(), "Execution 1-ZZZZ not found")
}

// ExecutionParents is list_execution_parents: the executions a child is
// nested under, in RID order; lower-case RIDs find the same rows.
func TestExecutionParents(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	e := executions(t, ml, 4)
	p1, p2, child, lone := e[0], e[1], e[2], e[3]
	require.NoError(t, ml.AddNestedExecution(ctx, p2, child, 0))
	require.NoError(t, ml.AddNestedExecution(ctx, p1, child, -1))
	parents, err := ml.ExecutionParents(ctx, strings.ToLower(child))
	require.NoError(t, err)
	assert.Equal(t, []string{p1, p2}, rids(parents))
	kids, err := ml.NestedExecutions(ctx, strings.ToLower(p1))
	require.NoError(t, err)
	assert.Equal(t, []string{child}, rids(kids))
	parents, err = ml.ExecutionParents(ctx, lone)
	require.NoError(t, err)
	assert.Empty(t, parents)
}
