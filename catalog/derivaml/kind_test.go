package derivaml_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/catalog/derivaml/demo"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

func TestKindOf(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := localtest.Open(t, local.Options{})
	_, err := demo.Seed(ctx, store, demo.Options{Subjects: 3, Images: 10})
	require.NoError(t, err)
	model, err := store.Model(ctx, "")
	require.NoError(t, err)
	for ref, want := range map[catalog.TableRef]derivaml.TableKind{
		{Schema: derivaml.MLSchema, Table: "Dataset_Type"}:                 derivaml.TableVocabulary,
		{Schema: derivaml.MLSchema, Table: "Execution_Metadata"}:           derivaml.TableAsset,
		{Schema: derivaml.MLSchema, Table: "Dataset_Dataset_Type"}:         derivaml.TableAssociation,
		{Schema: derivaml.MLSchema, Table: "Execution_Metadata_Execution"}: derivaml.TableAssociation, // with Asset_Role besides its links
		{Schema: derivaml.MLSchema, Table: "Dataset"}:                      derivaml.TablePlain,
		{Schema: "demo", Table: "Diagnosis"}:                               derivaml.TableVocabulary,
		{Schema: "demo", Table: "Image"}:                                   derivaml.TableAsset,
		{Schema: "demo", Table: "Execution_Image_Diagnosis"}:               derivaml.TableFeature,
		{Schema: "demo", Table: "Dataset_Image"}:                           derivaml.TableAssociation,
		{Schema: "demo", Table: "Subject"}:                                 derivaml.TablePlain,
	} {
		tab := model.Table(ref)
		require.NotNil(t, tab, ref.String())
		require.Equal(t, want, derivaml.KindOf(tab), ref.String())
	}
	require.Equal(t, derivaml.TablePlain, derivaml.KindOf(nil))
}
