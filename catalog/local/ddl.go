package local

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// internalDDL creates the bookkeeping tables of a new catalog file.
const internalDDL = `
CREATE TABLE _meta (k TEXT PRIMARY KEY, v INTEGER NOT NULL) STRICT;
INSERT INTO _meta (k, v) VALUES ('format', 1), ('rid_seq', 0);
CREATE TABLE _snapshots (ts INTEGER PRIMARY KEY, model INTEGER NOT NULL DEFAULT 0) STRICT;
CREATE INDEX _snapshots_model ON _snapshots (ts) WHERE model = 1;
CREATE TABLE _tx (id INTEGER PRIMARY KEY CHECK (id = 1), snap INTEGER NOT NULL, ts TEXT NOT NULL, client TEXT) STRICT;
INSERT INTO _tx (id, snap, ts, client) VALUES (1, 0, '', NULL);
CREATE TABLE _model (rid TEXT NOT NULL, kind TEXT NOT NULL, lo INTEGER NOT NULL, hi INTEGER, doc TEXT NOT NULL) STRICT;
CREATE INDEX _model_rid ON _model (rid, lo);
CREATE TABLE _rids (rid TEXT PRIMARY KEY, tbl TEXT NOT NULL) STRICT, WITHOUT ROWID;
CREATE TABLE _tables (rid TEXT PRIMARY KEY, modified INTEGER NOT NULL) STRICT, WITHOUT ROWID;
`

// formatVersion is the layout version in _meta; Open refuses other versions.
const formatVersion = 1

// tableDDL returns the statements creating ti's live table, its history
// table and the triggers that keep history and RMT/RMB current. lookup
// resolves the tables foreign keys reference.
func tableDDL(ti *tableInfo, lookup func(catalog.TableRef) *tableInfo) ([]string, error) {
	var defs []string
	for _, c := range ti.cols {
		d := c.phys + " " + c.storedKind().sqlType()
		if !c.nullok {
			d += " NOT NULL"
		}
		defs = append(defs, d)
	}
	for _, k := range ti.t.Keys {
		defs = append(defs, "UNIQUE ("+physList(ti, k.UniqueColumns)+")")
	}
	var stmts []string
	for _, fk := range ti.t.ForeignKeys {
		ref := lookup(catalog.TableRef{Schema: fk.Referenced[0].Schema, Table: fk.Referenced[0].Table})
		if ref == nil {
			return nil, fmt.Errorf("foreign key %s: referenced table missing", constraintName(fk.Names))
		}
		var fcols, rcols []string
		for i := range fk.Columns {
			fcols = append(fcols, fk.Columns[i].Column)
			rcols = append(rcols, fk.Referenced[i].Column)
		}
		defs = append(defs, fmt.Sprintf("FOREIGN KEY (%s) REFERENCES %s (%s) ON UPDATE %s ON DELETE %s",
			physList(ti, fcols), ref.phys, physList(ref, rcols), fk.OnUpdate, fk.OnDelete))
		if needsIndex(ti.t, fcols) {
			stmts = append(stmts, fmt.Sprintf("CREATE INDEX %s ON %s (%s)", quoteIdent("x"+fk.RID), ti.phys, physList(ti, fcols)))
		}
	}
	rid := ti.col(catalog.ColRID).phys
	h := ti.hist
	snap := "(SELECT snap FROM _tx)"
	stmts = append([]string{
		fmt.Sprintf("CREATE TABLE %s (\n  %s\n) STRICT", ti.phys, strings.Join(defs, ",\n  ")),
		fmt.Sprintf("CREATE TABLE %s (rid TEXT NOT NULL, lo INTEGER NOT NULL, hi INTEGER, data BLOB NOT NULL) STRICT", h),
		fmt.Sprintf("CREATE INDEX %s ON %s (rid, lo)", quoteIdent("hx"+ti.rid), h),
	}, stmts...)
	closeOld := fmt.Sprintf(`DELETE FROM %[1]s WHERE rid = OLD.%[2]s AND hi IS NULL AND lo = %[3]s;
  UPDATE %[1]s SET hi = %[3]s WHERE rid = OLD.%[2]s AND hi IS NULL;`, h, rid, snap)
	register := fmt.Sprintf(`INSERT INTO _rids (rid, tbl) VALUES (NEW.%s, '%s') ON CONFLICT DO NOTHING;`, rid, ti.rid)
	rmt, rmb := ti.col(catalog.ColRMT).phys, ti.col(catalog.ColRMB).phys
	stmts = append(stmts,
		fmt.Sprintf(`CREATE TRIGGER %s AFTER INSERT ON %s BEGIN
  INSERT INTO %s (rid, lo, data) VALUES (NEW.%s, %s, %s);
  %s
END`, quoteIdent("ti"+ti.rid), ti.phys, h, rid, snap, rowJSON(ti, "NEW."), register),
		// An update not made by Update (a cascade from a referenced key)
		// refreshes RMT/RMB as ERMrest's maintain_row trigger does; history
		// then records the row as it finally is.
		fmt.Sprintf(`CREATE TRIGGER %s AFTER UPDATE ON %s BEGIN
  UPDATE %[2]s SET %[3]s = (SELECT ts FROM _tx), %[4]s = (SELECT client FROM _tx)
    WHERE rowid = NEW.rowid AND %[3]s IS NOT (SELECT ts FROM _tx);
  %[5]s
  INSERT INTO %[6]s (rid, lo, data) SELECT %[7]s, %[8]s, %[9]s FROM %[2]s WHERE rowid = NEW.rowid;
  %[10]s
END`, quoteIdent("tu"+ti.rid), ti.phys, rmt, rmb, closeOld, h, rid, snap, rowJSON(ti, ""), register),
		fmt.Sprintf(`CREATE TRIGGER %s AFTER DELETE ON %s BEGIN
  %s
END`, quoteIdent("td"+ti.rid), ti.phys, closeOld),
	)
	return stmts, nil
}

