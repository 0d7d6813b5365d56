package demo

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

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
	wf, err := s.ml.AddWorkflow(ctx, derivaml.Workflow{Name: seedWorkflowName, Types: []string{"Ingest"},
		Description: "Loads the cyclezero demo imaging domain and its ground-truth labels.",
		URL:         "https://github.com/cyclezero/cyclezero/blob/main/catalog/derivaml/demo/seed.go",
		Checksum:    seedWorkflowChecksum, Version: "1.0.0"})
	if err != nil {
		return sum, err
	}
	// AddWorkflow reuses a workflow by checksum as it stands; an earlier
	// seed may have died between writing it and tagging it.
	if _, err := s.store.Insert(ctx, mlRef(derivaml.TableWorkflowWorkflowType),
		[]catalog.Row{{"Workflow": wf, derivaml.TableWorkflowType: "Ingest"}}, catalog.InsertOptions{OnConflictSkip: true}); err != nil {
		return sum, fmt.Errorf("tag the seed workflow Ingest: %w", err)
	}
	exe, err := s.ml.CreateExecution(ctx, wf, seedDescription(s.opts.Schema))
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
		Description: seedDatasetDescription})
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
		if _, err := s.ml.UpdateStatus(ctx, exe.RID, st, seedRecord{sum.Subjects, sum.Images, sum.Labelled}.detail()); err != nil {
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
// its site (edge cases for the dev-dataset filters). Subjects an earlier,
// unfinished seed inserted are reused rather than purged: nothing ties a
// Subject to the seed but its name, which a user's own row could share, so
// the purge leaves the table alone and the names (a key) find them again.
// They draw the same random values in the same order, so reusing them
// gives what a fresh seed writes.
func (s *seeder) subjects(ctx context.Context) ([]string, error) {
	rows := make([]catalog.Row, s.opts.Subjects)
	names := make([]any, s.opts.Subjects)
	for i := range rows {
		r := catalog.Row{"Name": subjectName(i), "Species": species[0],
			"Sex": sexes[s.rng.IntN(len(sexes))], "Age": int64(18 + s.rng.IntN(70)), "Site": sites[s.rng.IntN(len(sites))]}
		if i%25 == 7 {
			r["Sex"], r["Age"] = nil, nil
		}
		if i%40 == 13 {
			r["Site"] = nil
		}
		rows[i], names[i] = r, r["Name"]
	}
	if _, err := s.store.Insert(ctx, s.ref(TableSubject), rows, catalog.InsertOptions{OnConflictSkip: true}); err != nil {
		return nil, fmt.Errorf("insert subjects: %w", err)
	}
	got, err := readAll(ctx, s.store, catalog.Query{Table: s.ref(TableSubject), Select: []string{catalog.ColRID, "Name"},
		Where: catalog.AnyOf{Column: "Name", Values: names}})
	if err != nil {
		return nil, fmt.Errorf("read the subjects back: %w", err)
	}
	found := map[string]string{}
	for _, r := range got {
		found[r.String("Name")] = r.RID()
	}
	out := make([]string, len(rows))
	for i := range rows {
		if out[i] = found[subjectName(i)]; out[i] == "" {
			return nil, fmt.Errorf("insert subjects: subject %s is missing after the insert", subjectName(i))
		}
	}
	return out, nil
}

// subjectName is the i-th seeded subject's name (0-based), a key of Subject.
func subjectName(i int) string { return fmt.Sprintf("S%03d", i+1) }

// imageDigest is the MD5 recorded for the i-th seeded image; it depends on
// the random seed, so it also tells a seed's images from anyone else's.
func imageDigest(seed uint64, i int) string {
	sum := md5.Sum(fmt.Appendf(nil, "cyclezero-demo-image-%d-%d", seed, i))
	return hex.EncodeToString(sum[:])
}

// labelCounts is how many of n images get a label and how many do not.
func labelCounts(n int) (labelled, unlabelled int) {
	unlabelled = int(math.Round(float64(n) * unlabelledShare))
	return n - unlabelled, unlabelled
}

// images records the images (a few without a subject or a size) as
// outputs of the seeding execution, as its upload would: URLs from the
// Image table's url_pattern, tagged Image and Output_File.
func (s *seeder) images(ctx context.Context, subjects []string, exe string) ([]string, error) {
	model, err := s.ml.Model(ctx)
	if err != nil {
		return nil, err
	}
	pattern := derivaml.URLPattern(model.Table(s.ref(TableImage)))
	assets := make([]derivaml.Asset, s.opts.Images)
	for i := range assets {
		name := fmt.Sprintf("img_%04d.png", i+1)
		digest := imageDigest(s.opts.Seed, i)
		url, err := derivaml.ExpandURLPattern(pattern, s.opts.CatalogID, map[string]string{"MD5": digest, "Filename": name})
		if err != nil {
			return nil, err
		}
		a := derivaml.Asset{URL: url, Filename: name, Length: int64(40_000 + s.rng.IntN(400_000)), MD5: digest,
			Extra: catalog.Row{"Subject": subjects[s.rng.IntN(len(subjects))], "Width": int64(512), "Height": int64(512)}}
		if i%97 == 41 {
			a.Extra["Subject"] = nil
		}
		if i%151 == 9 {
			a.Extra["Width"], a.Extra["Height"] = nil, nil
		}
		assets[i] = a
	}
	images, err := s.ml.AddAssets(ctx, TableImage, assets, derivaml.AssetLink{Execution: exe, Role: derivaml.RoleOutput})
	if err != nil {
		return nil, fmt.Errorf("add images: %w", err)
	}
	return images, nil
}

// labels gives every image but a few a Diagnosis, in the class shares.
func (s *seeder) labels(ctx context.Context, images []string, exe string, sum *Summary) error {
	order := s.rng.Perm(len(images))
	labelled, unlabelled := labelCounts(len(images))
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
