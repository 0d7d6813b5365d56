// Package demo seeds a catalog with a small, deterministic imaging domain
// built the way DerivaML would build it: subjects, images as assets, an
// imbalanced Diagnosis vocabulary and a Diagnosis label feature written
// inside a seeding execution, and a released "Complete" dataset of every
// image. It backs `cyclezero demo` and serves as test data.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// Options configure the seed; the zero value is the standard demo.
type Options struct {
	Schema   string // domain schema; "" means "demo"
	Seed     uint64 // random seed; 0 means the fixed default
	Subjects int    // 0 means 120
	Images   int    // 0 means 1000
	// CatalogID fills {{$catalog.id}} in the Image URLs, which follow the
	// table's upload url_pattern; "" means "1".
	CatalogID string
}

// Names used by the demo domain.
const (
	DefaultSchema = "demo"
	TableSubject  = "Subject"
	TableImage    = "Image"
	VocabDiagnose = "Diagnosis"
	FeatureName   = "Diagnosis"
	defaultSeed   = 20260701
)

// Class is a Diagnosis term with its share of the labelled images.
type Class struct {
	Name        string
	Description string
	Share       float64 // fraction of labelled images; the rare class gets a fixed count
}

// Classes are the demo's imbalanced diagnosis classes, commonest first. The
// last one is rare: fewer than ten images carry it.
var Classes = []Class{
	{"Normal", "No abnormality visible.", 0.60},
	{"Benign", "A benign lesion.", 0.25},
	{"Malignant", "A malignant lesion.", 0.10},
	{"Artifact", "Image unusable: acquisition artifact.", 0.04},
	{"Metaplasia", "Rare: metaplastic change.", 0},
}

const (
	rareCount       = 7     // images labelled with the rare class
	unlabelledShare = 0.038 // images left without a label
)

// ErrAlreadySeeded is returned when the catalog already has a complete demo
// domain.
var ErrAlreadySeeded = errors.New("the catalog already has the demo domain")

// ErrSchemaTaken is returned when the catalog has a schema of the demo's
// name that the demo seed did not make; Seed leaves it alone.
var ErrSchemaTaken = errors.New("a schema of the demo's name exists that the demo seed did not make; seed a new catalog, or choose another schema name")

// Workflow identity of the seed; its checksum finds earlier seeds.
const (
	seedWorkflowName     = "Demo catalog seed"
	seedWorkflowChecksum = "cyclezero-demo-seed-v1"
)

// Summary reports what the seed wrote.
type Summary struct {
	Schema         string
	Subjects       int
	Images         int
	Labelled       int
	Unlabelled     int
	ClassCounts    map[string]int
	Workflow       string // RID of the seeding workflow
	Execution      string // RID of the seeding execution
	Dataset        string // RID of the "Complete" dataset of all images
	DatasetVersion string // its released version
}

