package catalog

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Expected names were computed with deriva-py's make_id.
func TestMakeIDMatchesDerivaPy(t *testing.T) {
	t.Parallel()
	cases := []struct {
		parts []string
		want  string
	}{
		{[]string{"Dataset", "Version", "fkey"}, "Dataset_Version_fkey"},
		{[]string{"Execution_Metadata_Asset_Type", "Execution_Metadata", "fkey"}, "Execution_Metadata_Asset_Type_Execution_Metadata_fkey"},
		{[]string{"A_very_long_table_name_that_goes_on_and_on", "Another_long_column_name_here", "fkey"},
			"A_very_long_t.._Another_long_column_name_here_fkey_84qbu"},
		{[]string{"X", "Y", "Z", "a_really_really_really_long_component_that_exceeds_limits_by_itself_alone", "key"},
			"X_Y_Z_a_really_real.._key_q7zSR"},
		{[]string{"Ünïcödé_tåble_with_many_multibyte_chars_ééééééééééé", "Çolumn_ñame_ééééééééééé", "fkey"},
			"Ünïcödé_t.._Çolumn_ñame.._fkey_j346j"},
		{[]string{strings.Repeat("a", 94)}, "aaaaaaaaaaaaa.._IMglV"},
		// Exactly 63 bytes still fits: deriva-py keeps a name of len <= 63 as is.
		{[]string{strings.Repeat("t", 29), strings.Repeat("c", 28), "fkey"},
			strings.Repeat("t", 29) + "_" + strings.Repeat("c", 28) + "_fkey"},
		{strings.Split("a b c d e f g h i j k l m n o p q r s t u v w x y z aa bb cc dd ee", " "),
			"a_b_c_d_e_f_g_h_i_j_..w_x_y_z_aa_bb_cc_dd_ee_81TMd"},
	}
	for _, c := range cases {
		got := MakeID(c.parts...)
		assert.Equal(t, c.want, got, "MakeID(%q)", c.parts)
		assert.LessOrEqual(t, len(got), 63)
	}
}

func TestServerConstraintName(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "Dataset_Version_Dataset_Version_key", ServerConstraintName("Dataset_Version", []string{"Dataset", "Version"}, "key"))
	assert.Equal(t, "Execution_Workflow_fkey", ServerConstraintName("Execution", []string{"Workflow"}, "fkey"))
	long := ServerConstraintName(strings.Repeat("t", 50), []string{strings.Repeat("c", 40)}, "key")
	assert.Len(t, long, 63)
	assert.True(t, strings.HasSuffix(long, "_key"))
	assert.Equal(t, strings.Repeat("t", 29)+"_"+strings.Repeat("c", 29)+"_key", long)
}

func TestDefineTableSystemParts(t *testing.T) {
	t.Parallel()
	tab := DefineTable(TableDef{Schema: "s", Name: "T", Columns: []ColumnDef{{Name: "A", Type: TypeText, NullOK: true}}})
	var names []string
	for _, c := range tab.Columns {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"RID", "RCT", "RMT", "RCB", "RMB", "A"}, names)
	assert.False(t, tab.Columns[0].NullOK)
	assert.True(t, tab.Columns[3].NullOK)
	assert.JSONEq(t, `{"name":"Record ID"}`, string(tab.Columns[0].Annotations[TagDisplay]))
	require.Len(t, tab.Keys, 1)
	assert.Equal(t, [][2]string{{"s", "T_RID_key"}}, tab.Keys[0].Names)
	require.Len(t, tab.ForeignKeys, 2)
	assert.Equal(t, [][2]string{{"s", "T_RCB_fkey"}}, tab.ForeignKeys[0].Names)
	assert.Equal(t, ColumnRef{Schema: "public", Table: "ERMrest_Client", Column: "ID"}, tab.ForeignKeys[1].Referenced[0])
	assert.Equal(t, NoAction, tab.ForeignKeys[1].OnDelete)
}

