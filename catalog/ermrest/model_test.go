package ermrest

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

// observedTables decodes the two table documents exactly as the real server
// returned them (reference ermrest-observed/model_GET_table_*.json) inside a
// model document.
func observedTables(t *testing.T) (image, stain *catalog.Table) {
	t.Helper()
	tables := map[string]json.RawMessage{}
	for _, name := range []string{"Image", "Stain"} {
		data, err := os.ReadFile(filepath.Join("testdata", "model_GET_table_cell-imaging_"+name+".json"))
		require.NoError(t, err)
		tables[name] = data
	}
	doc, err := json.Marshal(map[string]any{"snaptime": "362-74WJ-TSX6",
		"schemas": map[string]any{"cell-imaging": map[string]any{"schema_name": "cell-imaging", "tables": tables}}})
	require.NoError(t, err)
	m, err := DecodeModel(doc)
	require.NoError(t, err)
	image, stain = m.Schemas["cell-imaging"].Tables["Image"], m.Schemas["cell-imaging"].Tables["Stain"]
	require.NotNil(t, image)
	require.NotNil(t, stain)
	return image, stain
}

func TestDecodeModelObservedTable(t *testing.T) {
	t.Parallel()
	img, stain := observedTables(t)
	assert.Equal(t, "cell-imaging", img.SchemaName)
	assert.Equal(t, "table", img.Kind)
	require.NotNil(t, img.Comment)
	assert.Equal(t, "an image table", *img.Comment)
	require.NotNil(t, stain.Comment)
	assert.Equal(t, "stain vocabulary", *stain.Comment)
	assert.JSONEq(t, `{"*":["Filename","Stain"]}`, string(img.Annotations["tag:isrd.isi.edu,2016:visible-columns"]))
	assert.Empty(t, stain.Annotations)

	names := func(tbl *catalog.Table) []string {
		var out []string
		for _, c := range tbl.Columns {
			out = append(out, c.Name)
		}
		return out
	}
	assert.Equal(t, []string{"RID", "RCT", "RMT", "RCB", "RMB", "Filename", "Stain", "Width", "Score", "Acquired", "Tags", "Meta", "Extra"}, names(img))
	assert.Equal(t, []string{"RID", "RCT", "RMT", "RCB", "RMB", "ID", "URI", "Name", "Description", "Synonyms"}, names(stain))

	rid := img.Column("RID")
	assert.True(t, rid.Type.IsDomain)
	assert.Equal(t, "ermrest_rid", rid.Type.Name)
	assert.Equal(t, "text", rid.Type.BaseName())
	assert.False(t, rid.NullOK)
	assert.Equal(t, `"_ermrest.urlb32_encode(nextval('_ermrest.rid_seq'::regclass))"`, string(rid.Default), "system defaults stay opaque JSON")
	assert.Equal(t, `"now()"`, string(img.Column("RCT").Default))
	assert.True(t, img.Column("RCB").NullOK)
	tags := img.Column("Tags")
	assert.True(t, tags.Type.IsArray)
	assert.Equal(t, "text[]", tags.Type.Name)
	assert.Equal(t, "text", tags.Type.BaseName())
	assert.Equal(t, "jsonb", img.Column("Meta").Type.Name)
	assert.Equal(t, "timestamptz", img.Column("Acquired").Type.Name)
	assert.Equal(t, "null", string(img.Column("Width").Default))
	extra := img.Column("Extra")
	assert.True(t, extra.Type.IsDomain)
	assert.Equal(t, "markdown", extra.Type.Name)

	id := stain.Column("ID")
	assert.Equal(t, "ermrest_curie", id.Type.Name)
	assert.True(t, id.Type.IsDomain)
	assert.Equal(t, "text", id.Type.BaseName())
	assert.Equal(t, `"cell-imaging:{RID}"`, string(id.Default), "the vocabulary's CURIE template")
	assert.Equal(t, `"/id/{RID}"`, string(stain.Column("URI").Default))
	assert.Equal(t, "ermrest_uri", stain.Column("URI").Type.Name)
	desc := stain.Column("Description")
	assert.Equal(t, "markdown", desc.Type.Name)
	assert.True(t, desc.Type.IsDomain)
	assert.Equal(t, "text", desc.Type.BaseName())
	assert.False(t, desc.NullOK)

	keys := func(tbl *catalog.Table) map[string][]string {
		out := map[string][]string{}
		for _, k := range tbl.Keys {
			require.Len(t, k.Names, 1)
			assert.Equal(t, "cell-imaging", k.Names[0][0])
			out[k.Names[0][1]] = k.UniqueColumns
		}
		return out
	}
	assert.Equal(t, map[string][]string{"Image_RID_key": {"RID"}, "Image_Filename_key": {"Filename"}, "Image_Extra_key": {"Extra"}}, keys(img))
	assert.Equal(t, map[string][]string{"Stain_RID_key": {"RID"}, "Stain_ID_key": {"ID"}, "Stain_URI_key": {"URI"},
		"Stain_Name_key": {"Name"}}, keys(stain))
	assert.Equal(t, "1V6", img.Keys[1].RID)

	fks := map[string]catalog.ForeignKey{}
	for _, fk := range img.ForeignKeys {
		require.Len(t, fk.Names, 1)
		fks[fk.Names[0][1]] = fk
	}
	require.Len(t, fks, 3)
	st := fks["Image_Stain_fkey"]
	assert.Equal(t, []catalog.ColumnRef{{Schema: "cell-imaging", Table: "Image", Column: "Stain"}}, st.Columns)
	assert.Equal(t, []catalog.ColumnRef{{Schema: "cell-imaging", Table: "Stain", Column: "Name"}}, st.Referenced)
	assert.Equal(t, "NO ACTION", st.OnDelete)
	assert.Equal(t, "CASCADE", st.OnUpdate)
	rcb := fks["Image_RCB_fkey"]
	assert.Equal(t, []catalog.ColumnRef{{Schema: "public", Table: "ERMrest_Client", Column: "ID"}}, rcb.Referenced)
	assert.Equal(t, "NO ACTION", rcb.OnDelete)
	assert.Equal(t, "NO ACTION", rcb.OnUpdate)
	assert.Contains(t, fks, "Image_RMB_fkey")
	require.Len(t, stain.ForeignKeys, 2)
	for _, fk := range stain.ForeignKeys {
		assert.Equal(t, "ERMrest_Client", fk.Referenced[0].Table)
	}
}

