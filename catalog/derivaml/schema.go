package derivaml

import (
	"context"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog"
)

// Table names of the deriva-ml schema (core/definitions.py MLTable, MLVocab).
const (
	TableDataset              = "Dataset"
	TableDatasetVersion       = "Dataset_Version"
	TableDatasetType          = "Dataset_Type"
	TableDatasetDatasetTyp    = "Dataset_Dataset_Type"
	TableDatasetDataset       = "Dataset_Dataset"
	TableDatasetExecution     = "Dataset_Execution"
	TableDirectoryDataset     = "Directory_Dataset"
	TableWorkflow             = "Workflow"
	TableWorkflowType         = "Workflow_Type"
	TableWorkflowWorkflowType = "Workflow_Workflow_Type"
	TableExecution            = "Execution"
	TableExecutionStatus      = "Execution_Status"
	TableExecutionNested      = "Execution_Execution"
	TableFeatureName          = "Feature_Name"
	TableAssetType            = "Asset_Type"
	TableAssetRole            = "Asset_Role"
	TableExecutionMetadata    = "Execution_Metadata"
	TableExecutionAsset       = "Execution_Asset"
	TableFile                 = "File"
)

// BuiltinHatracTemplate is the URL pattern of DerivaML's built-in
// Hatrac-backed asset tables (Execution_Metadata, Execution_Asset). Domain
// asset tables get deriva-py's default pattern instead, and File none.
const BuiltinHatracTemplate = "/hatrac/metadata/{{MD5}}.{{Filename}}"

// Unknown-provenance sentinels seeded with the schema (core/constants.py);
// counts shown to users should leave them out.
const (
	SentinelWorkflowURL          = "tag:deriva-ml,unknown-provenance:workflow"
	SentinelFileURL              = "tag:deriva-ml,unknown-provenance:file"
	SentinelExecutionDescription = "deriva-ml unknown-provenance sentinel execution"
)

// CreateMLSchema creates the deriva-ml schema with every built-in table in
// one atomic model change, then seeds the vocabularies and the three
// unknown-provenance sentinel rows. Unlike DerivaML's create_ml_schema it
// never drops an existing schema: it fails instead.
func (m *ML) CreateMLSchema(ctx context.Context) error {
	model, err := m.Model(ctx)
	if err != nil {
		return err
	}
	if model.Schemas[MLSchema] != nil {
		return fmt.Errorf("create %s schema: it already exists in %s", MLSchema, m.store.Describe())
	}
	tables, err := mlSchemaTables(m.ProjectName())
	if err != nil {
		return fmt.Errorf("create %s schema: %w", MLSchema, err)
	}
	change := catalog.ModelChange{
		Schemas: []catalog.SchemaDef{{Name: MLSchema, Comment: "DerivaML: datasets, workflows, executions, features and assets."}},
		Tables:  tables,
	}
	if err := m.create(ctx, change); err != nil {
		return fmt.Errorf("create %s schema: %w", MLSchema, err)
	}
	if err := m.seedMLSchema(ctx); err != nil {
		return fmt.Errorf("seed %s schema: %w", MLSchema, err)
	}
	return nil
}

// EnsureMLSchema creates the deriva-ml schema unless the catalog already
// has it (CreateMLSchema refuses an existing one, as DerivaML would drop it).
// On an existing schema it only adds seeded terms and sentinels that are
// missing, so a seeding cut short by a failure is completed; when nothing
// is missing it writes nothing.
func (m *ML) EnsureMLSchema(ctx context.Context) error {
	model, err := m.Model(ctx)
	if err != nil {
		return err
	}
	if model.Schemas[MLSchema] == nil {
		return m.CreateMLSchema(ctx)
	}
	if err := m.seedMLSchema(ctx); err != nil {
		return fmt.Errorf("complete the seeding of the %s schema: %w", MLSchema, err)
	}
	return nil
}

// CreateDomainSchema creates the (empty) domain schema if it is missing.
func (m *ML) CreateDomainSchema(ctx context.Context, comment string) error {
	model, err := m.Model(ctx)
	if err != nil {
		return err
	}
	if model.Schemas[m.domain] != nil {
		return nil
	}
	if err := m.create(ctx, catalog.ModelChange{Schemas: []catalog.SchemaDef{{Name: m.domain, Comment: comment}}}); err != nil {
		return fmt.Errorf("create domain schema %s: %w", m.domain, err)
	}
	return nil
}

