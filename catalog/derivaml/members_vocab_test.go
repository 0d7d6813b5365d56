package derivaml_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// A vocabulary registered as an element type is referenced by its Name key
// (define_association's key search order), so its members are written and
// read by Name while callers keep using the terms' RIDs; on both backends.
func TestVocabularyMembersUseNameKey(t *testing.T) {
	t.Parallel()
	for name, open := range map[string]func(testing.TB) *derivaml.ML{
		"local": newML,
		"http":  func(tb testing.TB) *derivaml.ML { ml, _ := overHTTP(tb); return ml },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			ml := open(t)
			_, err := ml.CreateVocabulary(ctx, "Tissue", "tissue kinds")
			require.NoError(t, err)
			var terms []derivaml.Term
			for _, n := range []string{"Liver", "Lung", "Heart"} {
				term, err := ml.AddTerm(ctx, "Tissue", n, n+" tissue", nil)
				require.NoError(t, err)
				terms = append(terms, term)
			}
			assoc, err := ml.AddDatasetElementType(ctx, "Tissue")
			require.NoError(t, err)
			assert.Contains(t, describe(assoc), "fk Dataset_Tissue_Tissue_fkey (Tissue) -> demo:Tissue(Name) CASCADE/CASCADE")

			ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "tissues"})
			require.NoError(t, err)
			require.NoError(t, ml.AddDatasetMembers(ctx, ds.RID, map[string][]string{"Tissue": {terms[0].RID}}, derivaml.MemberOptions{}))
			require.NoError(t, ml.AddDatasetMemberRIDs(ctx, ds.RID, []string{terms[1].RID}, derivaml.MemberOptions{}))
			rows, err := ml.Store().Query(ctx, catalog.Query{Table: assoc.Ref(), Select: []string{"Tissue"}, Limit: 10})
			require.NoError(t, err)
			var stored []string
			for _, r := range rows {
				stored = append(stored, r.String("Tissue"))
			}
			assert.ElementsMatch(t, []string{"Liver", "Lung"}, stored, "the association holds the terms' Names")

			err = ml.AddDatasetMemberRIDs(ctx, ds.RID, []string{terms[0].RID}, derivaml.MemberOptions{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "Attempting to add existing member to dataset_table "+ds.RID+": {'"+terms[0].RID+"'}")

			live, err := ml.ListMembers(ctx, ds.RID, "")
			require.NoError(t, err)
			assert.ElementsMatch(t, []string{terms[0].RID, terms[1].RID}, ridsOf(live["Tissue"]))
			assert.ElementsMatch(t, []string{"Liver", "Lung"}, []string{live["Tissue"][0].String("Name"), live["Tissue"][1].String("Name")})

			p, err := ml.Preview(ctx, derivaml.PreviewRequest{Table: "Tissue", Dataset: ds.RID})
			require.NoError(t, err)
			require.Len(t, p.Rows, 2)
			assert.ElementsMatch(t, []any{terms[0].RID, terms[1].RID}, []any{p.Rows[0]["Tissue.RID"], p.Rows[1]["Tissue.RID"]})

			v, err := ml.Release(ctx, ds.RID, derivaml.Minor, "two tissues", "")
			require.NoError(t, err)
			require.NoError(t, ml.DeleteDatasetMembers(ctx, ds.RID, []string{terms[0].RID}, derivaml.MemberOptions{}))
			live, err = ml.ListMembers(ctx, ds.RID, "")
			require.NoError(t, err)
			assert.Equal(t, []string{terms[1].RID}, ridsOf(live["Tissue"]))
			at, err := ml.ListMembers(ctx, ds.RID, v.String())
			require.NoError(t, err)
			assert.ElementsMatch(t, []string{terms[0].RID, terms[1].RID}, ridsOf(at["Tissue"]), "%s read at its snapshot", v)
		})
	}
}
