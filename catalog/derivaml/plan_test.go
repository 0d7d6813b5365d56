package derivaml_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// subjectDef is a domain table with a Name key.
var subjectDef = catalog.TableDef{Name: "Subject", Columns: []catalog.ColumnDef{
	{Name: "Name", Type: catalog.TypeText},
	{Name: "Age", Type: catalog.TypeInt4, NullOK: true},
}, Keys: []catalog.KeyDef{{Columns: []string{"Name"}}}}

func TestCreateAssetTable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	_, err := ml.CreateTable(ctx, subjectDef)
	require.NoError(t, err)
	_, err = ml.CreateAssetTable(ctx, "Image", derivaml.AssetOptions{
		Columns: []catalog.ColumnDef{{Name: "Subject", Type: catalog.TypeText, NullOK: true}},
		ForeignKeys: []catalog.ForeignKeyDef{{Columns: []string{"Subject"}, RefSchema: "demo", RefTable: "Subject",
			RefColumns: []string{"RID"}}},
	})
	require.NoError(t, err)
	model, err := ml.Model(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"col URL text NOT NULL", "col Filename text null", "col Description markdown null", "col Length int8 NOT NULL",
		"col MD5 text NOT NULL", "col Subject text null",
		"key Image_RID_key (RID)", "key Image_URL_key (URL)",
		"fk Image_RCB_fkey (RCB) -> public:ERMrest_Client(ID) NO ACTION/NO ACTION",
		"fk Image_RMB_fkey (RMB) -> public:ERMrest_Client(ID) NO ACTION/NO ACTION",
		"fk Image_Subject_fkey (Subject) -> demo:Subject(RID) NO ACTION/NO ACTION",
	}, describe(mustTable(t, model, "demo", "Image")))
	assert.Equal(t, []string{
		"col Image text NOT NULL", "col Execution text NOT NULL", "col Asset_Role text NOT NULL",
		"key Image_Execution_RID_key (RID)", "key Image_Execution_assoc_key (Image,Execution)",
		"fk Image_Execution_RCB_fkey (RCB) -> public:ERMrest_Client(ID) NO ACTION/NO ACTION",
		"fk Image_Execution_RMB_fkey (RMB) -> public:ERMrest_Client(ID) NO ACTION/NO ACTION",
		"fk Image_Execution_Image_fkey (Image) -> demo:Image(RID) CASCADE/CASCADE",
		"fk Image_Execution_Execution_fkey (Execution) -> deriva-ml:Execution(RID) CASCADE/CASCADE",
		"fk Image_Execution_Asset_Role_fkey (Asset_Role) -> deriva-ml:Asset_Role(Name) CASCADE/CASCADE",
	}, describe(mustTable(t, model, "demo", "Image_Execution")))
	assert.Contains(t, describe(mustTable(t, model, "demo", "Image_Asset_Type")),
		"fk Image_Asset_Type_Asset_Type_fkey (Asset_Type) -> deriva-ml:Asset_Type(Name) CASCADE/CASCADE")
	// create_asset passes no template, so deriva-py's default pattern.
	assert.Equal(t, "/hatrac/{{$catalog.id}}/demo/Image/{{{MD5}}}.{{#encode}}{{{Filename}}}{{/encode}}",
		derivaml.URLPattern(mustTable(t, model, "demo", "Image")))
	// create_asset adds an Asset_Type term named after the table.
	term, err := ml.LookupTerm(ctx, "Asset_Type", "Image")
	require.NoError(t, err)
	assert.Equal(t, "A Image asset", term.Description)

	_, err = ml.CreateAssetTable(ctx, "Image", derivaml.AssetOptions{})
	assert.EqualError(t, err, "Table Image already exist")
}

