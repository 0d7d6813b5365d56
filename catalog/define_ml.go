package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// VocabularyDef is a vocabulary table to define (deriva-py's define_vocabulary).
type VocabularyDef struct {
	Schema        string
	Name          string
	CurieTemplate string // e.g. "myproject:{RID}"
	URITemplate   string // "" means "/id/{RID}"
	Columns       []ColumnDef
	Keys          []KeyDef
	ForeignKeys   []ForeignKeyDef
	Comment       string
	Annotations   Annotations
}

var (
	curieTemplate = regexp.MustCompile(`^[A-Za-z][-_A-Za-z0-9]*:[{]RID[}]$`)
	uriTemplate   = regexp.MustCompile(`^[-_.~?%#=&!*()@:;/+$A-Za-z0-9]+[{]RID[}][-_.~?%#=&!*()@:;/+$A-Za-z0-9]*$`)
)

// DefineVocabulary builds a vocabulary table: ID (ermrest_curie, default the
// CURIE template), URI (ermrest_uri, default the URI template), Name (text),
// Description (markdown), all not null, and Synonyms (text[]), with keys on
// ID, URI and Name — each unless d defines it — then d's own columns.
func DefineVocabulary(d VocabularyDef) (*Table, error) {
	if !curieTemplate.MatchString(d.CurieTemplate) {
		return nil, fmt.Errorf("define vocabulary %s: the curie_template '%s' is invalid", d.Name, d.CurieTemplate)
	}
	uri := orDefault(d.URITemplate, "/id/{RID}")
	if !uriTemplate.MatchString(uri) {
		return nil, fmt.Errorf("define vocabulary %s: the uri_template '%s' is invalid", d.Name, uri)
	}
	std := []ColumnDef{
		{Name: "ID", Type: TypeCurie, Default: d.CurieTemplate, Comment: "The preferred Compact URI (CURIE) for this term."},
		{Name: "URI", Type: TypeURI, Default: uri, Comment: "The preferred URI for this term."},
		{Name: "Name", Type: TypeText, Comment: "The preferred human-readable name for this term."},
		{Name: "Description", Type: TypeMarkdown, Comment: "A longer human-readable description of this term."},
		{Name: "Synonyms", Type: TypeTextArray, NullOK: true, Comment: "Alternate human-readable names for this term."},
	}
	stdKeys := []KeyDef{{Columns: []string{"ID"}}, {Columns: []string{"URI"}}, {Columns: []string{"Name"}}}
	return DefineTable(TableDef{
		Schema:      d.Schema,
		Name:        d.Name,
		Comment:     d.Comment,
		Columns:     mergeColumns(std, d.Columns),
		Keys:        mergeKeys(stdKeys, d.Keys),
		ForeignKeys: d.ForeignKeys,
		Annotations: d.Annotations,
	}), nil
}

// AssetDef is an asset table to define (deriva-py's define_asset).
type AssetDef struct {
	Schema string
	Name   string
	// HatracTemplate is the URL column's url_pattern; "" means deriva-py's
	// default "/hatrac/{{$catalog.id}}/<schema>/<table>/{{{MD5}}}.{{#encode}}{{{Filename}}}{{/encode}}".
	HatracTemplate string
	Columns        []ColumnDef
	Keys           []KeyDef
	ForeignKeys    []ForeignKeyDef
	Comment        string // "" means "Asset table."
	Annotations    Annotations
}

