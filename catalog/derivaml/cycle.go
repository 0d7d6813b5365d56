package derivaml

import (
	"context"
	"fmt"
	"slices"

	"github.com/cyclezero/cyclezero/catalog"
)

var datasetDatasetRef = catalog.TableRef{Schema: MLSchema, Table: TableDatasetDataset}

// checkNoCycle refuses to nest children under parent when that would make
// a dataset contain itself: when a child is the parent, or the parent is
// already nested (at any depth) under a child. It returns a *CycleError
// naming the cycle.
//
// DerivaML's own check (add_dataset_members) instead refuses a child that
// is the parent or one of the parent's descendants, which misses A→B→A;
// this one refuses exactly the additions that close a cycle.
func (m *ML) checkNoCycle(ctx context.Context, parent string, children []string) error {
	nodes, err := m.findCycle(ctx, nesting{datasetDatasetRef, "Dataset", "Nested_Dataset"}, parent, children)
	if err != nil {
		return fmt.Errorf("check dataset %s for nesting cycles: %w", parent, err)
	}
	if nodes != nil {
		return &CycleError{Nodes: nodes}
	}
	return nil
}

// nesting is an association table of parent → child edges.
type nesting struct {
	table         catalog.TableRef
	parent, child string // its columns
}

// findCycle returns the cycle that adding the edges parent → children
// would close — parent, a new child, …, parent — or nil when there is
// none. It walks the edges downward from the children breadth-first, one
// batched read per level, and stops at nodes already seen, so cycles
// already in the catalog (written by other clients) cannot trap it.
func (m *ML) findCycle(ctx context.Context, n nesting, parent string, children []string) ([]string, error) {
	if len(children) == 0 {
		return nil, nil
	}
	if slices.Contains(children, parent) {
		return []string{parent, parent}, nil
	}
	// via[d] is the node whose child d is, on the path from a new child.
	via := map[string]string{}
	for _, c := range children {
		via[c] = ""
	}
	frontier := uniq(children)
	for len(frontier) > 0 {
		edges, err := queryAnyOf(ctx, m.store, catalog.Query{Table: n.table,
			Select: []string{catalog.ColRID, n.parent, n.child}}, n.parent, frontier)
		if err != nil {
			return nil, err
		}
		var next []string
		for _, e := range edges {
			from, to := e.String(n.parent), e.String(n.child)
			if to == parent {
				return cyclePath(parent, from, via), nil
			}
			if _, seen := via[to]; !seen {
				via[to] = from
				next = append(next, to)
			}
		}
		frontier = next
	}
	return nil, nil
}

// cyclePath is parent → new child → … → last → parent, following via back
// from last to the new child it was reached from.
func cyclePath(parent, last string, via map[string]string) []string {
	var back []string
	for d := last; d != ""; d = via[d] {
		back = append(back, d)
	}
	slices.Reverse(back)
	return append(append([]string{parent}, back...), parent)
}
