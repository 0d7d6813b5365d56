package derivaml_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

// The deriva-ml schema as create_ml_schema builds it (reference/derivaml.md
// §1.3, checked against deriva-ml's create_schema.py and deriva-py's
// define_* helpers), read back from the catalog.
func TestCreateMLSchemaTables(t *testing.T) {
	t.Parallel()
	ml := newML(t)
	model, err := ml.Model(context.Background())
	require.NoError(t, err)
	var names []string
	for n := range model.Schemas[derivaml.MLSchema].Tables {
		names = append(names, n)
	}
	sort.Strings(names)
	assert.Equal(t, []string{
		"Asset_Role", "Asset_Type", "Dataset", "Dataset_Dataset", "Dataset_Dataset_Type", "Dataset_Execution",
		"Dataset_File", "Dataset_Type", "Dataset_Version", "Directory_Dataset", "Execution", "Execution_Asset",
		"Execution_Asset_Asset_Type", "Execution_Asset_Execution", "Execution_Execution", "Execution_Metadata",
		"Execution_Metadata_Asset_Type", "Execution_Metadata_Execution", "Execution_Status", "Feature_Name", "File",
		"File_Asset_Type", "File_Execution", "Workflow", "Workflow_Type", "Workflow_Workflow_Type",
	}, names)
}

