package catalog

import (
	"encoding/json"
	"strings"
)

// Builtin column types as deriva-py's builtin_types sends them: domains in
// the domain form, arrays in the array form.
var (
	TypeText        = Type{Name: "text"}
	TypeBoolean     = Type{Name: "boolean"}
	TypeInt2        = Type{Name: "int2"}
	TypeInt4        = Type{Name: "int4"}
	TypeInt8        = Type{Name: "int8"}
	TypeFloat4      = Type{Name: "float4"}
	TypeFloat8      = Type{Name: "float8"}
	TypeDate        = Type{Name: "date"}
	TypeTimestamptz = Type{Name: "timestamptz"}
	TypeJSONB       = Type{Name: "jsonb"}
	TypeMarkdown    = domain("markdown", "text")
	TypeLongtext    = domain("longtext", "text")
	TypeCurie       = domain("ermrest_curie", "text")
	TypeURI         = domain("ermrest_uri", "text")
	TypeRID         = domain("ermrest_rid", "text")
	TypeRCT         = domain("ermrest_rct", "timestamptz")
	TypeRMT         = domain("ermrest_rmt", "timestamptz")
	TypeRCB         = domain("ermrest_rcb", "text")
	TypeRMB         = domain("ermrest_rmb", "text")
	TypeTextArray   = ArrayOf(TypeText)
)

func domain(name, base string) Type {
	return Type{Name: name, IsDomain: true, Base: &Type{Name: base}}
}

// ArrayOf returns the array type over a scalar type.
func ArrayOf(t Type) Type {
	b := t
	return Type{Name: t.Name + "[]", IsArray: true, Base: &b}
}

// BaseName returns the scalar type name that storage sees: the base of a
// domain, the element base of an array, else the name itself.
func (t Type) BaseName() string {
	switch {
	case t.IsArray && t.Base != nil:
		return t.Base.BaseName()
	case t.IsDomain && t.Base != nil:
		return t.Base.BaseName()
	}
	return t.Name
}

// ColumnDef is a user column to define (system columns are added by DefineTable).
type ColumnDef struct {
	Name        string
	Type        Type
	NullOK      bool
	Default     any // nil: no default
	Comment     string
	Annotations Annotations
}

// KeyDef is a unique key to define. Name defaults to MakeID(table, cols..., "key").
type KeyDef struct {
	Columns []string
	Name    string
	Comment string
}

// ForeignKeyDef is a foreign key to define. Name defaults to
// MakeID(table, cols..., "fkey"); OnUpdate and OnDelete default to "NO ACTION".
type ForeignKeyDef struct {
	Columns    []string
	RefSchema  string
	RefTable   string
	RefColumns []string
	Name       string
	OnUpdate   string
	OnDelete   string
	Comment    string
}

// TableDef is a table to define in a schema.
type TableDef struct {
	Schema      string
	Name        string
	Comment     string
	Columns     []ColumnDef
	Keys        []KeyDef
	ForeignKeys []ForeignKeyDef
	Annotations Annotations
}

// ClientSchema and ClientTable hold the ERMrest client registry that RCB and
// RMB reference.
const (
	ClientSchema = "public"
	ClientTable  = "ERMrest_Client"
)

// DefineTable builds the complete table document deriva-py's Table.define
// would send: the five system columns first, then d's columns; the RID key,
// then d's keys; d's foreign keys plus RCB/RMB → public:ERMrest_Client(ID).
func DefineTable(d TableDef) *Table {
	t := &Table{
		SchemaName:  d.Schema,
		Name:        d.Name,
		Kind:        "table",
		Comment:     strPtr(d.Comment),
		Annotations: orEmpty(d.Annotations),
	}
	sys := []struct {
		name   string
		typ    Type
		nullok bool
	}{
		{ColRID, TypeRID, false}, {ColRCT, TypeRCT, false}, {ColRMT, TypeRMT, false},
		{ColRCB, TypeRCB, true}, {ColRMB, TypeRMB, true},
	}
	for _, s := range sys {
		t.Columns = append(t.Columns, Column{Name: s.name, Type: s.typ, NullOK: s.nullok,
			Default: json.RawMessage("null"), Annotations: Annotations{}})
	}
	for _, c := range d.Columns {
		def := json.RawMessage("null")
		if c.Default != nil {
			if b, err := json.Marshal(c.Default); err == nil {
				def = b
			}
		}
		t.Columns = append(t.Columns, Column{Name: c.Name, Type: c.Type, NullOK: c.NullOK,
			Default: def, Comment: strPtr(c.Comment), Annotations: orEmpty(c.Annotations)})
	}
	t.Keys = append(t.Keys, Key{UniqueColumns: []string{ColRID},
		Names: [][2]string{{d.Schema, MakeID(d.Name, ColRID, "key")}}, Annotations: Annotations{}})
	for _, k := range d.Keys {
		name := k.Name
		if name == "" {
			name = MakeID(append(append([]string{d.Name}, k.Columns...), "key")...)
		}
		t.Keys = append(t.Keys, Key{UniqueColumns: k.Columns, Names: [][2]string{{d.Schema, name}},
			Comment: strPtr(k.Comment), Annotations: Annotations{}})
	}
	fks := append([]ForeignKeyDef{
		{Columns: []string{ColRCB}, RefSchema: ClientSchema, RefTable: ClientTable, RefColumns: []string{"ID"}},
		{Columns: []string{ColRMB}, RefSchema: ClientSchema, RefTable: ClientTable, RefColumns: []string{"ID"}},
	}, d.ForeignKeys...)
	for _, f := range fks {
		name := f.Name
		if name == "" {
			name = MakeID(append(append([]string{d.Name}, f.Columns...), "fkey")...)
		}
		fk := ForeignKey{Names: [][2]string{{d.Schema, name}}, OnUpdate: orDefault(f.OnUpdate, "NO ACTION"),
			OnDelete: orDefault(f.OnDelete, "NO ACTION"), Comment: strPtr(f.Comment), Annotations: Annotations{}}
		for i, c := range f.Columns {
			fk.Columns = append(fk.Columns, ColumnRef{Schema: d.Schema, Table: d.Name, Column: c})
			fk.Referenced = append(fk.Referenced, ColumnRef{Schema: f.RefSchema, Table: f.RefTable, Column: f.RefColumns[i]})
		}
		t.ForeignKeys = append(t.ForeignKeys, fk)
	}
	return t
}

// MakeID joins name parts with "_" as deriva-py's make_id does for names
// that fit Postgres' 63-byte identifier limit.
// TODO(derivaml): the truncate-and-hash fallback for longer names.
func MakeID(parts ...string) string {
	return strings.Join(parts, "_")
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func orEmpty(a Annotations) Annotations {
	if a == nil {
		return Annotations{}
	}
	return a
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