// mlSchemaTables defines every table of deriva-ml as create_ml_schema does.
func mlSchemaTables(project string) ([]*catalog.Table, error) {
	b := &tableList{}
	curie := project + ":{RID}"
	b.vocab(TableFeatureName, curie, "Controlled vocabulary of feature names.")
	assetType := b.vocab(TableAssetType, curie, "Controlled vocabulary classifying assets by purpose.")
	assetRole := b.vocab(TableAssetRole, curie, "Controlled vocabulary distinguishing inputs from outputs (Input, Output).")
	b.vocab(TableExecutionStatus, curie, "Controlled vocabulary describing the lifecycle state of an Execution.")

	workflow := b.add(catalog.DefineTable(catalog.TableDef{Schema: MLSchema, Name: TableWorkflow,
		Comment: "A versioned reference to the code that knows how to run an ML step.",
		Columns: []catalog.ColumnDef{
			nullable("Name", catalog.TypeText), nullable("Description", catalog.TypeMarkdown),
			nullable("URL", catalog.TypeURI), nullable("Checksum", catalog.TypeText), nullable("Version", catalog.TypeText),
		}}))
	// create_workflow_table uses the schema name, not the project, as prefix.
	workflowType := b.vocab(TableWorkflowType, MLSchema+":{RID}", "Controlled vocabulary classifying workflows by their role.")
	b.assoc(catalog.AssociationDef{Associates: []catalog.Reference{
		{BaseName: "Workflow", Table: workflow}, {BaseName: TableWorkflowType, Table: workflowType}}})

	execution := b.add(catalog.DefineTable(catalog.TableDef{Schema: MLSchema, Name: TableExecution,
		Comment: "One run of a Workflow.",
		Columns: []catalog.ColumnDef{
			nullable("Workflow", catalog.TypeText), nullable("Description", catalog.TypeMarkdown),
			nullable("Execution_Duration", catalog.TypeText), nullable("Download_Duration", catalog.TypeText),
			nullable("Upload_Duration", catalog.TypeText), nullable("Status", catalog.TypeText),
			nullable("Status_Detail", catalog.TypeText),
		},
		ForeignKeys: []catalog.ForeignKeyDef{
			{Columns: []string{"Workflow"}, RefSchema: MLSchema, RefTable: TableWorkflow, RefColumns: []string{catalog.ColRID}},
			{Columns: []string{"Status"}, RefSchema: MLSchema, RefTable: TableExecutionStatus, RefColumns: []string{"Name"}},
		}}))
	seq := nullable("Sequence", catalog.TypeInt4)
	seq.Comment = "Order of nested execution (null if parallel)"
	b.assoc(catalog.AssociationDef{Associates: []catalog.Reference{
		{BaseName: "Execution", Table: execution}, {BaseName: "Nested_Execution", Table: execution}},
		Metadata: []catalog.ColumnDef{seq}})

	if err := b.datasetTables(execution, curie); err != nil {
		return nil, err
	}
	for _, name := range []string{TableExecutionMetadata, TableExecutionAsset, TableFile} {
		def := catalog.AssetDef{Schema: MLSchema, Name: name, HatracTemplate: BuiltinHatracTemplate}
		if name == TableFile {
			// create_asset_table(use_hatrac=False) passes hatrac_template=None
			// on to deriva-py's define_asset, which reads None as "use the
			// default pattern" (only False omits it). So File.URL gets
			// deriva-py's default url_pattern, as on a catalog DerivaML made,
			// though File rows usually point outside Hatrac.
			def.HatracTemplate = ""
		}
		assetTables, err := defineAssetTables(def, execution, assetType, assetRole)
		if err != nil {
			return nil, err
		}
		b.add(assetTables...)
	}
	b.assoc(catalog.AssociationDef{Associates: []catalog.Reference{
		{BaseName: "Dataset", Table: b.byName[TableDataset]}, {BaseName: TableFile, Table: b.byName[TableFile]}}})
	return b.tables, b.err
}

