package derivaml

import (
	"context"
	"fmt"
	"slices"

	"github.com/cyclezero/cyclezero/catalog"
)

// DeleteDataset marks a dataset deleted (DerivaML soft-deletes; the rows
// stay so provenance and citations resolve). A dataset already deleted is
// not found, as DerivaML's lookup before delete_dataset reports it. A
// dataset another dataset contains is refused with a NestedDatasetError,
// as delete_dataset does: DerivaML counts every Dataset_Dataset row
// naming it, a deleted parent's too.
func (m *ML) DeleteDataset(ctx context.Context, rid string) error {
	return m.deleteDataset(ctx, rid, false)
}

// DeleteDatasetRecursive is DeleteDataset that also marks every live
// dataset nested in it, at any depth, deleted, in the same single update
// (delete_dataset(recurse=True)). Only the dataset itself is checked for
// parents, as in DerivaML.
//
// DerivaML documents recurse as deleting "all nested child datasets" but
// its code marks only the direct children; this follows the documentation,
// so no nested dataset is left live under a deleted one.
func (m *ML) DeleteDatasetRecursive(ctx context.Context, rid string) error {
	return m.deleteDataset(ctx, rid, true)
}

func (m *ML) deleteDataset(ctx context.Context, rid string, recurse bool) error {
	rid = normRID(rid)
	if err := m.requireLiveDataset(ctx, rid); err != nil {
		return err
	}
	links, err := queryAll(ctx, m.store, catalog.Query{Table: datasetDatasetRef, Select: []string{catalog.ColRID, "Dataset"},
		Where: catalog.Eq{Column: "Nested_Dataset", Value: rid}})
	if err != nil {
		return fmt.Errorf("delete dataset %s: list the datasets containing it: %w", rid, err)
	}
	if len(links) > 0 {
		parents := make([]string, len(links))
		for i, l := range links {
			parents[i] = l.String("Dataset")
		}
		slices.Sort(parents)
		return &NestedDatasetError{RID: rid, Parents: slices.Compact(parents)}
	}
	targets := []string{rid}
	if recurse {
		nested, err := m.liveDescendants(ctx, rid)
		if err != nil {
			return fmt.Errorf("delete dataset %s: %w", rid, err)
		}
		targets = append(targets, nested...)
	}
	set := make([]catalog.Row, len(targets))
	for i, r := range targets {
		set[i] = catalog.Row{catalog.ColRID: r, "Deleted": true}
	}
	rows, err := m.store.Update(ctx, datasetRef, catalog.UpdateSpec{Match: []string{catalog.ColRID}, Set: []string{"Deleted"}}, set)
	if err != nil {
		return fmt.Errorf("delete dataset %s: %w", rid, err)
	}
	if !slices.Contains(rowRIDs(rows), rid) {
		return &DatasetNotFoundError{RID: rid}
	}
	return nil
}

// liveDescendants lists the datasets nested in rid at any depth that are
// not deleted, breadth-first, with one batched read per level; a node seen
// before is not walked again, so a cycle written by another client ends
// the walk.
func (m *ML) liveDescendants(ctx context.Context, rid string) ([]string, error) {
	seen := map[string]bool{rid: true}
	var all []string
	for frontier := []string{rid}; len(frontier) > 0; {
		links, err := queryAnyOf(ctx, m.store, catalog.Query{Table: datasetDatasetRef,
			Select: []string{catalog.ColRID, "Dataset", "Nested_Dataset"}}, "Dataset", frontier)
		if err != nil {
			return nil, fmt.Errorf("list nested datasets: %w", err)
		}
		frontier = nil
		for _, l := range links {
			if c := l.String("Nested_Dataset"); !seen[c] {
				seen[c] = true
				frontier = append(frontier, c)
				all = append(all, c)
			}
		}
	}
	live, err := queryAnyOf(ctx, m.store, catalog.Query{Table: datasetRef, Select: []string{catalog.ColRID}, Where: notDeleted},
		catalog.ColRID, all)
	if err != nil {
		return nil, fmt.Errorf("read nested datasets: %w", err)
	}
	isLive := map[string]bool{}
	for _, r := range live {
		isLive[r.RID()] = true
	}
	return slices.DeleteFunc(all, func(r string) bool { return !isLive[r] }), nil
}

// NestedDatasetError is delete_dataset's refusal to delete a dataset that
// other datasets contain. Parents are their RIDs, sorted. It is a
// conflict: errors.Is(err, catalog.ErrConflict) holds.
type NestedDatasetError struct {
	RID     string
	Parents []string
}

// Error renders DerivaML's message and what to do about it. DerivaML
// prints the dataset and its parents as Dataset objects, whose repr holds
// a memory address; their RIDs stand in, as DerivaML's earlier releases
// printed them.
func (e *NestedDatasetError) Error() string {
	return fmt.Sprintf(`Dataset "%s" is in a nested dataset: %s. Remove it from those datasets first, `+
		"or delete a containing dataset together with its nested datasets.", e.RID, pyList(e.Parents))
}

// Unwrap gives the error's kind without adding its words to the message.
func (e *NestedDatasetError) Unwrap() error { return catalog.ErrConflict }
