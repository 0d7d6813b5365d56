package catalog

import (
	"encoding/json"
	"slices"
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
	TypeTimestamp   = Type{Name: "timestamp"}
	TypeTimestamptz = Type{Name: "timestamptz"}
	TypeJSON        = Type{Name: "json"}
	TypeJSONB       = Type{Name: "jsonb"}
	TypeMarkdown    = domain("markdown", "text")
	TypeLongtext    = domain("longtext", "text")
	TypeCurie       = domain("ermrest_curie", "text")
	TypeURI         = domain("ermrest_uri", "text")
	TypeColorRGBHex = domain("color_rgb_hex", "text")
	TypeRID         = domain("ermrest_rid", "text")
	TypeRCT         = domain("ermrest_rct", "timestamptz")
	TypeRMT         = domain("ermrest_rmt", "timestamptz")
	TypeRCB         = domain("ermrest_rcb", "text")
	TypeRMB         = domain("ermrest_rmb", "text")
	TypeTextArray   = ArrayOf(TypeText)
)

// Annotation tags deriva-py writes when it defines tables.
const (
	TagDisplay      = "tag:misd.isi.edu,2015:display"
	TagTableDisplay = "tag:isrd.isi.edu,2016:table-display"
	TagAsset        = "tag:isrd.isi.edu,2017:asset"
)

// On-update/on-delete actions of a foreign key.
const (
	NoAction = "NO ACTION"
	Cascade  = "CASCADE"
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

// KeyDef is a unique key to define. With Name empty the server names it,
// as it does for deriva-py's Key.define without a constraint name
// (PostgreSQL's "<table>_<cols>_key", see ServerConstraintName).
type KeyDef struct {
	Columns []string
	Name    string
	Comment string
}

// ForeignKeyDef is a foreign key to define. With Name empty the server
// names it ("<table>_<cols>_fkey"); OnUpdate and OnDelete default to
// "NO ACTION" as in deriva-py's ForeignKey.define.
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

// SystemColumnDefs returns the five system columns as deriva-py's
// Table.system_column_defs defines them, display-name annotations included.
func SystemColumnDefs() []ColumnDef {
	sys := []struct {
		name, display string
		typ           Type
		nullok        bool
	}{
		{ColRID, "Record ID", TypeRID, false},
		{ColRCT, "Creation Time", TypeRCT, false},
		{ColRMT, "Modified Time", TypeRMT, false},
		{ColRCB, "Created By", TypeRCB, true},
		{ColRMB, "Modified By", TypeRMB, true},
	}
	out := make([]ColumnDef, len(sys))
	for i, s := range sys {
		out[i] = ColumnDef{Name: s.name, Type: s.typ, NullOK: s.nullok,
			Annotations: Annotations{TagDisplay: mustJSON(map[string]string{"name": s.display})}}
	}
	return out
}

// DefineTable builds the complete table document deriva-py's Table.define
// produces: the five system columns first (unless d defines them), then d's
// columns; the RID key (unless d keys exactly RID), then d's keys; the
// RCB/RMB → public:ERMrest_Client(ID) foreign keys named
// "<table>_RCB_fkey"/"<table>_RMB_fkey", then d's foreign keys. Constraints
// without a name get the name the server would give them, so the document
// matches what a later Model read returns.
func DefineTable(d TableDef) *Table {
	t := &Table{
		SchemaName:  d.Schema,
		Name:        d.Name,
		Kind:        "table",
		Comment:     strPtr(d.Comment),
		Annotations: orEmpty(d.Annotations),
	}
	for _, c := range mergeColumns(SystemColumnDefs(), d.Columns) {
		t.Columns = append(t.Columns, column(c))
	}
	for _, k := range mergeKeys([]KeyDef{{Columns: []string{ColRID}}}, d.Keys) {
		name := k.Name
		if name == "" {
			name = ServerConstraintName(d.Name, k.Columns, "key")
		}
		t.Keys = append(t.Keys, Key{UniqueColumns: slices.Clone(k.Columns), Names: [][2]string{{d.Schema, name}},
			Comment: strPtr(k.Comment), Annotations: Annotations{}})
	}

	var fks []ForeignKeyDef
	for _, col := range []string{ColRCB, ColRMB} {
		sys := ForeignKeyDef{Columns: []string{col}, RefSchema: ClientSchema, RefTable: ClientTable,
			RefColumns: []string{"ID"}, Name: MakeID(d.Name, col, "fkey")}
		if !slices.ContainsFunc(d.ForeignKeys, func(f ForeignKeyDef) bool { return sameFKey(f, sys) }) {
			fks = append(fks, sys)
		}
	}
	for _, f := range append(fks, d.ForeignKeys...) {
		t.ForeignKeys = append(t.ForeignKeys, foreignKey(d.Schema, d.Name, f))
	}
	return t
}

func column(c ColumnDef) Column {
	def := json.RawMessage("null")
	if c.Default != nil {
		if b, err := json.Marshal(c.Default); err == nil {
			def = b
		}
	}
	return Column{Name: c.Name, Type: c.Type, NullOK: c.NullOK, Default: def,
		Comment: strPtr(c.Comment), Annotations: orEmpty(c.Annotations)}
}

func foreignKey(schema, table string, f ForeignKeyDef) ForeignKey {
	name := f.Name
	if name == "" {
		name = ServerConstraintName(table, f.Columns, "fkey")
	}
	fk := ForeignKey{Names: [][2]string{{schema, name}}, OnUpdate: orDefault(f.OnUpdate, NoAction),
		OnDelete: orDefault(f.OnDelete, NoAction), Comment: strPtr(f.Comment), Annotations: Annotations{}}
	for i, c := range f.Columns {
		fk.Columns = append(fk.Columns, ColumnRef{Schema: schema, Table: table, Column: c})
		fk.Referenced = append(fk.Referenced, ColumnRef{Schema: f.RefSchema, Table: f.RefTable, Column: f.RefColumns[i]})
	}
	return fk
}

// sameFKey reports whether two definitions reference the same table with the
// same column mapping (deriva-py's system_fkey_defs test).
func sameFKey(a, b ForeignKeyDef) bool {
	if a.RefSchema != b.RefSchema || a.RefTable != b.RefTable || len(a.Columns) != len(b.Columns) {
		return false
	}
	pairs := map[[2]string]bool{}
	for i := range a.Columns {
		pairs[[2]string{a.Columns[i], a.RefColumns[i]}] = true
	}
	for i := range b.Columns {
		if !pairs[[2]string{b.Columns[i], b.RefColumns[i]}] {
			return false
		}
	}
	return true
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

// ServerConstraintName is the name PostgreSQL (and so ERMrest) gives a
// constraint created without one: "<table>_<col1>_<col2>_<label>", with the
// table and column parts shortened in turn, longest first, until the whole
// fits 63 bytes (PostgreSQL's makeObjectName).
func ServerConstraintName(table string, cols []string, label string) string {
	name2 := strings.Join(cols, "_")
	overhead := len(label) + 1
	if name2 != "" {
		overhead++
	}
	avail := maxIdentBytes - overhead
	n1, n2 := len(table), len(name2)
	for n1+n2 > avail {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	out := clipUTF8(table, n1)
	if name2 != "" {
		out += "_" + clipUTF8(name2, n2)
	}
	return out + "_" + label
}

// clipUTF8 returns the longest prefix of s of at most n bytes that ends on a
// character boundary.
func clipUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only called with literal maps
	}
	return b
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
