package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// Seeded reads back the summary of a complete demo seed in store, as Seed
// reported it, so a command asked to seed twice can say what is already
// there. ok is false when the catalog has no complete demo: no schema of
// that name, an unfinished seed (which Seed finishes), or a schema of that
// name the demo did not make. A seed that finished but whose rows are gone
// since is an *IncompleteError (errors.Is ErrIncomplete), not a demo to
// report.
func Seeded(ctx context.Context, store catalog.Store, opts Options) (sum Summary, ok bool, err error) {
	opts = withDefaults(opts)
	ml := derivaml.New(store, opts.Schema)
	model, err := ml.Model(ctx)
	if err != nil {
		return Summary{}, false, err
	}
	if model.Schemas[opts.Schema] == nil {
		return Summary{}, false, nil
	}
	exe, err := uploadedSeed(ctx, ml, model, opts)
	if errors.Is(err, ErrSchemaTaken) {
		return Summary{}, false, nil
	}
	if err != nil {
		return Summary{}, false, fmt.Errorf("read the demo seed of %s: %w", store.Describe(), err)
	}
	if exe == nil {
		return Summary{}, false, nil
	}
	sum, err = finishedSeed(ctx, ml, opts, exe)
	if err != nil {
		return Summary{}, false, err
	}
	return sum, true, nil
}

// finishedSeed reads back the summary of the seed whose execution exe
// reached Uploaded, checking that its rows are all still there.
func finishedSeed(ctx context.Context, ml *derivaml.ML, opts Options, exe *derivaml.Execution) (Summary, error) {
	sum := Summary{Schema: opts.Schema, Workflow: exe.Workflow, Execution: exe.RID, ClassCounts: map[string]int{}}
	if err := countSeed(ctx, ml, &sum); err != nil {
		return Summary{}, fmt.Errorf("read the demo seed of %s: %w", ml.Store().Describe(), err)
	}
	if err := checkIntact(ctx, ml, recordOf(exe, opts), sum); err != nil {
		if errors.Is(err, ErrIncomplete) {
			return Summary{}, err
		}
		return Summary{}, fmt.Errorf("read the demo seed of %s: %w", ml.Store().Describe(), err)
	}
	return sum, nil
}

// countSeed fills in the row counts, the labels per class and the seed's
// dataset with its current version.
func countSeed(ctx context.Context, ml *derivaml.ML, sum *Summary) error {
	store := ml.Store()
	for _, c := range []struct {
		table string
		n     *int
	}{{TableSubject, &sum.Subjects}, {TableImage, &sum.Images}} {
		n, err := count(ctx, store, catalog.TableRef{Schema: sum.Schema, Table: c.table}, nil)
		if err != nil {
			return err
		}
		*c.n = n
	}
	classes, err := ml.FeatureClassCounts(ctx, TableImage, FeatureName, derivaml.ClassCountOptions{})
	if err != nil {
		return err
	}
	for _, t := range classes.Terms {
		if t.Term != "" && t.Count > 0 {
			sum.ClassCounts[t.Term] = int(t.Count)
		}
	}
	sum.Labelled, sum.Unlabelled = int(classes.Labelled), int(classes.Unlabelled)
	versions, err := readAll(ctx, store, catalog.Query{Table: mlRef(derivaml.TableDatasetVersion), Select: []string{catalog.ColRID, "Dataset"},
		Where: catalog.Eq{Column: "Execution", Value: sum.Execution}})
	if err != nil {
		return fmt.Errorf("find the seed's dataset: %w", err)
	}
	for _, v := range versions {
		ds, err := ml.LookupDataset(ctx, v.String("Dataset"))
		if errors.Is(err, catalog.ErrNotFound) {
			continue // deleted since the seed: not the dataset to report
		}
		if err != nil {
			return fmt.Errorf("find the seed's dataset: %w", err)
		}
		if ds.Description == seedDatasetDescription {
			sum.Dataset, sum.DatasetVersion = ds.RID, ds.Version
			return nil
		}
	}
	return nil
}