func TestCreateMLSchemaStructure(t *testing.T) {
	t.Parallel()
	ml := newML(t)
	model, err := ml.Model(context.Background())
	require.NoError(t, err)
	sys := func(table string) []string {
		return []string{"key " + table + "_RID_key (RID)"}
	}
	sysFK := func(table string) []string {
		return []string{
			"fk " + table + "_RCB_fkey (RCB) -> public:ERMrest_Client(ID) NO ACTION/NO ACTION",
			"fk " + table + "_RMB_fkey (RMB) -> public:ERMrest_Client(ID) NO ACTION/NO ACTION",
		}
	}
	join := func(parts ...[]string) []string {
		var out []string
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	want := map[string][]string{
		"Dataset": join([]string{"col Description markdown null", "col Deleted boolean null", "col Version text null"},
			sys("Dataset"), sysFK("Dataset"),
			[]string{"fk Dataset_Version_fkey (Version) -> deriva-ml:Dataset_Version(RID) CASCADE/CASCADE"}),
		"Dataset_Version": join([]string{
			`col Version text null default "0.1.0"`, "col Description markdown null", "col Dataset text null",
			"col Execution text null", "col Minid text null", "col Minid_Spec_Hash text null", "col Snapshot text null"},
			sys("Dataset_Version"), []string{"key Dataset_Version_Dataset_Version_key (Dataset,Version)"}, sysFK("Dataset_Version"),
			[]string{"fk Dataset_Version_Dataset_fkey (Dataset) -> deriva-ml:Dataset(RID) NO ACTION/NO ACTION",
				"fk Dataset_Version_Execution_fkey (Execution) -> deriva-ml:Execution(RID) NO ACTION/NO ACTION"}),
		"Dataset_Execution": join([]string{"col Dataset text NOT NULL", "col Execution text NOT NULL", "col Dataset_Version text null"},
			sys("Dataset_Execution"), []string{"key Dataset_Execution_assoc_key (Dataset,Execution)"}, sysFK("Dataset_Execution"),
			[]string{"fk Dataset_Execution_Dataset_fkey (Dataset) -> deriva-ml:Dataset(RID) CASCADE/CASCADE",
				"fk Dataset_Execution_Execution_fkey (Execution) -> deriva-ml:Execution(RID) CASCADE/CASCADE",
				"fk Dataset_Execution_Dataset_Version_fkey (Dataset_Version) -> deriva-ml:Dataset_Version(RID) CASCADE/CASCADE"}),
		"Dataset_Dataset": join([]string{"col Dataset text NOT NULL", "col Nested_Dataset text NOT NULL"},
			sys("Dataset_Dataset"), []string{"key Dataset_Dataset_assoc_key (Dataset,Nested_Dataset)"}, sysFK("Dataset_Dataset"),
			[]string{"fk Dataset_Dataset_Dataset_fkey (Dataset) -> deriva-ml:Dataset(RID) CASCADE/CASCADE",
				"fk Dataset_Dataset_Nested_Dataset_fkey (Nested_Dataset) -> deriva-ml:Dataset(RID) CASCADE/CASCADE"}),
		"Directory_Dataset": join([]string{"col Dataset text null", "col Path text null"},
			sys("Directory_Dataset"), []string{"key Directory_Dataset_Dataset_key (Dataset)"}, sysFK("Directory_Dataset"),
			[]string{"fk Directory_Dataset_Dataset_fkey (Dataset) -> deriva-ml:Dataset(RID) NO ACTION/NO ACTION"}),
		"Workflow": join([]string{"col Name text null", "col Description markdown null", "col URL ermrest_uri null",
			"col Checksum text null", "col Version text null"}, sys("Workflow"), sysFK("Workflow")),
		"Execution": join([]string{"col Workflow text null", "col Description markdown null", "col Execution_Duration text null",
			"col Download_Duration text null", "col Upload_Duration text null", "col Status text null", "col Status_Detail text null"},
			sys("Execution"), sysFK("Execution"),
			[]string{"fk Execution_Workflow_fkey (Workflow) -> deriva-ml:Workflow(RID) NO ACTION/NO ACTION",
				"fk Execution_Status_fkey (Status) -> deriva-ml:Execution_Status(Name) NO ACTION/NO ACTION"}),
		"Execution_Execution": join([]string{"col Execution text NOT NULL", "col Nested_Execution text NOT NULL", "col Sequence int4 null"},
			sys("Execution_Execution"), []string{"key Execution_Execution_assoc_key (Execution,Nested_Execution)"}, sysFK("Execution_Execution"),
			[]string{"fk Execution_Execution_Execution_fkey (Execution) -> deriva-ml:Execution(RID) CASCADE/CASCADE",
				"fk Execution_Execution_Nested_Execution_fkey (Nested_Execution) -> deriva-ml:Execution(RID) CASCADE/CASCADE"}),
		"Dataset_Type": join([]string{`col ID ermrest_curie NOT NULL default "demo:{RID}"`, `col URI ermrest_uri NOT NULL default "/id/{RID}"`,
			"col Name text NOT NULL", "col Description markdown NOT NULL", "col Synonyms text[] null"},
			sys("Dataset_Type"), []string{"key Dataset_Type_ID_key (ID)", "key Dataset_Type_URI_key (URI)", "key Dataset_Type_Name_key (Name)"},
			sysFK("Dataset_Type")),
		"Execution_Metadata": join([]string{"col URL text NOT NULL", "col Filename text null", "col Description markdown null",
			"col Length int8 NOT NULL", "col MD5 text NOT NULL"}, sys("Execution_Metadata"),
			[]string{"key Execution_Metadata_URL_key (URL)"}, sysFK("Execution_Metadata")),
		"Execution_Metadata_Execution": join([]string{"col Execution_Metadata text NOT NULL", "col Execution text NOT NULL",
			"col Asset_Role text NOT NULL"}, sys("Execution_Metadata_Execution"),
			[]string{"key Execution_Metadata_Execution_assoc_key (Execution_Metadata,Execution)"}, sysFK("Execution_Metadata_Execution"),
			[]string{"fk Execution_Metadata_Execution_Execution_Metadata_fkey (Execution_Metadata) -> deriva-ml:Execution_Metadata(RID) CASCADE/CASCADE",
				"fk Execution_Metadata_Execution_Execution_fkey (Execution) -> deriva-ml:Execution(RID) CASCADE/CASCADE",
				"fk Execution_Metadata_Execution_Asset_Role_fkey (Asset_Role) -> deriva-ml:Asset_Role(Name) CASCADE/CASCADE"}),
		"File_Asset_Type": join([]string{"col File text NOT NULL", "col Asset_Type text NOT NULL"}, sys("File_Asset_Type"),
			[]string{"key File_Asset_Type_assoc_key (File,Asset_Type)"}, sysFK("File_Asset_Type"),
			[]string{"fk File_Asset_Type_File_fkey (File) -> deriva-ml:File(RID) CASCADE/CASCADE",
				"fk File_Asset_Type_Asset_Type_fkey (Asset_Type) -> deriva-ml:Asset_Type(Name) CASCADE/CASCADE"}),
		"Workflow_Workflow_Type": join([]string{"col Workflow text NOT NULL", "col Workflow_Type text NOT NULL"},
			sys("Workflow_Workflow_Type"), []string{"key Workflow_Workflow_Type_assoc_key (Workflow,Workflow_Type)"}, sysFK("Workflow_Workflow_Type"),
			[]string{"fk Workflow_Workflow_Type_Workflow_fkey (Workflow) -> deriva-ml:Workflow(RID) CASCADE/CASCADE",
				"fk Workflow_Workflow_Type_Workflow_Type_fkey (Workflow_Type) -> deriva-ml:Workflow_Type(Name) CASCADE/CASCADE"}),
	}
	for table, lines := range want {
		assert.Equal(t, lines, describe(mustTable(t, model, derivaml.MLSchema, table)), table)
	}
	// Workflow_Type CURIEs use the schema name, the others the project.
	assert.JSONEq(t, `"deriva-ml:{RID}"`, string(mustTable(t, model, derivaml.MLSchema, "Workflow_Type").Column("ID").Default))
	// The system columns carry deriva-py's types and display names.
	rid := mustTable(t, model, derivaml.MLSchema, "Dataset").Column("RID")
	assert.Equal(t, "ermrest_rid", rid.Type.Name)
	assert.False(t, rid.NullOK)
}

func TestAssetTablesCarryTheAssetAnnotation(t *testing.T) {
	t.Parallel()
	ml := newML(t)
	model, err := ml.Model(context.Background())
	require.NoError(t, err)
	for table, pattern := range map[string]string{
		"Execution_Metadata": "/hatrac/metadata/{{MD5}}.{{Filename}}",
		"Execution_Asset":    "/hatrac/metadata/{{MD5}}.{{Filename}}",
		// create_asset_table(use_hatrac=False) hands hatrac_template=None
		// to deriva-py's define_asset, which then writes its default.
		"File": "/hatrac/{{$catalog.id}}/deriva-ml/File/{{{MD5}}}.{{#encode}}{{{Filename}}}{{/encode}}",
	} {
		tab := mustTable(t, model, derivaml.MLSchema, table)
		ann := string(tab.Column("URL").Annotations[catalog.TagAsset])
		assert.Contains(t, ann, `"filename_column":"Filename"`, table)
		assert.Contains(t, ann, `"byte_count_column":"Length"`, table)
		assert.Contains(t, ann, `"md5":"MD5"`, table)
		assert.Equal(t, pattern, derivaml.URLPattern(tab), table)
	}
}

func TestEnsureMLSchemaCompletesAnInterruptedSeeding(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	store := ml.Store()
	// As if seeding had died after the schema was created: some seeded
	// terms and the sentinel file are missing.
	require.NoError(t, store.Delete(ctx, catalog.TableRef{Schema: derivaml.MLSchema, Table: "Asset_Type"},
		catalog.AnyOf{Column: "Name", Values: []any{"Output_File", "Notebook_Output"}}))
	require.NoError(t, store.Delete(ctx, catalog.TableRef{Schema: derivaml.MLSchema, Table: "Execution_Status"},
		catalog.AnyOf{Column: "Name", Values: []any{"Running", "Pending_Upload"}}))
	require.NoError(t, store.Delete(ctx, catalog.TableRef{Schema: derivaml.MLSchema, Table: "File"},
		catalog.Eq{Column: "URL", Value: derivaml.SentinelFileURL}))
	require.NoError(t, ml.EnsureMLSchema(ctx))
	for vocab, n := range map[string]int{"Asset_Type": 12, "Execution_Status": 7, "Asset_Role": 2} {
		terms, err := ml.ListTerms(ctx, vocab)
		require.NoError(t, err)
		assert.Len(t, terms, n, vocab)
	}
	_, err := ml.LookupTerm(ctx, "Asset_Type", "Output_File")
	require.NoError(t, err)
	files, err := store.Count(ctx, catalog.GroupQuery{Table: catalog.TableRef{Schema: derivaml.MLSchema, Table: "File"},
		Where: catalog.Eq{Column: "URL", Value: derivaml.SentinelFileURL}})
	require.NoError(t, err)
	assert.Equal(t, int64(1), files[0].Count)
}

func TestCreateMLSchemaSeedsTermsAndSentinels(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	want := map[string][]string{
		"Dataset_Type": {"Complete", "File", "Directory", "Training", "Testing", "Validation", "Split", "Labeled", "Unlabeled"},
		"Workflow_Type": {"Training", "Testing", "Prediction", "Feature_Creation", "Visualization", "Analysis", "Ingest",
			"Data_Cleaning", "Dataset_Management"},
		"Asset_Type": {"Execution_Config", "Runtime_Env", "Hydra_Config", "Deriva_Config", "Metrics_File", "Execution_Metadata",
			"Execution_Asset", "File", "Input_File", "Output_File", "Model_File", "Notebook_Output"},
		"Asset_Role":       {"Input", "Output"},
		"Execution_Status": {"Created", "Running", "Stopped", "Failed", "Pending_Upload", "Uploaded", "Aborted"},
		"Feature_Name":     nil,
	}
	for vocab, names := range want {
		terms, err := ml.ListTerms(ctx, vocab)
		require.NoError(t, err)
		var got []string
		for _, term := range terms {
			got = append(got, term.Name)
			assert.Equal(t, "/id/"+term.RID, term.URI, "URI default from the server")
			prefix := "demo:"
			if vocab == "Workflow_Type" {
				prefix = "deriva-ml:"
			}
			assert.Equal(t, prefix+term.RID, term.ID, "ID default from the server")
			assert.NotEmpty(t, term.Description)
		}
		assert.Equal(t, names, got, vocab)
	}
	_, err := ml.LookupTerm(ctx, "Dataset_Type", "Development")
	assert.EqualError(t, err, "Invalid term Development in vocabulary Dataset_Type: Term doesn't exist.", "Development is not seeded")

	store := ml.Store()
	for table, where := range map[string]catalog.Filter{
		"Workflow":  catalog.Eq{Column: "URL", Value: derivaml.SentinelWorkflowURL},
		"File":      catalog.Eq{Column: "URL", Value: derivaml.SentinelFileURL},
		"Execution": catalog.Eq{Column: "Status", Value: "Aborted"},
	} {
		rows, err := store.Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: derivaml.MLSchema, Table: table}, Limit: 10})
		require.NoError(t, err)
		assert.Len(t, rows, 1, "one sentinel in %s", table)
		match, err := store.Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: derivaml.MLSchema, Table: table}, Where: where, Limit: 10})
		require.NoError(t, err)
		assert.Len(t, match, 1, table)
	}
	exe, err := store.Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: derivaml.MLSchema, Table: "Execution"}, Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, derivaml.SentinelExecutionDescription, exe[0].String("Description"))
}