func TestAddDatasetElementType(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	_, err := ml.CreateTable(ctx, subjectDef)
	require.NoError(t, err)
	assoc, err := ml.AddDatasetElementType(ctx, "Subject")
	require.NoError(t, err)
	assert.Equal(t, "Dataset_Subject", assoc.Name)
	model, err := ml.Model(ctx)
	require.NoError(t, err)
	// Subject has a non-null Name key, but DerivaML references domain
	// tables by RID (its vocab-aware _define_association).
	assert.Equal(t, []string{
		"col Dataset text NOT NULL", "col Subject text NOT NULL",
		"key Dataset_Subject_RID_key (RID)", "key Dataset_Subject_assoc_key (Dataset,Subject)",
		"fk Dataset_Subject_RCB_fkey (RCB) -> public:ERMrest_Client(ID) NO ACTION/NO ACTION",
		"fk Dataset_Subject_RMB_fkey (RMB) -> public:ERMrest_Client(ID) NO ACTION/NO ACTION",
		"fk Dataset_Subject_Dataset_fkey (Dataset) -> deriva-ml:Dataset(RID) CASCADE/CASCADE",
		"fk Dataset_Subject_Subject_fkey (Subject) -> demo:Subject(RID) CASCADE/CASCADE",
	}, describe(mustTable(t, model, "demo", "Dataset_Subject")))

	again, err := ml.AddDatasetElementType(ctx, "Subject")
	require.NoError(t, err, "registering twice is fine")
	assert.Equal(t, "Dataset_Subject", again.Name)
	types, err := ml.ElementTypes(ctx)
	require.NoError(t, err)
	var names []string
	for _, et := range types {
		names = append(names, et.Table.Table)
	}
	assert.ElementsMatch(t, []string{"Dataset", "Subject"}, names)

	_, err = ml.AddDatasetElementType(ctx, "Workflow")
	var typeErr *derivaml.TableTypeError
	assert.True(t, errors.As(err, &typeErr), "ML tables cannot be element types: %v", err)
}

func TestPlanAppliesAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	p, err := ml.NewPlan(ctx)
	require.NoError(t, err)
	_, err = p.Table(subjectDef)
	require.NoError(t, err)
	_, err = p.Vocabulary("Tissue", "")
	require.NoError(t, err)
	_, err = p.Table(subjectDef)
	assert.EqualError(t, err, "Table Subject already exists.", "a plan sees its own tables")
	// A table the store rejects (an FK to a missing table) sinks the plan.
	_, err = p.Table(catalog.TableDef{Name: "Broken", Columns: []catalog.ColumnDef{{Name: "X", Type: catalog.TypeText, NullOK: true}},
		ForeignKeys: []catalog.ForeignKeyDef{{Columns: []string{"X"}, RefSchema: "demo", RefTable: "Missing", RefColumns: []string{"RID"}}}})
	require.NoError(t, err)
	require.Error(t, p.Apply(ctx))
	model, err := ml.Refresh(ctx)
	require.NoError(t, err)
	for _, n := range []string{"Subject", "Tissue", "Broken"} {
		assert.Nil(t, model.Table(catalog.TableRef{Schema: "demo", Table: n}), "%s must not exist", n)
	}
}

// The terms a plan adds for its asset tables and features go again when
// its tables cannot be created; terms that were there before stay.
func TestPlanRemovesItsTermsWhenItFails(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	_, err := ml.AddTerm(ctx, "Asset_Type", "Scan", "already here", nil)
	require.NoError(t, err)
	p, err := ml.NewPlan(ctx)
	require.NoError(t, err)
	for _, name := range []string{"Image", "Scan"} {
		_, err = p.AssetTable(name, derivaml.AssetOptions{})
		require.NoError(t, err)
	}
	_, err = p.Feature(derivaml.FeatureSpec{Target: "Image", Name: "Quality"})
	require.NoError(t, err)
	_, err = p.Table(catalog.TableDef{Name: "Broken", Columns: []catalog.ColumnDef{{Name: "X", Type: catalog.TypeText, NullOK: true}},
		ForeignKeys: []catalog.ForeignKeyDef{{Columns: []string{"X"}, RefSchema: "demo", RefTable: "Missing", RefColumns: []string{"RID"}}}})
	require.NoError(t, err)
	require.Error(t, p.Apply(ctx))
	_, err = ml.LookupTerm(ctx, "Asset_Type", "Image")
	assert.Error(t, err, "the Image asset type is removed with the failed plan")
	_, err = ml.LookupTerm(ctx, "Feature_Name", "Quality")
	assert.Error(t, err, "so is the feature name")
	scan, err := ml.LookupTerm(ctx, "Asset_Type", "Scan")
	require.NoError(t, err, "a term that existed before stays")
	assert.Equal(t, "already here", scan.Description)
}
