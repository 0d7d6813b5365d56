// Package demo seeds a catalog with a small, deterministic imaging domain
// built the way DerivaML would build it: subjects, images as assets, an
// imbalanced Diagnosis vocabulary and a Diagnosis label feature written
// inside a seeding execution, and a released "Complete" dataset of every
// image. It backs `cyclezero demo` and serves as test data.
package demo

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
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

// ErrAlreadySeeded is returned when the domain schema already exists.
var ErrAlreadySeeded = errors.New("the catalog already has the demo domain")

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
// atomic model change, then writes its rows in batches. Seeding a catalog
// that already has the domain schema fails with ErrAlreadySeeded and
// changes nothing.
func Seed(ctx context.Context, store catalog.Store, opts Options) (Summary, error) {
	opts = withDefaults(opts)
	ml := derivaml.New(store, opts.Schema)
	model, err := ml.Model(ctx)
	if err != nil {
		return Summary{}, err
	}
	if model.Schemas[opts.Schema] != nil {
		return Summary{}, fmt.Errorf("seed demo in %s: schema %q exists: %w (open it as it is, or use a new catalog)",
			store.Describe(), opts.Schema, ErrAlreadySeeded)
	}
	if err := ml.EnsureMLSchema(ctx); err != nil {
		return Summary{}, fmt.Errorf("seed demo: %w", err)
	}
	if err := createDomain(ctx, ml); err != nil {
		return Summary{}, fmt.Errorf("seed demo: %w", err)
	}
	s := &seeder{ml: ml, store: store, opts: opts, rng: rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))}
	sum, err := s.run(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("seed demo: %w", err)
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

// seeder writes the demo rows.
type seeder struct {
	ml    *derivaml.ML
	store catalog.Store
	opts  Options
	rng   *rand.Rand
}

func (s *seeder) ref(table string) catalog.TableRef {
	return catalog.TableRef{Schema: s.opts.Schema, Table: table}
}

func (s *seeder) run(ctx context.Context) (Summary, error) {
	sum := Summary{Schema: s.opts.Schema, ClassCounts: map[string]int{}}
	for _, c := range Classes {
		if _, err := s.ml.AddTerm(ctx, VocabDiagnose, c.Name, c.Description, nil); err != nil {
			return sum, err
		}
	}
	subjects, err := s.subjects(ctx)
	if err != nil {
		return sum, err
	}
	sum.Subjects = len(subjects)
	wf, err := s.ml.AddWorkflow(ctx, derivaml.Workflow{Name: "Demo catalog seed", Types: []string{"Ingest"},
		Description: "Loads the cyclezero demo imaging domain and its ground-truth labels.",
		URL:         "https://github.com/cyclezero/cyclezero/blob/main/catalog/derivaml/demo/seed.go",
		Checksum:    "cyclezero-demo-seed-v1", Version: "1.0.0"})
	if err != nil {
		return sum, err
	}
	exe, err := s.ml.CreateExecution(ctx, wf, "Seed the demo catalog: images and Diagnosis labels.")
	if err != nil {
		return sum, err
	}
	sum.Workflow, sum.Execution = wf, exe.RID
	if _, err := s.ml.UpdateStatus(ctx, exe.RID, derivaml.StatusRunning, "Seeding images"); err != nil {
		return sum, err
	}
	images, err := s.images(ctx, subjects, exe.RID)
	if err != nil {
		return sum, err
	}
	sum.Images = len(images)
	if err := s.labels(ctx, images, exe.RID, &sum); err != nil {
		return sum, err
	}
	ds, err := s.ml.CreateDataset(ctx, derivaml.NewDataset{Types: []string{"Complete"}, Execution: exe.RID,
		Description: "Every demo image."})
	if err != nil {
		return sum, err
	}
	if err := s.ml.AddDatasetMembers(ctx, ds.RID, map[string][]string{TableImage: images},
		derivaml.MemberOptions{Execution: exe.RID, Description: "All demo images", SkipValidation: true}); err != nil {
		return sum, err
	}
	v, err := s.ml.Release(ctx, ds.RID, derivaml.Minor, "Every demo image with its ground-truth label.", exe.RID)
	if err != nil {
		return sum, err
	}
	sum.Dataset, sum.DatasetVersion = ds.RID, v.String()
	for _, st := range []derivaml.ExecutionStatus{derivaml.StatusStopped, derivaml.StatusPendingUpload, derivaml.StatusUploaded} {
		if _, err := s.ml.UpdateStatus(ctx, exe.RID, st, "Demo seed complete"); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

var (
	species = []string{"Human"}
	sexes   = []string{"F", "M"}
	sites   = []string{"North", "South", "East", "West"}
)

// subjects inserts the subjects; every 25th lacks sex and age, every 40th
// its site (edge cases for the dev-dataset filters).
func (s *seeder) subjects(ctx context.Context) ([]string, error) {
	rows := make([]catalog.Row, s.opts.Subjects)
	for i := range rows {
		r := catalog.Row{"Name": fmt.Sprintf("S%03d", i+1), "Species": species[0],
			"Sex": sexes[s.rng.IntN(len(sexes))], "Age": int64(18 + s.rng.IntN(70)), "Site": sites[s.rng.IntN(len(sites))]}
		if i%25 == 7 {
			r["Sex"], r["Age"] = nil, nil
		}
		if i%40 == 13 {
			r["Site"] = nil
		}
		rows[i] = r
	}
	out, err := s.store.Insert(ctx, s.ref(TableSubject), rows, catalog.InsertOptions{})
	if err != nil {
		return nil, fmt.Errorf("insert subjects: %w", err)
	}
	return rids(out), nil
}

// images inserts the images (a few without a subject or a size) and links
// them to the seeding execution as its outputs.
func (s *seeder) images(ctx context.Context, subjects []string, exe string) ([]string, error) {
	rows := make([]catalog.Row, s.opts.Images)
	for i := range rows {
		name := fmt.Sprintf("img_%04d.png", i+1)
		sum := md5.Sum(fmt.Appendf(nil, "cyclezero-demo-image-%d-%d", s.opts.Seed, i))
		digest := hex.EncodeToString(sum[:])
		r := catalog.Row{"URL": "/hatrac/" + TableImage + "/" + digest + "." + name, "Filename": name,
			"Length": int64(40_000 + s.rng.IntN(400_000)), "MD5": digest,
			"Subject": subjects[s.rng.IntN(len(subjects))], "Width": int64(512), "Height": int64(512)}
		if i%97 == 41 {
			r["Subject"] = nil
		}
		if i%151 == 9 {
			r["Width"], r["Height"] = nil, nil
		}
		rows[i] = r
	}
	out, err := s.store.Insert(ctx, s.ref(TableImage), rows, catalog.InsertOptions{})
	if err != nil {
		return nil, fmt.Errorf("insert images: %w", err)
	}
	images := rids(out)
	links := make([]catalog.Row, len(images))
	for i, rid := range images {
		links[i] = catalog.Row{TableImage: rid, "Execution": exe, "Asset_Role": "Output"}
	}
	if _, err := s.store.Insert(ctx, s.ref(TableImage+"_Execution"), links, catalog.InsertOptions{}); err != nil {
		return nil, fmt.Errorf("link images to the seeding execution: %w", err)
	}
	return images, nil
}

// labels gives every image but a few a Diagnosis, in the class shares.
func (s *seeder) labels(ctx context.Context, images []string, exe string, sum *Summary) error {
	order := s.rng.Perm(len(images))
	unlabelled := int(math.Round(float64(len(images)) * unlabelledShare))
	labelled := len(images) - unlabelled
	classOf := make([]string, 0, labelled)
	for _, c := range Classes[1 : len(Classes)-1] {
		for range int(math.Round(float64(labelled) * c.Share)) {
			classOf = append(classOf, c.Name)
		}
	}
	for range rareCount {
		classOf = append(classOf, Classes[len(Classes)-1].Name)
	}
	for len(classOf) < labelled {
		classOf = append(classOf, Classes[0].Name)
	}
	records := make([]derivaml.FeatureRecord, labelled)
	for i := range labelled {
		class := classOf[i]
		v := catalog.Row{TableImage: images[order[i]], VocabDiagnose: class}
		if i%20 != 3 {
			v["Confidence"] = math.Round((0.55+0.44*s.rng.Float64())*100) / 100
		}
		records[i] = derivaml.FeatureRecord{Target: TableImage, Feature: FeatureName, Values: v}
		sum.ClassCounts[class]++
	}
	if _, err := s.ml.AddFeatureValues(ctx, exe, records); err != nil {
		return err
	}
	sum.Labelled, sum.Unlabelled = labelled, unlabelled
	return nil
}

func rids(rows []catalog.Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.RID()
	}
	return out
}