func TestCreateMLSchemaRefusesAnExistingSchema(t *testing.T) {
	t.Parallel()
	ml := newML(t)
	err := ml.CreateMLSchema(context.Background())
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "already exists"), err.Error())
}

func TestEnsureMLSchemaCreatesOnceThenLeavesItAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := derivaml.New(localtest.Open(t, local.Options{}), "demo")
	require.NoError(t, ml.EnsureMLSchema(ctx))
	snap, err := ml.Store().Snapshot(ctx)
	require.NoError(t, err)
	require.NoError(t, ml.EnsureMLSchema(ctx))
	again, err := ml.Store().Snapshot(ctx)
	require.NoError(t, err)
	assert.Equal(t, snap, again, "the second call writes nothing")
	model, err := ml.Model(ctx)
	require.NoError(t, err)
	assert.NotNil(t, model.Table(catalog.TableRef{Schema: derivaml.MLSchema, Table: "Dataset"}))
}

func TestInspectClassifiesTables(t *testing.T) {
	t.Parallel()
	ml := newML(t)
	inv, err := ml.Inspect(context.Background())
	require.NoError(t, err)
	assert.True(t, inv.HasMLSchema)
	assert.Len(t, inv.Vocabularies, 6)
	assert.ElementsMatch(t, []catalog.TableRef{{Schema: "deriva-ml", Table: "Execution_Asset"},
		{Schema: "deriva-ml", Table: "Execution_Metadata"}, {Schema: "deriva-ml", Table: "File"}}, inv.Assets)
	require.Len(t, inv.ElementTypes, 1, "only nested datasets until a domain table is registered")
	assert.Equal(t, "Nested_Dataset", inv.ElementTypes[0].Column)
	assert.Contains(t, inv.Associations, catalog.TableRef{Schema: "deriva-ml", Table: "Dataset_Dataset_Type"})
	assert.NotContains(t, inv.Associations, catalog.TableRef{Schema: "deriva-ml", Table: "Dataset_Execution"},
		"Dataset_Execution is impure (it carries Dataset_Version)")
}
