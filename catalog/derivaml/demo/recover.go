package demo

import (
	"context"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// seedDatasetDescription describes the seed's dataset of every image.
const seedDatasetDescription = "Every demo image."

// seedDescription is the seeding execution's description; naming the
// schema tells apart seeds of different demo schemas in one catalog.
func seedDescription(schema string) string {
	return fmt.Sprintf("Seed the demo catalog (schema %s): images and Diagnosis labels.", schema)
}

// demoTables are the domain tables the demo creates: a schema of the
// demo's name without them is not the demo's.
var demoTables = []string{
	VocabDiagnose, derivaml.FeatureTableName(TableImage, FeatureName), "Dataset_" + TableImage,
	TableImage + "_Execution", TableImage + "_Asset_Type", TableImage, TableSubject,
}

func mlRef(table string) catalog.TableRef {
	return catalog.TableRef{Schema: derivaml.MLSchema, Table: table}
}

// uploadedSeed returns the execution of a complete demo seed, or nil for
// an unfinished one. A schema of the demo's name that lacks its tables is
// someone else's: ErrSchemaTaken, so nothing touches it.
func uploadedSeed(ctx context.Context, ml *derivaml.ML, model *catalog.Model, opts Options) (*derivaml.Execution, error) {
	if model.Schemas[derivaml.MLSchema] == nil {
		return nil, fmt.Errorf("schema %q: %w", opts.Schema, ErrSchemaTaken)
	}
	for _, t := range demoTables {
		if model.Table(catalog.TableRef{Schema: opts.Schema, Table: t}) == nil {
			return nil, fmt.Errorf("schema %q has no table %s: %w", opts.Schema, t, ErrSchemaTaken)
		}
	}
	exes, err := seedExecutions(ctx, ml, opts)
	if err != nil {
		return nil, err
	}
	var exe *derivaml.Execution
	for i := range exes {
		if exes[i].Status == derivaml.StatusUploaded {
			exe = &exes[i]
		}
	}
	return exe, nil
}

// seedWorkflows reads the seed's workflow rows (RIDs only), found by their
// checksum; normally there is one.
func seedWorkflows(ctx context.Context, store catalog.Store) ([]catalog.Row, error) {
	wfs, err := readAll(ctx, store, catalog.Query{Table: mlRef(derivaml.TableWorkflow), Select: []string{catalog.ColRID},
		Where: catalog.Eq{Column: "Checksum", Value: seedWorkflowChecksum}})
	if err != nil {
		return nil, fmt.Errorf("look up the seed workflow: %w", err)
	}
	return wfs, nil
}

// seedExecutions lists the executions of the seed workflow that seeded (or
// began to seed) this schema: those described as seeding it, and those its
// images are linked to (seeds made before the description named the
// schema).
func seedExecutions(ctx context.Context, ml *derivaml.ML, opts Options) ([]derivaml.Execution, error) {
	store := ml.Store()
	wfs, err := seedWorkflows(ctx, store)
	if err != nil {
		return nil, err
	}
	linked := map[string]bool{}
	err = catalog.QueryAll(ctx, store, catalog.Query{Table: catalog.TableRef{Schema: opts.Schema, Table: TableImage + "_Execution"},
		Select: []string{catalog.ColRID, "Execution"}}, 10_000, func(rows []catalog.Row) error {
		for _, r := range rows {
			linked[r.String("Execution")] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the image links: %w", err)
	}
	var out []derivaml.Execution
	for _, wf := range wfs {
		runs, err := ml.FindExecutions(ctx, wf.RID())
		if err != nil {
			return nil, err
		}
		for _, e := range runs {
			if e.Description == seedDescription(opts.Schema) || linked[e.RID] {
				out = append(out, e)
			}
		}
	}
	return out, nil
}

// purgePartialSeed removes what an unfinished seed wrote, and only that:
// its datasets, the images it recorded with their links, tags, labels and
// dataset memberships, its executions, and seed workflows no execution
// uses any more (with their type tags). Rows a user added to the demo
// tables stay. It keeps the schema, the Diagnosis terms and the subjects,
// which the next run reuses (see seeder.subjects). Every step deletes by
// what identifies the seed's rows — its executions' descriptions and links,
// and its images' MD5s, which it derives from the random seed — so a purge
// cut short is finished by the next one.
func purgePartialSeed(ctx context.Context, ml *derivaml.ML, opts Options) error {
	store := ml.Store()
	exes, err := seedExecutions(ctx, ml, opts)
	if err != nil {
		return err
	}
	var unfinished []any
	for _, e := range exes {
		if e.Status != derivaml.StatusUploaded {
			unfinished = append(unfinished, e.RID)
		}
	}
	images, err := seedImages(ctx, store, opts, unfinished)
	if err != nil {
		return err
	}
	if err := purgeDatasets(ctx, store, opts, unfinished); err != nil {
		return err
	}
	ref := func(t string) catalog.TableRef { return catalog.TableRef{Schema: opts.Schema, Table: t} }
	feature := derivaml.FeatureTableName(TableImage, FeatureName)
	steps := []struct {
		table  catalog.TableRef
		column string
		values []any
	}{
		{ref(feature), "Execution", unfinished},
		{ref(feature), TableImage, images},
		{ref("Dataset_" + TableImage), TableImage, images},
		{ref(TableImage + "_Execution"), "Execution", unfinished},
		{ref(TableImage + "_Execution"), TableImage, images},
		{ref(TableImage + "_Asset_Type"), TableImage, images},
		{ref(TableImage), catalog.ColRID, images},
		{mlRef(derivaml.TableExecution), catalog.ColRID, unfinished},
	}
	for _, st := range steps {
		if err := deleteIn(ctx, store, st.table, st.column, st.values); err != nil {
			return fmt.Errorf("remove the unfinished seed's rows from %s: %w", st.table, err)
		}
	}
	return purgeIdleWorkflows(ctx, store)
}

// seedImages lists the Image rows an unfinished seed wrote: those bearing
// the MD5 of a seeded image (which also finds those of a seed that died
// between recording its images and linking them), and those linked to its
// executions.
func seedImages(ctx context.Context, store catalog.Store, opts Options, executions []any) ([]any, error) {
	found := map[string]bool{}
	digests := make([]any, opts.Images)
	for i := range digests {
		digests[i] = imageDigest(opts.Seed, i)
	}
	rows, err := readAll(ctx, store, catalog.Query{Table: catalog.TableRef{Schema: opts.Schema, Table: TableImage},
		Select: []string{catalog.ColRID}, Where: catalog.AnyOf{Column: "MD5", Values: digests}})
	if err != nil {
		return nil, fmt.Errorf("find the unfinished seed's images: %w", err)
	}
	for _, r := range rows {
		found[r.RID()] = true
	}
	rows, err = readAll(ctx, store, catalog.Query{Table: catalog.TableRef{Schema: opts.Schema, Table: TableImage + "_Execution"},
		Select: []string{catalog.ColRID, TableImage}, Where: catalog.AnyOf{Column: "Execution", Values: executions}})
	if err != nil {
		return nil, fmt.Errorf("find the unfinished seed's images: %w", err)
	}
	for _, r := range rows {
		found[r.String(TableImage)] = true
	}
	out := make([]any, 0, len(found))
	for rid := range found {
		out = append(out, rid)
	}
	return out, nil
}

// purgeIdleWorkflows removes the seed workflows no execution refers to,
// with their type tags: a seed that died between adding its workflow and
// running it, or whose executions the purge has just removed. The next
// seed adds its workflow again.
func purgeIdleWorkflows(ctx context.Context, store catalog.Store) error {
	wfs, err := seedWorkflows(ctx, store)
	if err != nil {
		return err
	}
	var idle []any
	for _, wf := range wfs {
		n, err := count(ctx, store, mlRef(derivaml.TableExecution), catalog.Eq{Column: "Workflow", Value: wf.RID()})
		if err != nil {
			return err
		}
		if n == 0 {
			idle = append(idle, wf.RID())
		}
	}
	if err := deleteIn(ctx, store, mlRef(derivaml.TableWorkflowWorkflowType), "Workflow", idle); err != nil {
		return fmt.Errorf("remove the unused seed workflow's types: %w", err)
	}
	if err := deleteIn(ctx, store, mlRef(derivaml.TableWorkflow), catalog.ColRID, idle); err != nil {
		return fmt.Errorf("remove the unused seed workflow: %w", err)
	}
	return nil
}

// deleteIn deletes the rows of table whose column holds one of values; no
// values deletes nothing (and asks nothing). The backends split a long
// any(...) list themselves.
func deleteIn(ctx context.Context, store catalog.Store, table catalog.TableRef, column string, values []any) error {
	if len(values) == 0 {
		return nil
	}
	return store.Delete(ctx, table, catalog.AnyOf{Column: column, Values: values})
}

// purgeDatasets removes the datasets whose versions or execution links
// name one of executions, and seed datasets left without any version,
// with their satellite rows, breaking the Dataset ↔ Dataset_Version cycle
// first.
func purgeDatasets(ctx context.Context, store catalog.Store, opts Options, executions []any) error {
	ds := map[string]bool{}
	for _, t := range []string{derivaml.TableDatasetVersion, derivaml.TableDatasetExecution} {
		rows, err := readAll(ctx, store, catalog.Query{Table: mlRef(t), Select: []string{catalog.ColRID, "Dataset"},
			Where: catalog.AnyOf{Column: "Execution", Values: executions}})
		if err != nil {
			return fmt.Errorf("find the seed's datasets: %w", err)
		}
		for _, r := range rows {
			ds[r.String("Dataset")] = true
		}
	}
	// A seed that died right after inserting its Dataset row left it with
	// no version or link; its description still tells it apart.
	named, err := readAll(ctx, store, catalog.Query{Table: mlRef(derivaml.TableDataset), Select: []string{catalog.ColRID},
		Where: catalog.Eq{Column: "Description", Value: seedDatasetDescription}})
	if err != nil {
		return fmt.Errorf("find the seed's datasets: %w", err)
	}
	for _, r := range named {
		versions, err := store.Count(ctx, catalog.GroupQuery{Table: mlRef(derivaml.TableDatasetVersion),
			Where: catalog.Eq{Column: "Dataset", Value: r.RID()}})
		if err != nil {
			return fmt.Errorf("find the seed's datasets: %w", err)
		}
		if versions[0].Count == 0 {
			ds[r.RID()] = true
		}
	}
	if len(ds) == 0 {
		return nil
	}
	var rids []any
	var unlink []catalog.Row
	for rid := range ds {
		rids = append(rids, rid)
		unlink = append(unlink, catalog.Row{catalog.ColRID: rid, "Version": nil})
	}
	if _, err := store.Update(ctx, mlRef(derivaml.TableDataset), catalog.UpdateSpec{Match: []string{catalog.ColRID},
		Set: []string{"Version"}}, unlink); err != nil {
		return fmt.Errorf("detach the seed's datasets from their versions: %w", err)
	}
	byDataset := catalog.AnyOf{Column: "Dataset", Values: rids}
	steps := []struct {
		table catalog.TableRef
		where catalog.Filter
	}{
		{catalog.TableRef{Schema: opts.Schema, Table: "Dataset_" + TableImage}, byDataset},
		{mlRef(derivaml.TableDatasetDatasetTyp), byDataset},
		{mlRef(derivaml.TableDatasetExecution), byDataset},
		{mlRef(derivaml.TableDatasetDataset), catalog.Or{byDataset, catalog.AnyOf{Column: "Nested_Dataset", Values: rids}}},
		{mlRef(derivaml.TableDatasetVersion), byDataset},
		{mlRef(derivaml.TableDataset), catalog.AnyOf{Column: catalog.ColRID, Values: rids}},
	}
	for _, st := range steps {
		if err := store.Delete(ctx, st.table, st.where); err != nil {
			return fmt.Errorf("remove the seed's rows from %s: %w", st.table, err)
		}
	}
	return nil
}

func readAll(ctx context.Context, store catalog.Store, q catalog.Query) ([]catalog.Row, error) {
	var out []catalog.Row
	err := catalog.QueryAll(ctx, store, q, 10_000, func(rows []catalog.Row) error {
		out = append(out, rows...)
		return nil
	})
	return out, err
}