// DefineAsset builds an asset table: URL (text, not null, unique, with the
// asset annotation), Filename (text), Description (markdown), Length (int8,
// not null) and MD5 (text, not null), then d's columns; the table is
// annotated to show rows by Filename.
func DefineAsset(d AssetDef) *Table {
	tmpl := d.HatracTemplate
	if tmpl == "" {
		tmpl = fmt.Sprintf("/hatrac/{{$catalog.id}}/%s/%s/{{{MD5}}}.{{#encode}}{{{Filename}}}{{/encode}}", d.Schema, d.Name)
	}
	asset := map[string]string{"filename_column": "Filename", "byte_count_column": "Length", "md5": "MD5", "url_pattern": tmpl}
	std := []ColumnDef{
		{Name: "URL", Type: TypeText, Comment: "URL to the asset", Annotations: Annotations{TagAsset: mustJSON(asset)}},
		{Name: "Filename", Type: TypeText, NullOK: true, Comment: "Filename of the asset that was uploaded"},
		{Name: "Description", Type: TypeMarkdown, NullOK: true, Comment: "Description of the asset"},
		{Name: "Length", Type: TypeInt8, Comment: "Asset length (bytes)"},
		{Name: "MD5", Type: TypeText, Comment: "Asset content MD5 checksum"},
	}
	ann := Annotations{TagTableDisplay: mustJSON(map[string]any{
		"row_name": map[string]string{"row_markdown_pattern": "{{{Filename}}}"}})}
	for k, v := range d.Annotations {
		ann[k] = v
	}
	return DefineTable(TableDef{
		Schema:      d.Schema,
		Name:        d.Name,
		Comment:     orDefault(d.Comment, "Asset table."),
		Columns:     mergeColumns(std, d.Columns),
		Keys:        mergeKeys([]KeyDef{{Columns: []string{"URL"}}}, d.Keys),
		ForeignKeys: d.ForeignKeys,
		Annotations: ann,
	})
}

// mergeColumns puts the standard columns first, except those custom
// redefines, then the custom ones.
func mergeColumns(std, custom []ColumnDef) []ColumnDef {
	var out []ColumnDef
	for _, s := range std {
		if !slices.ContainsFunc(custom, func(c ColumnDef) bool { return c.Name == s.Name }) {
			out = append(out, s)
		}
	}
	return append(out, custom...)
}

// mergeKeys puts the standard keys first, except those custom redefines.
func mergeKeys(std, custom []KeyDef) []KeyDef {
	var out []KeyDef
	for _, s := range std {
		if !slices.ContainsFunc(custom, func(c KeyDef) bool { return sameSet(c.Columns, s.Columns) }) {
			out = append(out, s)
		}
	}
	return append(out, custom...)
}

// Reference is a reference target as deriva-py's Table.define accepts it: a
// table (or one of its keys) to point at, with an optional base name for the
// referencing column(s) and whether they may be NULL.
type Reference struct {
	// BaseName names the referencing column; "" picks the target table's
	// name, made unique among the names already used.
	BaseName string
	NullOK   bool
	Table    *Table
	// KeyColumns selects the target key; nil applies deriva-py's heuristic:
	// a non-null single-column key on Name, name, ID or id, else RID.
	KeyColumns []string
}

var keySearchOrder = []string{"Name", "name", "ID", "id"}

func (r Reference) key() ([]string, error) {
	if r.KeyColumns != nil {
		if !hasKey(r.Table, r.KeyColumns) {
			return nil, fmt.Errorf("table %s has no key on %v", r.Table.Name, r.KeyColumns)
		}
		return r.KeyColumns, nil
	}
	for _, name := range keySearchOrder {
		if c := r.Table.Column(name); c != nil && !c.NullOK && hasKey(r.Table, []string{name}) {
			return []string{name}, nil
		}
	}
	if !hasKey(r.Table, []string{ColRID}) {
		return nil, fmt.Errorf("could not determine default key for table %s", r.Table.Name)
	}
	return []string{ColRID}, nil
}

func hasKey(t *Table, cols []string) bool {
	return slices.ContainsFunc(t.Keys, func(k Key) bool { return sameSet(k.UniqueColumns, cols) })
}

// refType is the referencing column's type: ermrest_* domains collapse to
// their base (an FK to RID is plain text), as in deriva-py.
func refType(t Type) Type {
	if t.IsDomain && strings.HasPrefix(t.Name, "ermrest_") && t.Base != nil {
		return *t.Base
	}
	return t
}

