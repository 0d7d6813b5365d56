package steps

import (
	"context"
	"errors"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog/derivaml/demo"
	"github.com/cyclezero/cyclezero/catalog/local"
)

// SeedOptions tune SeedLocalDemo.
type SeedOptions struct {
	// Waiting, when set, is told once, in a sentence, that another
	// cyclezero is seeding the same catalog and this one waits for it.
	Waiting func(notice string)
}

// DemoSeed is what SeedLocalDemo wrote or found.
type DemoSeed struct {
	Catalog string       // the catalog, as its store describes it
	Summary demo.Summary // what the seed wrote, or the demo the catalog holds
	Already bool         // the catalog held the complete demo: nothing was written
}

// SeedLocalDemo seeds the embedded catalog at path (created, with its
// directory, when missing) with the demo domain, or, when it already holds
// the complete demo, reads back what it holds (Already): seeding twice is
// not an error. It holds the catalog's setup lock throughout, so two
// cyclezeros seeding one file take turns and the second finds the first's
// demo; one that waits longer than two minutes gives up with an error
// saying so. A schema of the demo's name the demo did not make fails with
// demo.ErrSchemaTaken, a finished demo that has lost rows with
// demo.ErrIncomplete, and a file that is not a catalog with a
// *local.FileError. An error closing the file (which finishes the write)
// is returned too.
func SeedLocalDemo(ctx context.Context, path string, opts SeedOptions) (res DemoSeed, err error) {
	err = setUpLocal(ctx, path, opts.Waiting, func(store *local.Store) error {
		res.Catalog = store.Describe()
		var err error
		res.Summary, err = demo.Seed(ctx, store, demo.Options{})
		if !errors.Is(err, demo.ErrAlreadySeeded) {
			return err
		}
		existing, ok, rerr := demo.Seeded(ctx, store, demo.Options{})
		switch {
		case rerr != nil:
			return fmt.Errorf("%w; reading what it holds failed: %w", err, rerr)
		case !ok:
			return err
		}
		res.Summary, res.Already = existing, true
		return nil
	})
	return res, err
}

// SeedDemoCatalog is SeedLocalDemo for the demo workspace: it reports
// whether it seeded (false: the catalog already held the demo).
func SeedDemoCatalog(ctx context.Context, path string) (seeded bool, err error) {
	res, err := SeedLocalDemo(ctx, path, SeedOptions{})
	if err != nil {
		return false, fmt.Errorf("seed the demo catalog: %w", err)
	}
	return !res.Already, nil
}