func TestDefineVocabulary(t *testing.T) {
	t.Parallel()
	v, err := DefineVocabulary(VocabularyDef{Schema: "demo", Name: "Diagnosis", CurieTemplate: "demo:{RID}"})
	require.NoError(t, err)
	want := []struct {
		name, typ string
		nullok    bool
		def       string
	}{
		{"ID", "ermrest_curie", false, `"demo:{RID}"`}, {"URI", "ermrest_uri", false, `"/id/{RID}"`},
		{"Name", "text", false, "null"}, {"Description", "markdown", false, "null"}, {"Synonyms", "text[]", true, "null"},
	}
	for i, w := range want {
		c := v.Columns[5+i]
		assert.Equal(t, w.name, c.Name)
		assert.Equal(t, w.typ, c.Type.Name)
		assert.Equal(t, w.nullok, c.NullOK, w.name)
		assert.JSONEq(t, w.def, string(c.Default), w.name)
	}
	var keys []string
	for _, k := range v.Keys {
		keys = append(keys, k.Names[0][1])
	}
	assert.Equal(t, []string{"Diagnosis_RID_key", "Diagnosis_ID_key", "Diagnosis_URI_key", "Diagnosis_Name_key"}, keys)

	_, err = DefineVocabulary(VocabularyDef{Schema: "demo", Name: "Bad", CurieTemplate: "no template"})
	assert.ErrorContains(t, err, "curie_template")
}

func TestDefineAsset(t *testing.T) {
	t.Parallel()
	a := DefineAsset(AssetDef{Schema: "demo", Name: "Image"})
	url := a.Column("URL")
	require.NotNil(t, url)
	assert.False(t, url.NullOK)
	var ann map[string]string
	require.NoError(t, json.Unmarshal(url.Annotations[TagAsset], &ann))
	assert.Equal(t, "/hatrac/{{$catalog.id}}/demo/Image/{{{MD5}}}.{{#encode}}{{{Filename}}}{{/encode}}", ann["url_pattern"])
	assert.Equal(t, "Filename", ann["filename_column"])
	assert.Equal(t, "Asset table.", *a.Comment)
	assert.True(t, a.Column("Filename").NullOK)
	assert.False(t, a.Column("Length").NullOK)
	assert.Equal(t, "int8", a.Column("Length").Type.Name)
	assert.Equal(t, []string{"URL"}, a.Keys[1].UniqueColumns)
}

func TestDefineAssociation(t *testing.T) {
	t.Parallel()
	subject := DefineTable(TableDef{Schema: "d", Name: "Subject"})
	vocab, err := DefineVocabulary(VocabularyDef{Schema: "d", Name: "Species", CurieTemplate: "d:{RID}"})
	require.NoError(t, err)
	a, err := DefineAssociation(AssociationDef{Schema: "d", Associates: []Reference{{Table: subject}, {Table: vocab}}})
	require.NoError(t, err)
	assert.Equal(t, "Subject_Species", a.Name)
	assert.Equal(t, "text", a.Column("Subject").Type.Name, "an FK to RID is plain text")
	assert.False(t, a.Column("Species").NullOK)
	assert.Equal(t, [][2]string{{"d", "Subject_Species_assoc_key"}}, a.Keys[1].Names)
	assert.Equal(t, []string{"Subject", "Species"}, a.Keys[1].UniqueColumns)
	fk := a.ForeignKeys[3]
	assert.Equal(t, [][2]string{{"d", "Subject_Species_Species_fkey"}}, fk.Names)
	assert.Equal(t, "Name", fk.Referenced[0].Column, "vocabularies are referenced by Name")
	assert.Equal(t, Cascade, fk.OnDelete)
	assert.Equal(t, Cascade, fk.OnUpdate)

	self, err := DefineAssociation(AssociationDef{Schema: "d", Associates: []Reference{{Table: subject}, {Table: subject}}})
	require.NoError(t, err)
	assert.NotNil(t, self.Column("Subject2"), "a repeated table gets a numbered base name")

	_, err = DefineAssociation(AssociationDef{Schema: "d", Associates: []Reference{{Table: subject}}})
	assert.Error(t, err)
}