// ExpandReferences turns reference targets into the columns and foreign
// keys deriva-py's _expand_references produces for table tableName: one
// column per key column (named BaseName, or BaseName_<col> for compound
// keys) and an FK named MakeID(tableName, BaseName, "fkey") with ON UPDATE
// and ON DELETE CASCADE. used holds the names already taken and is updated.
func ExpandReferences(tableName string, refs []Reference, used map[string]bool) ([]ColumnDef, []ForeignKeyDef, error) {
	bases := make([]string, len(refs))
	for i, r := range refs {
		if r.Table == nil {
			return nil, nil, fmt.Errorf("reference %d of %s has no target table", i, tableName)
		}
		if r.BaseName != "" {
			if used[r.BaseName] {
				return nil, nil, fmt.Errorf("base name '%s' is not unique among inputs", r.BaseName)
			}
			used[r.BaseName] = true
			bases[i] = r.BaseName
			continue
		}
		bases[i] = chooseBaseName(r.Table.Name, used)
	}
	var cols []ColumnDef
	var fks []ForeignKeyDef
	for i, r := range refs {
		key, err := r.key()
		if err != nil {
			return nil, nil, err
		}
		fk := ForeignKeyDef{RefSchema: r.Table.SchemaName, RefTable: r.Table.Name, RefColumns: slices.Clone(key),
			OnUpdate: Cascade, OnDelete: Cascade, Name: MakeID(tableName, bases[i], "fkey")}
		for _, kc := range key {
			name := bases[i]
			if len(key) > 1 {
				name = bases[i] + "_" + kc
			}
			target := r.Table.Column(kc)
			if target == nil {
				return nil, nil, fmt.Errorf("table %s has no column %s", r.Table.Name, kc)
			}
			cols = append(cols, ColumnDef{Name: name, Type: refType(target.Type), NullOK: r.NullOK})
			fk.Columns = append(fk.Columns, name)
		}
		fks = append(fks, fk)
	}
	return cols, fks, nil
}

// chooseBaseName is deriva-py's choose_basename: the table name, or the
// table name with a counter while it is taken or a prefix of a taken name.
func chooseBaseName(table string, used map[string]bool) string {
	base := table
	for n := 2; used[base] || anyHasPrefix(used, base); n++ {
		base = table + strconv.Itoa(n)
	}
	used[base] = true
	return base
}

func anyHasPrefix(used map[string]bool, prefix string) bool {
	for u := range used {
		if strings.HasPrefix(u, prefix) {
			return true
		}
	}
	return false
}

// AssociationDef is an association table to define (deriva-py's
// define_association).
type AssociationDef struct {
	Schema string
	// Name "" joins the associated tables' names with MakeID.
	Name       string
	Associates []Reference // at least two; their columns are never NULL
	// MetadataRefs and Metadata add impure columns, references first.
	MetadataRefs []Reference
	Metadata     []ColumnDef
	Comment      string
}

// DefineAssociation builds an association table: one not-null column and
// FK per associate, a composite key "<name>_assoc_key" over them, then the
// metadata references and columns.
func DefineAssociation(d AssociationDef) (*Table, error) {
	if len(d.Associates) < 2 {
		return nil, fmt.Errorf("define association %s: an association table requires at least 2 associates", d.Name)
	}
	name := d.Name
	if name == "" {
		names := make([]string, len(d.Associates))
		for i, a := range d.Associates {
			if a.Table == nil {
				return nil, fmt.Errorf("define association: associate %d has no target table", i)
			}
			names[i] = a.Table.Name
		}
		name = MakeID(names...)
	}
	assoc := make([]Reference, len(d.Associates))
	for i, a := range d.Associates {
		a.NullOK = false
		assoc[i] = a
	}
	used := map[string]bool{}
	cols, fks, err := ExpandReferences(name, assoc, used)
	if err != nil {
		return nil, fmt.Errorf("define association %s: %w", name, err)
	}
	var keyCols []string
	for _, fk := range fks {
		keyCols = append(keyCols, fk.Columns...)
	}
	mcols, mfks, err := ExpandReferences(name, d.MetadataRefs, used)
	if err != nil {
		return nil, fmt.Errorf("define association %s: %w", name, err)
	}
	cols = append(append(cols, mcols...), d.Metadata...)
	return DefineTable(TableDef{
		Schema:      d.Schema,
		Name:        name,
		Comment:     d.Comment,
		Columns:     cols,
		Keys:        []KeyDef{{Columns: keyCols, Name: MakeID(name, "assoc", "key")}},
		ForeignKeys: append(fks, mfks...),
	}), nil
}