// datasetTables adds Dataset, Dataset_Type, Dataset_Dataset_Type,
// Dataset_Version (with the Dataset.Version back-reference),
// Dataset_Dataset, Dataset_Execution and Directory_Dataset.
func (b *tableList) datasetTables(execution *catalog.Table, curie string) error {
	version := catalog.DefineTable(catalog.TableDef{Schema: MLSchema, Name: TableDatasetVersion,
		Comment: "Version history for a dataset.",
		Columns: []catalog.ColumnDef{
			{Name: "Version", Type: catalog.TypeText, NullOK: true, Default: "0.1.0", Comment: "PEP 440 version label"},
			nullable("Description", catalog.TypeMarkdown),
			{Name: "Dataset", Type: catalog.TypeText, NullOK: true, Comment: "RID of dataset"},
			{Name: "Execution", Type: catalog.TypeText, NullOK: true, Comment: "RID of execution"},
			{Name: "Minid", Type: catalog.TypeText, NullOK: true, Comment: "URL to MINID for dataset"},
			nullable("Minid_Spec_Hash", catalog.TypeText),
			{Name: "Snapshot", Type: catalog.TypeText, NullOK: true, Comment: "Catalog Snapshot ID for dataset"},
		},
		Keys: []catalog.KeyDef{{Columns: []string{"Dataset", "Version"}}},
		ForeignKeys: []catalog.ForeignKeyDef{
			{Columns: []string{"Dataset"}, RefSchema: MLSchema, RefTable: TableDataset, RefColumns: []string{catalog.ColRID}},
			{Columns: []string{"Execution"}, RefSchema: MLSchema, RefTable: TableExecution, RefColumns: []string{catalog.ColRID}},
		}})
	dsDef := catalog.TableDef{Schema: MLSchema, Name: TableDataset,
		Comment: "A versioned collection of catalog rows that an execution consumed or produced.",
		Columns: []catalog.ColumnDef{nullable("Description", catalog.TypeMarkdown), nullable("Deleted", catalog.TypeBoolean)}}
	// dataset_table.create_reference(("Version", True, dataset_version))
	if err := appendReference(&dsDef, catalog.Reference{BaseName: "Version", NullOK: true, Table: version}); err != nil {
		return err
	}
	dataset := b.add(catalog.DefineTable(dsDef))
	dsType := b.vocab(TableDatasetType, curie, "Controlled vocabulary classifying datasets by role.")
	b.assoc(catalog.AssociationDef{Associates: []catalog.Reference{
		{BaseName: "Dataset", Table: dataset}, {BaseName: TableDatasetType, Table: dsType}}})
	b.add(version)
	b.assoc(catalog.AssociationDef{Associates: []catalog.Reference{
		{BaseName: "Dataset", Table: dataset}, {BaseName: "Nested_Dataset", Table: dataset}}})

	dsExec, err := catalog.DefineAssociation(catalog.AssociationDef{Schema: MLSchema, Associates: []catalog.Reference{
		{BaseName: "Dataset", Table: dataset}, {BaseName: "Execution", Table: execution}}})
	if err != nil {
		return err
	}
	// dataset_execution.create_reference(("Dataset_Version", True, dataset_version))
	if err := addReference(dsExec, catalog.Reference{BaseName: TableDatasetVersion, NullOK: true, Table: version},
		"RID of the Dataset_Version consumed by this input edge (NULL if unknown)."); err != nil {
		return err
	}
	b.add(dsExec)
	b.add(catalog.DefineTable(catalog.TableDef{Schema: MLSchema, Name: TableDirectoryDataset,
		Comment: "Source folder a directory dataset represents, relative to the ingest root.",
		Columns: []catalog.ColumnDef{
			{Name: "Dataset", Type: catalog.TypeText, NullOK: true, Comment: "RID of the directory dataset."},
			{Name: "Path", Type: catalog.TypeText, NullOK: true, Comment: "Source directory relative to the ingest root."},
		},
		Keys: []catalog.KeyDef{{Columns: []string{"Dataset"}}},
		ForeignKeys: []catalog.ForeignKeyDef{
			{Columns: []string{"Dataset"}, RefSchema: MLSchema, RefTable: TableDataset, RefColumns: []string{catalog.ColRID}},
		}}))
	return b.err
}

