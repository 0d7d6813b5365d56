package derivaml

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/cyclezero/cyclezero/catalog"
)

var nestedExecutionRef = catalog.TableRef{Schema: MLSchema, Table: TableExecutionNested}

// AddNestedExecution records child as a nested execution of parent (a
// multirun's job under its parent), with an order within the parent;
// sequence < 0 stores NULL, meaning parallel siblings. Both executions
// must exist; nesting an execution under itself or under one of its own
// descendants fails with *ExecutionCycleError. Recording a pair that is
// already recorded with the same sequence does nothing; with another
// sequence it fails (catalog.ErrConflict) rather than silently keep
// either.
func (m *ML) AddNestedExecution(ctx context.Context, parent, child string, sequence int) error {
	parent, child = normRID(parent), normRID(child)
	if parent == child {
		return &ExecutionCycleError{Nodes: []string{parent, parent}}
	}
	var seq any
	if sequence >= 0 {
		seq = int64(sequence)
	}
	if err := m.executionsExist(ctx, parent, child); err != nil {
		return fmt.Errorf("nest execution %s under %s: %w", child, parent, err)
	}
	existing, err := m.store.Query(ctx, catalog.Query{Table: nestedExecutionRef, Limit: 1,
		Where: catalog.And{catalog.Eq{Column: "Execution", Value: parent}, catalog.Eq{Column: "Nested_Execution", Value: child}}})
	if err != nil {
		return fmt.Errorf("nest execution %s under %s: %w", child, parent, err)
	}
	if len(existing) > 0 {
		if have := existing[0]["Sequence"]; have != seq {
			return fmt.Errorf("execution %s is already nested under %s with sequence %s, not %s: %w",
				child, parent, sequenceText(have), sequenceText(seq), catalog.ErrConflict)
		}
		return nil
	}
	nodes, err := m.findCycle(ctx, nesting{nestedExecutionRef, "Execution", "Nested_Execution"}, parent, []string{child})
	if err != nil {
		return fmt.Errorf("check execution %s for nesting cycles: %w", parent, err)
	}
	if nodes != nil {
		return &ExecutionCycleError{Nodes: nodes}
	}
	row := catalog.Row{"Execution": parent, "Nested_Execution": child, "Sequence": seq}
	// A concurrent writer recording the same pair is not an error.
	if _, err := m.store.Insert(ctx, nestedExecutionRef, []catalog.Row{row}, catalog.InsertOptions{OnConflictSkip: true}); err != nil {
		return fmt.Errorf("nest execution %s under %s: %w", child, parent, err)
	}
	return nil
}

// sequenceText renders a Sequence value for messages.
func sequenceText(v any) string {
	if v == nil {
		return "none (parallel)"
	}
	return fmt.Sprint(v)
}

// executionsExist fails, naming the first missing one, unless every RID is
// an Execution.
func (m *ML) executionsExist(ctx context.Context, rids ...string) error {
	rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: executionRef, Select: []string{catalog.ColRID}}, catalog.ColRID, uniq(rids))
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, r := range rows {
		have[r.RID()] = true
	}
	for _, r := range rids {
		if !have[r] {
			return fmt.Errorf("Execution %s not found: %w", r, catalog.ErrNotFound)
		}
	}
	return nil
}

// NestedExecutions lists the children of an execution, in Sequence order
// (parallel siblings last), with one read for the links and one for the rows
// (list_execution_children).
func (m *ML) NestedExecutions(ctx context.Context, parent string) ([]Execution, error) {
	links, err := queryAll(ctx, m.store, catalog.Query{Table: nestedExecutionRef, Where: catalog.Eq{Column: "Execution", Value: normRID(parent)}})
	if err != nil {
		return nil, err
	}
	seq := func(r catalog.Row) int64 {
		if n, ok := r["Sequence"].(int64); ok {
			return n
		}
		return 1 << 62
	}
	slices.SortStableFunc(links, func(a, b catalog.Row) int { return cmp.Compare(seq(a), seq(b)) })
	return m.linkedExecutions(ctx, links, "Nested_Execution")
}

// ExecutionParents lists the executions a child is nested under, in RID
// order (list_execution_parents), with one read for the links and one for
// the rows.
func (m *ML) ExecutionParents(ctx context.Context, child string) ([]Execution, error) {
	links, err := queryAll(ctx, m.store, catalog.Query{Table: nestedExecutionRef, Where: catalog.Eq{Column: "Nested_Execution", Value: normRID(child)}})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(links, func(a, b catalog.Row) int { return cmp.Compare(a.String("Execution"), b.String("Execution")) })
	return m.linkedExecutions(ctx, links, "Execution")
}

// linkedExecutions reads the executions that column of links names, in
// the links' order.
func (m *ML) linkedExecutions(ctx context.Context, links []catalog.Row, column string) ([]Execution, error) {
	var rids []string
	for _, l := range links {
		rids = append(rids, l.String(column))
	}
	rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: executionRef}, catalog.ColRID, rids)
	if err != nil {
		return nil, err
	}
	byRID := map[string]Execution{}
	for _, r := range rows {
		byRID[r.RID()] = executionFromRow(r)
	}
	out := make([]Execution, 0, len(rids))
	for _, rid := range uniq(rids) {
		if e, ok := byRID[rid]; ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// FindExecutions lists a workflow's executions, oldest first.
func (m *ML) FindExecutions(ctx context.Context, workflow string) ([]Execution, error) {
	rows, err := queryAll(ctx, m.store, catalog.Query{Table: executionRef, Where: catalog.Eq{Column: "Workflow", Value: normRID(workflow)}})
	if err != nil {
		return nil, err
	}
	out := make([]Execution, len(rows))
	for i, r := range rows {
		out[i] = executionFromRow(r)
	}
	return out, nil
}
