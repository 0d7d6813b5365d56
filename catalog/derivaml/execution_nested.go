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
// sequence < 0 stores NULL, meaning parallel siblings.
func (m *ML) AddNestedExecution(ctx context.Context, parent, child string, sequence int) error {
	row := catalog.Row{"Execution": parent, "Nested_Execution": child, "Sequence": nil}
	if sequence >= 0 {
		row["Sequence"] = int64(sequence)
	}
	if _, err := m.store.Insert(ctx, nestedExecutionRef, []catalog.Row{row}, catalog.InsertOptions{}); err != nil {
		return fmt.Errorf("nest execution %s under %s: %w", child, parent, err)
	}
	return nil
}

// NestedExecutions lists the children of an execution, in Sequence order
// (parallel siblings last), with one read for the links and one for the rows.
func (m *ML) NestedExecutions(ctx context.Context, parent string) ([]Execution, error) {
	links, err := queryAll(ctx, m.store, catalog.Query{Table: nestedExecutionRef, Where: catalog.Eq{Column: "Execution", Value: parent}})
	if err != nil {
		return nil, err
	}
	var rids []string
	for _, l := range links {
		rids = append(rids, l.String("Nested_Execution"))
	}
	rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: executionRef}, catalog.ColRID, rids)
	if err != nil {
		return nil, err
	}
	byRID := map[string]Execution{}
	for _, r := range rows {
		byRID[r.RID()] = executionFromRow(r)
	}
	ordered := make([]catalog.Row, len(links))
	copy(ordered, links)
	seq := func(r catalog.Row) int64 {
		if n, ok := r["Sequence"].(int64); ok {
			return n
		}
		return 1 << 62
	}
	slices.SortStableFunc(ordered, func(a, b catalog.Row) int { return cmp.Compare(seq(a), seq(b)) })
	out := make([]Execution, 0, len(ordered))
	for _, l := range ordered {
		if e, ok := byRID[l.String("Nested_Execution")]; ok {
			out = append(out, e)
		}
	}
	return out, nil
}

// FindExecutions lists a workflow's executions, oldest first.
func (m *ML) FindExecutions(ctx context.Context, workflow string) ([]Execution, error) {
	rows, err := queryAll(ctx, m.store, catalog.Query{Table: executionRef, Where: catalog.Eq{Column: "Workflow", Value: workflow}})
	if err != nil {
		return nil, err
	}
	out := make([]Execution, len(rows))
	for i, r := range rows {
		out[i] = executionFromRow(r)
	}
	return out, nil
}
