package derivaml

// Writes of dataset changes whose lost answer is settled by reading back
// what they would have written (see settle).

import (
	"context"
	"fmt"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// insertVersionRow inserts a Dataset_Version row and returns its RID. A
// lost answer is settled by reading back the dataset's row of that label.
func (m *ML) insertVersionRow(ctx context.Context, row catalog.Row) (string, error) {
	rows, err := m.store.Insert(ctx, datasetVersionRef, []catalog.Row{row}, catalog.InsertOptions{})
	if err == nil {
		return rows[0].RID(), nil
	}
	rid, label := row.String("Dataset"), row.String("Version")
	ok, err := settle(ctx, err, fmt.Sprintf("whether dataset %s has a version %s", rid, label), func(ctx context.Context) (bool, error) {
		rows, err = m.rowsAt(ctx, datasetVersionRef, catalog.And{catalog.Eq{Column: "Dataset", Value: rid},
			catalog.Eq{Column: "Version", Value: label}})
		return len(rows) == 1, err
	})
	if !ok {
		return "", err
	}
	return rows[0].RID(), nil
}

// pointAtVersion sets a dataset's current version. A lost answer is
// settled by reading the pointer back.
func (m *ML) pointAtVersion(ctx context.Context, rid, vrid string) error {
	_, err := m.store.Update(ctx, datasetRef, catalog.UpdateSpec{Match: []string{catalog.ColRID}, Set: []string{"Version"}},
		[]catalog.Row{{catalog.ColRID: rid, "Version": vrid}})
	if err == nil {
		return nil
	}
	_, err = settle(ctx, err, fmt.Sprintf("whether dataset %s's Version is %s", rid, vrid),
		func(ctx context.Context) (bool, error) {
			return m.rowHas(ctx, datasetRef, rid, catalog.Row{"Version": vrid})
		})
	return err
}

// settleTypes settles a lost answer to adding (added) or removing a
// dataset's type rows by reading them back; it returns true, and the rows
// read (those of names there now), when the change took effect.
func (m *ML) settleTypes(ctx context.Context, err error, rid string, names []string, added bool) ([]catalog.Row, bool, error) {
	verb := "has"
	if !added {
		verb = "lacks"
	}
	var rows []catalog.Row
	ok, err := settle(ctx, err, fmt.Sprintf("whether dataset %s %s the type(s) %s", rid, verb, strings.Join(names, ", ")),
		func(ctx context.Context) (bool, error) {
			var err error
			rows, err = m.typeRows(ctx, rid, names)
			if added {
				return len(rows) == len(names), err
			}
			return len(rows) == 0, err
		})
	return rows, ok, err
}

// typeRows reads a dataset's Dataset_Dataset_Type rows for names.
func (m *ML) typeRows(ctx context.Context, rid string, names []string) ([]catalog.Row, error) {
	return m.rowsAt(ctx, datasetTypeRef, catalog.And{catalog.Eq{Column: "Dataset", Value: rid}, anyOf(TableDatasetType, names)})
}
