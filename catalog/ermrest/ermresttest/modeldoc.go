package ermresttest

// Model documents, rendered with the real server's key orders and fields
// (captures model_GET_table_cell-imaging_{Stain,Image}.json and the
// GET /schema exchange in request_log_all_exchanges.txt; reference
// ermrest.md §0.8): ERMrest builds them as Python dicts, so the order is
// its prejson code's, not alphabetical.

import (
	"maps"
	"slices"

	"github.com/cyclezero/cyclezero/catalog"
)

// ownerRights are the model's and every schema's rights; the fake makes
// every caller the owner.
func ownerRights() pyJSON { return pyJSON{{"owner", true}, {"create", true}} }

// modelDoc is GET C/schema: snaptime first, then the catalog's
// annotations, rights and features, then the schemas.
func modelDoc(m *catalog.Model) pyJSON {
	schemas := pyJSON{}
	for _, name := range sortedKeys(m.Schemas) {
		schemas = append(schemas, pyField{name, schemaDoc(m.Schemas[name])})
	}
	return pyJSON{{"snaptime", m.Snaptime}, {"annotations", annotations(m.Annotations)},
		{"rights", ownerRights()}, {"features", features}, {"schemas", schemas}}
}

// schemaDoc is one schema: RID, schema_name, comment, rights, annotations,
// tables, and acls, which ERMrest's Schema.prejson adds for an owner
// (capture schema-post-list: "tables":{},"acls":{}).
func schemaDoc(s *catalog.Schema) pyJSON {
	tables := pyJSON{}
	for _, name := range sortedKeys(s.Tables) {
		tables = append(tables, pyField{name, tableDoc(s.Tables[name])})
	}
	doc := withRID(s.RID)
	return append(doc, pyJSON{{"schema_name", s.Name}, {"comment", s.Comment}, {"rights", ownerRights()},
		{"annotations", annotations(s.Annotations)}, {"tables", tables}, {"acls", pyJSON{}}}...)
}

// tableDoc is one table: RID, schema_name, table_name, rights,
// column_definitions, keys, foreign_keys, kind, comment, annotations, acls,
// acl_bindings.
func tableDoc(t *catalog.Table) pyJSON {
	cols := make([]any, len(t.Columns))
	for i := range t.Columns {
		cols[i] = columnDoc(&t.Columns[i])
	}
	keys := make([]any, len(t.Keys))
	for i := range t.Keys {
		keys[i] = keyDoc(&t.Keys[i])
	}
	fkeys := make([]any, len(t.ForeignKeys))
	for i := range t.ForeignKeys {
		fkeys[i] = foreignKeyDoc(t, &t.ForeignKeys[i])
	}
	kind := t.Kind
	if kind == "" {
		kind = "table"
	}
	doc := withRID(t.RID)
	return append(doc, pyJSON{{"schema_name", t.SchemaName}, {"table_name", t.Name},
		{"rights", pyJSON{{"update", true}, {"select", true}, {"owner", true}, {"insert", true}, {"delete", true}}},
		{"column_definitions", cols}, {"keys", keys}, {"foreign_keys", fkeys}, {"kind", kind},
		{"comment", t.Comment}, {"annotations", annotations(t.Annotations)},
		{"acls", pyJSON{}}, {"acl_bindings", pyJSON{}}}...)
}

// columnRights are what the captured owner may do to a column's values:
// everything, except where ERMrest maintains the value itself.
func columnRights(name string) (insert, update bool) {
	switch name {
	case catalog.ColRID, catalog.ColRCB:
		return true, false
	case catalog.ColRMT, catalog.ColRMB:
		return false, false
	}
	return true, true
}

// columnDoc is one column: RID, name, rights, type, default, nullok,
// comment, annotations, acls, acl_bindings.
func columnDoc(c *catalog.Column) pyJSON {
	insert, update := columnRights(c.Name)
	var def any // JSON null when the engine has no default
	if len(c.Default) > 0 {
		def = c.Default
	}
	doc := withRID(c.RID)
	return append(doc, pyJSON{{"name", c.Name},
		{"rights", pyJSON{{"insert", insert}, {"update", update}, {"select", true}, {"delete", true}}},
		{"type", typeDoc(c.Type)}, {"default", def}, {"nullok", c.NullOK}, {"comment", c.Comment},
		{"annotations", annotations(c.Annotations)}, {"acls", pyJSON{}}, {"acl_bindings", pyJSON{}}}...)
}

// typeDoc is a column type: {typename} for a scalar, {is_domain, typename,
// base_type} for a domain, {typename, is_array, base_type} for an array.
func typeDoc(t catalog.Type) pyJSON {
	switch {
	case t.IsDomain && t.Base != nil:
		return pyJSON{{"is_domain", true}, {"typename", t.Name}, {"base_type", typeDoc(*t.Base)}}
	case t.IsArray && t.Base != nil:
		return pyJSON{{"typename", t.Name}, {"is_array", true}, {"base_type", typeDoc(*t.Base)}}
	}
	return pyJSON{{"typename", t.Name}}
}

// keyDoc is one key: RID, comment, annotations, unique_columns, names.
func keyDoc(k *catalog.Key) pyJSON {
	return append(withRID(k.RID), pyJSON{{"comment", k.Comment}, {"annotations", annotations(k.Annotations)},
		{"unique_columns", nonNil(k.UniqueColumns)}, {"names", names(k.Names)}}...)
}

// foreignKeyDoc is one foreign key: RID, foreign_key_columns,
// referenced_columns, rights, comment, annotations, names, acls (a new FK
// grants insert and update to "*", §0.8), acl_bindings, and on_delete and
// on_update for a real constraint. Its rights are its columns' (the
// captured RCB fkey may be set on insert only, the RMB fkey never).
func foreignKeyDoc(t *catalog.Table, fk *catalog.ForeignKey) pyJSON {
	insert, update := true, true
	for _, c := range fk.Columns {
		i, u := columnRights(c.Column)
		insert, update = insert && i, update && u
	}
	everyone := []string{"*"}
	doc := append(withRID(fk.RID), pyJSON{{"foreign_key_columns", nonNil(fk.Columns)},
		{"referenced_columns", nonNil(fk.Referenced)},
		{"rights", pyJSON{{"insert", insert}, {"update", update}}},
		{"comment", fk.Comment}, {"annotations", annotations(fk.Annotations)}, {"names", names(fk.Names)},
		{"acls", pyJSON{{"insert", everyone}, {"update", everyone}}}, {"acl_bindings", pyJSON{}}}...)
	if fk.OnDelete != "" || fk.OnUpdate != "" {
		doc = append(doc, pyField{"on_delete", orNoAction(fk.OnDelete)}, pyField{"on_update", orNoAction(fk.OnUpdate)})
	}
	return doc
}

// withRID starts an element's document with its RID, when it has one.
func withRID(rid string) pyJSON {
	if rid == "" {
		return pyJSON{}
	}
	return pyJSON{{"RID", rid}}
}

func orNoAction(s string) string {
	if s == "" {
		return "NO ACTION"
	}
	return s
}

// annotations renders a missing annotation map as {}, as ERMrest does.
func annotations(a catalog.Annotations) catalog.Annotations {
	if a == nil {
		return catalog.Annotations{}
	}
	return a
}

// names renders constraint names, [] when there are none.
func names(n [][2]string) [][2]string {
	if n == nil {
		return [][2]string{}
	}
	return n
}

// nonNil renders a missing list as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// sortedKeys lists a map's names in order, so documents are deterministic.
func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
