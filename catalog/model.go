// Package catalog is the only package that talks to a catalog. It defines the
// ERMrest-shaped Store (model, entities with system columns, filtered queries,
// snapshots) that two backends implement — catalog/ermrest over HTTP and
// catalog/local on embedded SQLite — and the types they share.
//
// The DerivaML conventions (vocabularies, features, datasets, executions) are
// written once on top of Store in catalog/derivaml.
package catalog

import (
	"encoding/json"
	"sort"
)

// System column names present on every ERMrest table, in ERMrest's order.
const (
	ColRID = "RID"
	ColRCT = "RCT"
	ColRMT = "RMT"
	ColRCB = "RCB"
	ColRMB = "RMB"
)

// SystemColumns lists the five system columns in the order ERMrest reports them.
var SystemColumns = []string{ColRID, ColRCT, ColRMT, ColRCB, ColRMB}

// IsSystemColumn reports whether name is one of the five system columns.
func IsSystemColumn(name string) bool {
	switch name {
	case ColRID, ColRCT, ColRMT, ColRCB, ColRMB:
		return true
	}
	return false
}

// Annotations maps an annotation key (a tag URI) to its JSON value.
type Annotations map[string]json.RawMessage

// Model is a catalog's model document (GET /schema).
type Model struct {
	// Snaptime is the model's version as the server reports it; it may be
	// older than the catalog's current snapshot (see Store.Snapshot).
	Snaptime    string             `json:"snaptime,omitempty"`
	Annotations Annotations        `json:"annotations,omitempty"`
	Schemas     map[string]*Schema `json:"schemas"`
}

// Schema is one schema of the model.
type Schema struct {
	RID         string            `json:"RID,omitempty"`
	Name        string            `json:"schema_name"`
	Comment     *string           `json:"comment"`
	Annotations Annotations       `json:"annotations"`
	Tables      map[string]*Table `json:"tables"`
}

// Table is a table definition: ordered columns, keys and foreign keys.
type Table struct {
	RID         string       `json:"RID,omitempty"`
	SchemaName  string       `json:"schema_name"`
	Name        string       `json:"table_name"`
	Kind        string       `json:"kind"` // "table", "view" or "foreign_table"
	Comment     *string      `json:"comment"`
	Annotations Annotations  `json:"annotations"`
	Columns     []Column     `json:"column_definitions"`
	Keys        []Key        `json:"keys"`
	ForeignKeys []ForeignKey `json:"foreign_keys"`
}

// Type is a column type: a scalar, a domain over a base type, or an array.
type Type struct {
	Name     string `json:"typename"`
	IsDomain bool   `json:"is_domain,omitempty"`
	IsArray  bool   `json:"is_array,omitempty"`
	Base     *Type  `json:"base_type,omitempty"`
}

// Column is one column definition.
type Column struct {
	RID         string          `json:"RID,omitempty"`
	Name        string          `json:"name"`
	Type        Type            `json:"type"`
	NullOK      bool            `json:"nullok"`
	Default     json.RawMessage `json:"default"` // opaque: a JSON value, or an SQL expression string for system columns
	Comment     *string         `json:"comment"`
	Annotations Annotations     `json:"annotations"`
}

// Key is a unique key over one or more columns.
type Key struct {
	RID           string      `json:"RID,omitempty"`
	Names         [][2]string `json:"names"`
	UniqueColumns []string    `json:"unique_columns"`
	Comment       *string     `json:"comment"`
	Annotations   Annotations `json:"annotations"`
}

// ColumnRef names a column of a table.
type ColumnRef struct {
	Schema string `json:"schema_name"`
	Table  string `json:"table_name"`
	Column string `json:"column_name"`
}

// ForeignKey references a key of another (or the same) table.
type ForeignKey struct {
	RID         string      `json:"RID,omitempty"`
	Names       [][2]string `json:"names"`
	Columns     []ColumnRef `json:"foreign_key_columns"`
	Referenced  []ColumnRef `json:"referenced_columns"`
	OnDelete    string      `json:"on_delete,omitempty"`
	OnUpdate    string      `json:"on_update,omitempty"`
	Comment     *string     `json:"comment"`
	Annotations Annotations `json:"annotations"`
}

// TableRef names a table by schema and table name.
type TableRef struct {
	Schema string
	Table  string
}

// String renders the reference as ERMrest writes it, "schema:table".
func (r TableRef) String() string { return r.Schema + ":" + r.Table }

// Ref returns the table's reference.
func (t *Table) Ref() TableRef { return TableRef{Schema: t.SchemaName, Table: t.Name} }

// Column returns the named column, or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// Table returns the named table, or nil when the schema or table is absent.
func (m *Model) Table(ref TableRef) *Table {
	if m == nil {
		return nil
	}
	s := m.Schemas[ref.Schema]
	if s == nil {
		return nil
	}
	return s.Tables[ref.Table]
}

// SortedTables lists every table of the model, by schema then table name.
func (m *Model) SortedTables() []*Table {
	var out []*Table
	for _, s := range m.Schemas {
		for _, t := range s.Tables {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].SchemaName != out[j].SchemaName {
			return out[i].SchemaName < out[j].SchemaName
		}
		return out[i].Name < out[j].Name
	})
	return out
}
