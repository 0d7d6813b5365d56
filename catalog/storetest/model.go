package storetest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

func runModel(t *testing.T, open func(t *testing.T) catalog.Store) {
	t.Run("ReadBackAfterCreate", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		m, err := e.s.Model(e.ctx, "")
		require.NoError(t, err)
		assert.NotEmpty(t, m.Snaptime, "the model reports its version")

		sc := m.Schemas[schema]
		require.NotNil(t, sc, "schema %s", schema)
		require.NotNil(t, sc.Comment)
		assert.Equal(t, "contract schema", *sc.Comment)
		assert.JSONEq(t, `{"team":"ml"}`, string(sc.Annotations["tag:example.org,2024:owner"]))

		img := m.Table(imageRef)
		require.NotNil(t, img, "table %s", imageRef)
		assert.Equal(t, "table", img.Kind)
		require.NotNil(t, img.Comment)
		assert.Equal(t, "an image table", *img.Comment)
		assert.JSONEq(t, `{"*":["Filename","Stain"]}`, string(img.Annotations[visibleColumns]))

		var names []string
		for _, c := range img.Columns {
			names = append(names, c.Name)
		}
		assert.Equal(t, []string{"RID", "RCT", "RMT", "RCB", "RMB", "Filename", "Stain", "Width", "Score",
			"Acquired", "Tags", "Meta", "Flagged", "Note"}, names, "columns in definition order, system columns first")

		rid := img.Column("RID")
		assert.Equal(t, "ermrest_rid", rid.Type.Name)
		assert.True(t, rid.Type.IsDomain)
		assert.False(t, rid.NullOK)
		note := img.Column("Note")
		assert.Equal(t, "markdown", note.Type.Name)
		assert.True(t, note.Type.IsDomain, "markdown is a domain")
		require.NotNil(t, note.Type.Base)
		assert.Equal(t, "text", note.Type.Base.Name)
		tags := img.Column("Tags")
		assert.Equal(t, "text[]", tags.Type.Name)
		assert.True(t, tags.Type.IsArray)
		require.NotNil(t, tags.Type.Base)
		assert.Equal(t, "text", tags.Type.Base.Name)
		assert.Equal(t, "int4", img.Column("Width").Type.Name)
		assert.Equal(t, "jsonb", img.Column("Meta").Type.Name)
		assert.Equal(t, "timestamptz", img.Column("Acquired").Type.Name)
		assert.False(t, img.Column("Filename").NullOK)
		assert.True(t, img.Column("Width").NullOK)
		require.NotNil(t, img.Column("Filename").Comment)
		assert.Equal(t, "file name", *img.Column("Filename").Comment)
		assert.JSONEq(t, `{"unit":"px"}`, string(img.Column("Width").Annotations["tag:example.org,2024:unit"]))

		stain := m.Table(stainRef)
		require.NotNil(t, stain)
		assert.JSONEq(t, `"contract:{RID}"`, string(stain.Column("ID").Default), "a user column keeps its default")

		var keys []string
		for _, k := range img.Keys {
			keys = append(keys, strings.Join(k.UniqueColumns, ","))
		}
		assert.ElementsMatch(t, []string{"RID", "Filename"}, keys)
		for _, k := range img.Keys {
			if strings.Join(k.UniqueColumns, ",") == "Filename" {
				assert.Equal(t, [][2]string{{schema, "Image_Filename_key"}}, k.Names)
			}
		}

		fk := findFKey(img, "Stain")
		require.NotNil(t, fk, "foreign key on Stain")
		assert.Equal(t, [][2]string{{schema, "Image_Stain_fkey"}}, fk.Names)
		assert.Equal(t, []catalog.ColumnRef{{Schema: schema, Table: "Image", Column: "Stain"}}, fk.Columns)
		assert.Equal(t, []catalog.ColumnRef{{Schema: schema, Table: "Stain", Column: "Name"}}, fk.Referenced)
		assert.Equal(t, "CASCADE", fk.OnUpdate)
		assert.Equal(t, "NO ACTION", fk.OnDelete)
		rcb := findFKey(img, "RCB")
		require.NotNil(t, rcb, "RCB references the client registry")
		assert.Equal(t, []catalog.ColumnRef{{Schema: "public", Table: "ERMrest_Client", Column: "ID"}}, rcb.Referenced)
	})

	t.Run("PublicSchemaHasClientRegistry", func(t *testing.T) {
		t.Parallel()
		ctx, s := t.Context(), open(t)
		m, err := s.Model(ctx, "")
		require.NoError(t, err)
		client := m.Table(catalog.TableRef{Schema: catalog.ClientSchema, Table: catalog.ClientTable})
		require.NotNil(t, client, "public:ERMrest_Client exists in a new catalog")
		for _, name := range []string{"RID", "ID", "Display_Name", "Full_Name", "Email", "Client_Object"} {
			assert.NotNil(t, client.Column(name), "ERMrest_Client.%s", name)
		}
	})

	t.Run("CreateIsAtomic", func(t *testing.T) {
		t.Parallel()
		ctx, s := t.Context(), open(t)
		good := catalog.DefineTable(catalog.TableDef{Schema: "atomic", Name: "Good",
			Columns: []catalog.ColumnDef{{Name: "Name", Type: catalog.TypeText}}})
		bad := catalog.DefineTable(catalog.TableDef{Schema: "atomic", Name: "Bad",
			Columns: []catalog.ColumnDef{{Name: "Name", Type: catalog.Type{Name: "varchar"}}}})
		err := s.Create(ctx, catalog.ModelChange{Schemas: []catalog.SchemaDef{{Name: "atomic"}},
			Tables: []*catalog.Table{good, bad}})
		requireKind(t, err, catalog.ErrConflict, "an unsupported type is a conflict")
		m, err := s.Model(ctx, "")
		require.NoError(t, err)
		assert.Nil(t, m.Schemas["atomic"], "a failed Create leaves no schema behind")
		assert.Nil(t, m.Table(catalog.TableRef{Schema: "atomic", Table: "Good"}), "nor any table")
	})

	t.Run("ForeignKeysWithinOneChange", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open) // Image references Stain, created together
		rows := e.images()
		assert.Equal(t, "DAPI", rows["a.png"].String("Stain"))
	})

	t.Run("DuplicateSchemaConflicts", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		err := e.s.Create(e.ctx, catalog.ModelChange{Schemas: []catalog.SchemaDef{{Name: schema}}})
		requireKind(t, err, catalog.ErrConflict)
	})

	t.Run("NamesOver63BytesAreRejected", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		withColumn := func(table, col string) catalog.ModelChange {
			return catalog.ModelChange{Tables: []*catalog.Table{catalog.DefineTable(catalog.TableDef{
				Schema: schema, Name: table, Columns: []catalog.ColumnDef{{Name: col, Type: catalog.TypeText, NullOK: true}}})}}
		}
		long := strings.Repeat("é", 32) // 32 characters, 64 bytes
		requireKind(t, e.s.Create(e.ctx, withColumn("Long", long)), catalog.ErrBadRequest, "a 64-byte column name")
		requireKind(t, e.s.Create(e.ctx, catalog.ModelChange{Schemas: []catalog.SchemaDef{{Name: long}}}),
			catalog.ErrBadRequest, "a 64-byte schema name")
		fits := strings.Repeat("é", 31) + "a" // 63 bytes
		require.NoError(t, e.s.Create(e.ctx, withColumn("Fits", fits)), "a 63-byte column name")
		m, err := e.s.Model(e.ctx, "")
		require.NoError(t, err)
		assert.NotNil(t, m.Table(catalog.TableRef{Schema: schema, Table: "Fits"}).Column(fits))
	})
}

func findFKey(t *catalog.Table, col string) *catalog.ForeignKey {
	for i, fk := range t.ForeignKeys {
		if len(fk.Columns) == 1 && fk.Columns[0].Column == col {
			return &t.ForeignKeys[i]
		}
	}
	return nil
}