// Seed creates the DerivaML schema if missing and the demo domain in one
// atomic model change, then writes its rows in batches inside a seeding
// execution, which it marks Uploaded last. Seeding a catalog that already
// has a complete demo fails with ErrAlreadySeeded, one with a foreign
// schema of that name with ErrSchemaTaken, and one whose finished demo has
// lost rows with an *IncompleteError; none of them changes anything. A
// seed cut short — by an error or a crash — is recognized by its execution
// never reaching Uploaded: the next Seed removes what it wrote and seeds
// again, giving the same content a fresh seed would.
//
// Only one Seed may run on a catalog at a time, and the caller must see
// to it: a seed still running looks exactly like one cut short, so a
// second Seed would remove its rows as it writes them. steps takes a file
// lock around Seed for the embedded catalog (the only kind seeded).
func Seed(ctx context.Context, store catalog.Store, opts Options) (Summary, error) {
	opts = withDefaults(opts)
	ml := derivaml.New(store, opts.Schema)
	model, err := ml.Model(ctx)
	if err != nil {
		return Summary{}, err
	}
	partial := false
	if model.Schemas[opts.Schema] != nil {
		exe, err := uploadedSeed(ctx, ml, model, opts)
		if err != nil {
			return Summary{}, fmt.Errorf("seed demo in %s: %w", store.Describe(), err)
		}
		if exe != nil {
			if _, err := finishedSeed(ctx, ml, opts, exe); err != nil {
				return Summary{}, err
			}
			return Summary{}, fmt.Errorf("seed demo in %s: schema %q exists: %w (open it as it is, or use a new catalog)",
				store.Describe(), opts.Schema, ErrAlreadySeeded)
		}
		partial = true
	}
	if err := ml.EnsureMLSchema(ctx); err != nil {
		return Summary{}, fmt.Errorf("seed demo: %w", err)
	}
	if partial {
		if err := purgePartialSeed(ctx, ml, opts); err != nil {
			return Summary{}, fmt.Errorf("seed demo: remove the rows of an earlier, unfinished seed: %w", err)
		}
	} else if err := createDomain(ctx, ml); err != nil {
		return Summary{}, fmt.Errorf("seed demo: %w", err)
	}
	s := &seeder{ml: ml, store: store, opts: opts, rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))}
	sum, err := s.run(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("seed demo (running it again finishes the job): %w", err)
	}
	return sum, nil
}

func withDefaults(o Options) Options {
	if o.Schema == "" {
		o.Schema = DefaultSchema
	}
	if o.Seed == 0 {
		o.Seed = defaultSeed
	}
	if o.Subjects <= 0 {
		o.Subjects = 120
	}
	if o.Images <= 0 {
		o.Images = 1000
	}
	if o.CatalogID == "" {
		o.CatalogID = "1"
	}
	return o
}

// createDomain plans every demo table and creates them in one change.
func createDomain(ctx context.Context, ml *derivaml.ML) error {
	p, err := ml.NewPlan(ctx)
	if err != nil {
		return err
	}
	steps := []func() error{
		func() error {
			_, err := p.Table(catalog.TableDef{Name: TableSubject, Comment: "A study subject.",
				Columns: []catalog.ColumnDef{
					{Name: "Name", Type: catalog.TypeText, Comment: "Subject code"},
					{Name: "Species", Type: catalog.TypeText, NullOK: true},
					{Name: "Sex", Type: catalog.TypeText, NullOK: true},
					{Name: "Age", Type: catalog.TypeInt4, NullOK: true, Comment: "Age in years at enrolment"},
					{Name: "Site", Type: catalog.TypeText, NullOK: true, Comment: "Enrolling site"},
				},
				Keys: []catalog.KeyDef{{Columns: []string{"Name"}}}})
			return err
		},
		func() error { _, err := p.Vocabulary(VocabDiagnose, "Diagnostic classes of an image."); return err },
		func() error {
			_, err := p.AssetTable(TableImage, derivaml.AssetOptions{Comment: "A microscopy image of a subject.",
				Columns: []catalog.ColumnDef{
					{Name: "Subject", Type: catalog.TypeText, NullOK: true},
					{Name: "Width", Type: catalog.TypeInt4, NullOK: true},
					{Name: "Height", Type: catalog.TypeInt4, NullOK: true},
				},
				ForeignKeys: []catalog.ForeignKeyDef{{Columns: []string{"Subject"}, RefSchema: ml.DomainSchema(),
					RefTable: TableSubject, RefColumns: []string{catalog.ColRID}}}})
			return err
		},
		func() error {
			_, err := p.Feature(derivaml.FeatureSpec{Target: TableImage, Name: FeatureName, Terms: []string{VocabDiagnose},
				Metadata: []catalog.ColumnDef{{Name: "Confidence", Type: catalog.TypeFloat4, Comment: "Labeller confidence, 0–1"}},
				Optional: []string{"Confidence"}, Comment: "Ground-truth diagnosis of an image."})
			return err
		},
		func() error { _, err := p.ElementType(TableImage); return err },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return p.Apply(ctx)
}
