package ermresttest

import "github.com/cyclezero/cyclezero/catalog"

// CellImaging is the schema of the real ERMrest server the captures in
// reference/ermrest-observed/ were taken from: a Stain vocabulary and an
// Image table whose columns cover every value kind (text, int, float,
// timestamptz, text[], jsonb) and an FK to the vocabulary's Name.
func CellImaging() catalog.ModelChange {
	stain := catalog.DefineTable(catalog.TableDef{Schema: "cell-imaging", Name: "Stain", Columns: []catalog.ColumnDef{
		{Name: "ID", Type: catalog.TypeCurie, Default: "cell-imaging:{RID}"},
		{Name: "URI", Type: catalog.TypeURI, Default: "/id/{RID}"},
		{Name: "Name", Type: catalog.TypeText},
		{Name: "Description", Type: catalog.TypeMarkdown},
		{Name: "Synonyms", Type: catalog.TypeTextArray, NullOK: true},
	}, Keys: []catalog.KeyDef{{Columns: []string{"ID"}}, {Columns: []string{"URI"}}, {Columns: []string{"Name"}}}})
	image := catalog.DefineTable(catalog.TableDef{Schema: "cell-imaging", Name: "Image", Columns: []catalog.ColumnDef{
		{Name: "Filename", Type: catalog.TypeText},
		{Name: "Stain", Type: catalog.TypeText, NullOK: true},
		{Name: "Width", Type: catalog.TypeInt4, NullOK: true},
		{Name: "Score", Type: catalog.TypeFloat8, NullOK: true},
		{Name: "Acquired", Type: catalog.TypeTimestamptz, NullOK: true},
		{Name: "Tags", Type: catalog.TypeTextArray, NullOK: true},
		{Name: "Meta", Type: catalog.TypeJSONB, NullOK: true},
	}, Keys: []catalog.KeyDef{{Columns: []string{"Filename"}}},
		ForeignKeys: []catalog.ForeignKeyDef{{Columns: []string{"Stain"}, RefSchema: "cell-imaging", RefTable: "Stain", RefColumns: []string{"Name"}}}})
	return catalog.ModelChange{Schemas: []catalog.SchemaDef{{Name: "cell-imaging"}}, Tables: []*catalog.Table{stain, image}}
}
