package steps

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

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
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return DemoSeed{}, fmt.Errorf("create the directory of %s: %w", path, err)
	}
	release, err := lockCatalogSetup(ctx, path, seedLockWait, opts.Waiting)
	if err != nil {
		return DemoSeed{}, err
	}
	defer release()
	store, err := local.Open(path, local.Options{})
	if err != nil {
		return DemoSeed{}, err // local's error names the file already
	}
	defer func() {
		if cerr := store.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close %s: %w", store.Describe(), cerr))
		}
	}()
	res.Catalog = store.Describe()
	res.Summary, err = demo.Seed(ctx, store, demo.Options{})
	if !errors.Is(err, demo.ErrAlreadySeeded) {
		return res, err
	}
	existing, ok, rerr := demo.Seeded(ctx, store, demo.Options{})
	switch {
	case rerr != nil:
		return res, fmt.Errorf("%w; reading what it holds failed: %w", err, rerr)
	case !ok:
		return res, err
	}
	res.Summary, res.Already = existing, true
	return res, nil
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