func TestDecodeModelRejectsMalformed(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{``, `{`, `[]`, `{"snaptime":"x"}`, `{"schemas":{"s":null}}`,
		`{"schemas":{"s":{"tables":{"t":null}}}}`, `{"schemas":{"s":{"tables":{"t":{"column_definitions":7}}}}}`,
		`<html><body>502</body></html>`} {
		_, err := DecodeModel([]byte(doc))
		assert.ErrorIs(t, err, catalog.ErrBadResponse, doc)
	}
	m, err := DecodeModel([]byte(`{"schemas":{"s":{"tables":{"t":{}}}}}`))
	if err != nil || m.Schemas["s"].Name != "s" || m.Schemas["s"].Tables["t"].Name != "t" {
		t.Errorf("names filled from keys: %+v %v", m, err)
	}
}

func FuzzDecodeModel(f *testing.F) {
	long := strings.Repeat("n", 64) // over PostgreSQL's 63-byte identifier limit
	for _, s := range []string{`{"schemas":{}}`, `{"schemas":{"s":{"tables":{"t":{"column_definitions":[{"name":"c","type":{"typename":"text[]","is_array":true,"base_type":{"typename":"text"}}}],"keys":[{"names":[["s","k"]],"unique_columns":["c"]}]}}}}}`, `{`, `null`,
		"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>",
		`{"schemas":{"` + long + `":{"tables":{"` + long + `":{"column_definitions":[{"name":"` + long + `","type":{"typename":"int8"}}]}}}}}`,
		`{"schemas":{"s":{"tables":{"t":{"column_definitions":[{"name":"c","type":7}]}}}}}`, "{\"schemas\":{\"s\xff\":{}}}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeModel(data)
		if err != nil {
			var ce *catalog.Error
			if !errors.As(err, &ce) || !errors.Is(err, catalog.ErrBadResponse) || ce.Fix == "" {
				t.Fatalf("DecodeModel(%q) error is not a catalog ErrBadResponse with a fix: %#v", data, err)
			}
			return
		}
		for sn, s := range m.Schemas {
			for tn, tbl := range s.Tables {
				if tbl == nil || tbl.Name == "" && tn != "" || s.Name == "" && sn != "" {
					t.Fatalf("decoded model with holes: %q %q", sn, tn)
				}
				for _, c := range tbl.Columns {
					_ = c.Type.BaseName()
				}
			}
		}
	})
}
