package demo

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// ErrIncomplete is matched (errors.Is) by an *IncompleteError: the demo
// seed finished, but its rows are no longer all there.
var ErrIncomplete = errors.New("the demo data of this catalog is incomplete")

// IncompleteError reports a catalog whose demo seed finished (its
// execution is Uploaded) but which has lost rows the seed wrote since. Seed
// does not repair it: the rows that are left may be the user's work, and a
// seed over them would not give the demo anyone else gets.
type IncompleteError struct {
	Catalog string   // the catalog, as its store describes it
	Missing []string // what is short, e.g. "0 of 1000 images"
}

func (e *IncompleteError) Error() string {
	return fmt.Sprintf("the demo data of %s is incomplete: only %s are left of what its seed wrote; "+
		"move the catalog file aside and seed a new one", e.Catalog, strings.Join(e.Missing, ", "))
}

// Is makes errors.Is(err, ErrIncomplete) true.
func (e *IncompleteError) Is(target error) bool { return target == ErrIncomplete }

// seedRecord is what a finished seed wrote, as its execution's status
// detail records it; checkIntact compares the catalog with it.
type seedRecord struct{ Subjects, Images, Labels int }

const seedRecordFormat = "Demo seed complete: %d subjects, %d images, %d labels"

func (r seedRecord) detail() string {
	return fmt.Sprintf(seedRecordFormat, r.Subjects, r.Images, r.Labels)
}

// recordOf reads a seed's record from its execution's status detail; a
// seed made before the detail held one is taken to be a seed of opts.
func recordOf(exe *derivaml.Execution, opts Options) seedRecord {
	var r seedRecord
	if n, err := fmt.Sscanf(exe.StatusDetail, seedRecordFormat, &r.Subjects, &r.Images, &r.Labels); err == nil && n == 3 {
		return r
	}
	labelled, _ := labelCounts(opts.Images)
	return seedRecord{Subjects: opts.Subjects, Images: opts.Images, Labels: labelled}
}

// checkIntact compares the rows of a finished seed with its record: its
// subjects (by name), the images and labels its execution recorded, and
// its dataset with every image. Rows added since do not matter; rows gone
// make an *IncompleteError. sum is the seed as countSeed read it (its
// execution and dataset).
func checkIntact(ctx context.Context, ml *derivaml.ML, want seedRecord, sum Summary) error {
	store := ml.Store()
	names := make([]any, want.Subjects)
	for i := range names {
		names[i] = subjectName(i)
	}
	subjects, err := count(ctx, store, catalog.TableRef{Schema: sum.Schema, Table: TableSubject}, catalog.AnyOf{Column: "Name", Values: names})
	if err != nil {
		return err
	}
	byExecution := catalog.Eq{Column: "Execution", Value: sum.Execution}
	images, err := count(ctx, store, catalog.TableRef{Schema: sum.Schema, Table: TableImage + "_Execution"}, byExecution)
	if err != nil {
		return err
	}
	labels, err := count(ctx, store, catalog.TableRef{Schema: sum.Schema, Table: derivaml.FeatureTableName(TableImage, FeatureName)}, byExecution)
	if err != nil {
		return err
	}
	members := 0
	if sum.Dataset != "" {
		if members, err = count(ctx, store, catalog.TableRef{Schema: sum.Schema, Table: "Dataset_" + TableImage},
			catalog.Eq{Column: "Dataset", Value: sum.Dataset}); err != nil {
			return err
		}
	}
	var missing []string
	for _, c := range []struct {
		what      string
		got, want int
	}{{"subjects", subjects, want.Subjects}, {"images", images, want.Images}, {"labels", labels, want.Labels}} {
		if c.got < c.want {
			missing = append(missing, fmt.Sprintf("%d of %d %s", c.got, c.want, c.what))
		}
	}
	switch {
	case sum.Dataset == "":
		missing = append(missing, "no dataset of every image")
	case members < want.Images:
		missing = append(missing, fmt.Sprintf("%d of %d members of dataset %s", members, want.Images, sum.Dataset))
	}
	if len(missing) > 0 {
		return &IncompleteError{Catalog: store.Describe(), Missing: missing}
	}
	return nil
}

// count counts the rows of table that match where.
func count(ctx context.Context, store catalog.Store, table catalog.TableRef, where catalog.Filter) (int, error) {
	n, err := store.Count(ctx, catalog.GroupQuery{Table: table, Where: where})
	if err != nil {
		return 0, fmt.Errorf("count the rows of %s: %w", table, err)
	}
	return int(n[0].Count), nil
}