// rowJSON is the history document of a row: values keyed by column RID, as
// ERMrest's history tables key them, so renames keep history readable. It is
// stored as SQLite's binary JSONB, which json_extract reads without parsing.
func rowJSON(ti *tableInfo, prefix string) string {
	parts := make([]string, 0, 2*len(ti.cols))
	for _, c := range ti.cols {
		v := prefix + c.phys
		if c.storedKind() == kJSON {
			v = "jsonb(" + v + ")"
		}
		parts = append(parts, "'"+c.rid+"'", v)
	}
	return "jsonb_object(" + strings.Join(parts, ", ") + ")"
}

// physList renders column names as a list of their SQLite identifiers.
func physList(ti *tableInfo, names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = ti.col(n).phys
	}
	return strings.Join(out, ", ")
}

// needsIndex reports whether a foreign key's columns need their own index
// (ERMrest indexes them too): not for RCB/RMB, whose referenced client rows
// are never deleted, nor when a key already starts with those columns.
func needsIndex(t *catalog.Table, cols []string) bool {
	if len(cols) == 1 && (cols[0] == catalog.ColRCB || cols[0] == catalog.ColRMB) {
		return false
	}
	for _, k := range t.Keys {
		if len(k.UniqueColumns) >= len(cols) && sameColumns(k.UniqueColumns[:len(cols)], cols) {
			return false
		}
	}
	return true
}

// historySource is a subquery presenting ti's rows as of a snapshot (bound
// twice as its two parameters) with the live table's column names, so one
// query builder serves live and historical reads.
func historySource(ti *tableInfo) string {
	var b strings.Builder
	b.WriteString("(SELECT ")
	for i, c := range ti.cols {
		if i > 0 {
			b.WriteString(", ")
		}
		switch {
		case c.name == catalog.ColRID:
			b.WriteString("h.rid")
		case c.storedKind() == kJSON:
			fmt.Fprintf(&b, `NULLIF(h.data -> '$."%s"', 'null')`, c.rid)
		default:
			fmt.Fprintf(&b, `json_extract(h.data, '$."%s"')`, c.rid)
		}
		b.WriteString(" AS ")
		b.WriteString(c.phys)
	}
	fmt.Fprintf(&b, " FROM %s AS h WHERE h.lo <= ? AND (h.hi IS NULL OR h.hi > ?))", ti.hist)
	return b.String()
}

// systemDefaults are the column defaults ERMrest reports for system columns.
var systemDefaults = map[string]string{
	catalog.ColRID: `"_ermrest.urlb32_encode(nextval('_ermrest.rid_seq'::regclass))"`,
	catalog.ColRCT: `"now()"`, catalog.ColRMT: `"now()"`,
	catalog.ColRCB: `"_ermrest.current_client()"`, catalog.ColRMB: `"_ermrest.current_client()"`,
}

// systemTypes are the domains the system columns must have.
var systemTypes = map[string]string{
	catalog.ColRID: "ermrest_rid", catalog.ColRCT: "ermrest_rct", catalog.ColRMT: "ermrest_rmt",
	catalog.ColRCB: "ermrest_rcb", catalog.ColRMB: "ermrest_rmb",
}

var fkActions = []string{"NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"}

func validAction(a string) bool { return slices.Contains(fkActions, a) }
