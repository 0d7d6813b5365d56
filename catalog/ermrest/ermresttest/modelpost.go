package ermresttest

// Reading posted model documents as ERMrest's fromjson code does, and
// answering a model POST with what that code builds.

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// decodeTable reads a posted table document. ERMrest takes an absent
// "nullok" as true (column.py fromjson_single: columndoc.get('nullok',
// True)), where catalog.Column would decode it as false.
func decodeTable(raw []byte) (*catalog.Table, error) {
	var t catalog.Table
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, err
	}
	var doc struct {
		Columns []struct {
			NullOK *bool `json:"nullok"`
		} `json:"column_definitions"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	for i, c := range doc.Columns {
		if c.NullOK == nil && i < len(t.Columns) {
			t.Columns[i].NullOK = true
		}
	}
	return &t, nil
}

// schemaInput is one schema of a {"schemas": {...}} model document, its
// tables left raw for decodeTable.
type schemaInput struct {
	Comment     *string                    `json:"comment"`
	Annotations catalog.Annotations        `json:"annotations"`
	Tables      map[string]json.RawMessage `json:"tables"`
}

// checkSystemColumns applies fromjson_single's rules to the system columns
// a table document gives: each has its own domain type, and RID, RCT and
// RMT are NOT NULL (an absent nullok, being true, is refused).
func checkSystemColumns(t *catalog.Table) error {
	for _, c := range t.Columns {
		if !catalog.IsSystemColumn(c.Name) {
			continue
		}
		if want := "ermrest_" + strings.ToLower(c.Name); c.Type.Name != want {
			return malformed("System column %s cannot have type %s.", c.Name, c.Type.Name)
		}
		if c.NullOK && slices.Contains([]string{catalog.ColRID, catalog.ColRCT, catalog.ColRMT}, c.Name) {
			return malformed("System column %s cannot have nullok=True.", c.Name)
		}
	}
	return nil
}

// postedTableDoc is the answer to a table POST: the stored table, but with
// each column's default as the posted document gave it. ERMrest answers
// with the Column objects it built from the document (default_value is
// columndoc.get('default')), so a system column, posted without one,
// shows "default": null there while a later GET shows its SQL default
// (reference ermrest.md §0.7; captures post-vocab-table and
// post-image-table in ermrest-observed/request_log_all_exchanges.txt).
func postedTableDoc(stored, posted *catalog.Table) pyJSON {
	t := *stored
	t.Columns = slices.Clone(stored.Columns)
	for i := range t.Columns {
		t.Columns[i].Default = nil
		if pc := posted.Column(t.Columns[i].Name); pc != nil {
			t.Columns[i].Default = pc.Default
		}
	}
	return tableDoc(&t)
}