// defineAssetTables defines an asset table X with X_Asset_Type and
// X_Execution (plus its Asset_Role reference), as create_asset_table does.
func defineAssetTables(def catalog.AssetDef, execution, assetType, assetRole *catalog.Table) ([]*catalog.Table, error) {
	asset := catalog.DefineAsset(def)
	types, err := catalog.DefineAssociation(catalog.AssociationDef{Schema: def.Schema, Associates: []catalog.Reference{
		{BaseName: def.Name, Table: asset}, {BaseName: TableAssetType, Table: assetType}}})
	if err != nil {
		return nil, fmt.Errorf("define %s_Asset_Type: %w", def.Name, err)
	}
	execs, err := catalog.DefineAssociation(catalog.AssociationDef{Schema: def.Schema, Associates: []catalog.Reference{
		{BaseName: def.Name, Table: asset}, {BaseName: "Execution", Table: execution}}})
	if err != nil {
		return nil, fmt.Errorf("define %s_Execution: %w", def.Name, err)
	}
	// atable.create_reference(asset_role_table): a bare table, so NOT NULL.
	if err := addReference(execs, catalog.Reference{Table: assetRole}, ""); err != nil {
		return nil, err
	}
	return []*catalog.Table{asset, types, execs}, nil
}

// appendReference adds a reference's column and FK to a definition not yet
// built, after its own columns (as create_reference on the new table would).
func appendReference(d *catalog.TableDef, ref catalog.Reference) error {
	used := map[string]bool{}
	for _, c := range catalog.SystemColumnDefs() {
		used[c.Name] = true
	}
	for _, c := range d.Columns {
		used[c.Name] = true
	}
	cols, fks, err := catalog.ExpandReferences(d.Name, []catalog.Reference{ref}, used)
	if err != nil {
		return fmt.Errorf("reference from %s: %w", d.Name, err)
	}
	d.Columns = append(d.Columns, cols...)
	d.ForeignKeys = append(d.ForeignKeys, fks...)
	return nil
}

// addReference appends a reference's column and FK to a built table
// document, as deriva-py's Table.create_reference does on a live table.
func addReference(t *catalog.Table, ref catalog.Reference, comment string) error {
	used := map[string]bool{}
	for _, c := range t.Columns {
		used[c.Name] = true
	}
	cols, fks, err := catalog.ExpandReferences(t.Name, []catalog.Reference{ref}, used)
	if err != nil {
		return fmt.Errorf("reference from %s: %w", t.Name, err)
	}
	if comment != "" {
		cols[0].Comment = comment
	}
	// Build a one-column scratch table to get the documents in final form.
	scratch := catalog.DefineTable(catalog.TableDef{Schema: t.SchemaName, Name: t.Name, Columns: cols, ForeignKeys: fks})
	t.Columns = append(t.Columns, scratch.Columns[len(catalog.SystemColumns):]...)
	t.ForeignKeys = append(t.ForeignKeys, scratch.ForeignKeys[2:]...)
	return nil
}

func nullable(name string, t catalog.Type) catalog.ColumnDef {
	return catalog.ColumnDef{Name: name, Type: t, NullOK: true}
}

// tableList accumulates table documents, keeping the first error.
type tableList struct {
	tables []*catalog.Table
	byName map[string]*catalog.Table
	err    error
}

func (b *tableList) add(ts ...*catalog.Table) *catalog.Table {
	if b.byName == nil {
		b.byName = map[string]*catalog.Table{}
	}
	for _, t := range ts {
		b.tables = append(b.tables, t)
		b.byName[t.Name] = t
	}
	if len(ts) == 0 {
		return nil
	}
	return ts[0]
}

func (b *tableList) vocab(name, curie, comment string) *catalog.Table {
	t, err := catalog.DefineVocabulary(catalog.VocabularyDef{Schema: MLSchema, Name: name, CurieTemplate: curie, Comment: comment})
	if err != nil {
		if b.err == nil {
			b.err = err
		}
		return &catalog.Table{SchemaName: MLSchema, Name: name}
	}
	return b.add(t)
}

func (b *tableList) assoc(d catalog.AssociationDef) *catalog.Table {
	d.Schema = MLSchema
	t, err := catalog.DefineAssociation(d)
	if err != nil {
		if b.err == nil {
			b.err = err
		}
		return nil
	}
	return b.add(t)
}
