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
// already nested (at any depth) under a child. It walks Dataset_Dataset
// downward from the children breadth-first, one batched read per level,
// and returns a *CycleError naming the cycle.
//
// DerivaML's own check (add_dataset_members) instead refuses a child that
// is the parent or one of the parent's descendants, which misses A→B→A;
// this one refuses exactly the additions that close a cycle.
func (m *ML) checkNoCycle(ctx context.Context, parent string, children []string) error {
	if len(children) == 0 {
		return nil
	}
	if slices.Contains(children, parent) {
		return &CycleError{Nodes: []string{parent, parent}}
	}
	// via[d] is the dataset whose child d is, on the path from a new child.
	via := map[string]string{}
	for _, c := range children {
		via[c] = ""
	}
	frontier := uniq(children)
	for len(frontier) > 0 {
		edges, err := queryAnyOf(ctx, m.store, catalog.Query{Table: datasetDatasetRef,
			Select: []string{catalog.ColRID, "Dataset", "Nested_Dataset"}}, "Dataset", frontier)
		if err != nil {
			return fmt.Errorf("check dataset %s for nesting cycles: %w", parent, err)
		}
		var next []string
		for _, e := range edges {
			from, to := e.String("Dataset"), e.String("Nested_Dataset")
			if to == parent {
				return &CycleError{Nodes: cyclePath(parent, from, via)}
			}
			if _, seen := via[to]; !seen {
				via[to] = from
				next = append(next, to)
			}
		}
		frontier = next
	}
	return nil
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
