package derivaml_test

import (
	"context"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// assetTypes reads the Asset_Type tags of each asset of a table.
func assetTypes(t *testing.T, ml *derivaml.ML, schema, table string) map[string][]string {
	t.Helper()
	rows, err := ml.Store().Query(context.Background(), catalog.Query{
		Table: catalog.TableRef{Schema: schema, Table: table + "_Asset_Type"}, Limit: 100})
	require.NoError(t, err)
	out := map[string][]string{}
	for _, r := range rows {
		out[r.String(table)] = append(out[r.String(table)], r.String("Asset_Type"))
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

// roles reads the <table>_Execution rows as asset → execution → role.
func roles(t *testing.T, ml *derivaml.ML, schema, table string) map[string]map[string]string {
	t.Helper()
	rows, err := ml.Store().Query(context.Background(), catalog.Query{
		Table: catalog.TableRef{Schema: schema, Table: table + "_Execution"}, Limit: 100})
	require.NoError(t, err)
	out := map[string]map[string]string{}
	for _, r := range rows {
		if out[r.String(table)] == nil {
			out[r.String(table)] = map[string]string{}
		}
		out[r.String(table)][r.String("Execution")] = r.String("Asset_Role")
	}
	return out
}

// Assets are tagged and linked as update_asset_execution_table does:
// content types (default: the table's name) plus Output_File or
// Input_File, and the role on <table>_Execution.
func TestAddAssetsTagsByRole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	imageDomain(t, ml, 0)
	exe := runningExecution(t, ml, "segmenter")
	file := func(name string) []derivaml.Asset {
		return []derivaml.Asset{{URL: "/hatrac/x/" + name, Filename: name, Length: 1, MD5: name}}
	}
	cases := []struct {
		name  string
		link  derivaml.AssetLink
		types []string
		role  string
	}{
		{"output by default, typed by its table", derivaml.AssetLink{Execution: exe}, []string{"Image", "Output_File"}, "Output"},
		{"explicit types", derivaml.AssetLink{Execution: exe, Types: []string{"Model_File"}}, []string{"Model_File", "Output_File"}, "Output"},
		{"Output_File given is not doubled", derivaml.AssetLink{Execution: exe, Types: []string{"Output_File"}}, []string{"Output_File"}, "Output"},
		{"no content tag", derivaml.AssetLink{Execution: exe, Types: []string{}}, []string{"Output_File"}, "Output"},
		{"input", derivaml.AssetLink{Execution: exe, Role: derivaml.RoleInput}, []string{"Image", "Input_File"}, "Input"},
		{"no execution, no direction", derivaml.AssetLink{}, []string{"Image"}, ""},
	}
	for i, c := range cases {
		rids, err := ml.AddAssets(ctx, "Image", file(string(rune('a'+i))), c.link)
		require.NoError(t, err, c.name)
		require.Len(t, rids, 1)
		assert.Equal(t, c.types, assetTypes(t, ml, "demo", "Image")[rids[0]], c.name)
		want := map[string]string(nil)
		if c.role != "" {
			want = map[string]string{exe: c.role}
		}
		assert.Equal(t, want, roles(t, ml, "demo", "Image")[rids[0]], c.name)
	}
}

// AddInputAssets is download_asset's catalog side: role Input and the
// Input_File tag, the asset's own types kept, and idempotent.
func TestAddInputAssets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	imageDomain(t, ml, 0)
	producer := runningExecution(t, ml, "producer")
	consumer := runningExecution(t, ml, "consumer")
	img, err := ml.AddAssets(ctx, "Image", []derivaml.Asset{{URL: "/i", Filename: "i.png", Length: 1, MD5: "i"}},
		derivaml.AssetLink{Execution: producer})
	require.NoError(t, err)
	model, err := ml.AddAssets(ctx, "Execution_Asset", []derivaml.Asset{{URL: "/m", Filename: "m.pt", Length: 1, MD5: "m"}},
		derivaml.AssetLink{Execution: producer, Types: []string{"Model_File"}})
	require.NoError(t, err)

	inputs := []string{img[0], model[0]}
	require.NoError(t, ml.AddInputAssets(ctx, consumer, inputs))
	require.NoError(t, ml.AddInputAssets(ctx, consumer, inputs), "repeating is harmless")
	assert.Equal(t, []string{"Image", "Input_File", "Output_File"}, assetTypes(t, ml, "demo", "Image")[img[0]])
	assert.Equal(t, map[string]string{producer: "Output", consumer: "Input"}, roles(t, ml, "demo", "Image")[img[0]])
	assert.Equal(t, []string{"Input_File", "Model_File", "Output_File"},
		assetTypes(t, ml, "deriva-ml", "Execution_Asset")[model[0]])
	assert.Equal(t, map[string]string{producer: "Output", consumer: "Input"},
		roles(t, ml, "deriva-ml", "Execution_Asset")[model[0]])

	err = ml.AddInputAssets(ctx, consumer, []string{producer})
	assert.EqualError(t, err, "RID "+producer+"  is not for an asset table.")
	err = ml.AddInputAssets(ctx, "1-GONE", inputs)
	assert.Error(t, err, "the execution must exist")
}

func TestExpandURLPattern(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"MD5": "0a1b", "Filename": "scan 1 (left)+ü.png"}
	cases := []struct{ pattern, want string }{
		{"/hatrac/{{$catalog.id}}/demo/Image/{{{MD5}}}.{{#encode}}{{{Filename}}}{{/encode}}",
			"/hatrac/7/demo/Image/0a1b.scan%201%20(left)%2B%C3%BC.png"},
		{derivaml.BuiltinHatracTemplate, "/hatrac/metadata/0a1b.scan 1 (left)+ü.png"},
		{"/plain", "/plain"},
	}
	for _, c := range cases {
		got, err := derivaml.ExpandURLPattern(c.pattern, "7", vars)
		require.NoError(t, err, c.pattern)
		assert.Equal(t, c.want, got, c.pattern)
	}
	_, err := derivaml.ExpandURLPattern("/hatrac/{{{Subject}}}/{{{MD5}}}", "7", vars)
	assert.EqualError(t, err, "url pattern /hatrac/{{{Subject}}}/{{{MD5}}}: no value for Subject")
}
