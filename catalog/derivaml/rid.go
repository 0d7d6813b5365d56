package derivaml

import "github.com/cyclezero/cyclezero/catalog"

// normRID is the one place a RID argument is brought to the catalog's
// canonical spelling (catalog.NormalizeRID: upper case, dashes where ERMrest
// puts them, O/I/L read as digits). ERMrest's RID= filters accept any
// spelling, but the plain-text columns that hold RIDs (Dataset_Version.Dataset,
// every association's foreign keys, Execution.Workflow) match exactly, and
// the catalog stores the canonical spelling, so every exported function
// normalizes its RID arguments once, here, before filtering or writing.
// Text that is not a canonical RID is returned unchanged.
func normRID(rid string) string {
	if c, ok := catalog.NormalizeRID(rid); ok {
		return c
	}
	return rid
}

// normRIDs normalizes each RID of a list (a new slice; nil stays nil).
func normRIDs(rids []string) []string {
	if rids == nil {
		return nil
	}
	out := make([]string, len(rids))
	for i, r := range rids {
		out[i] = normRID(r)
	}
	return out
}

// rowRIDs returns the RIDs of rows.
func rowRIDs(rows []catalog.Row) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.RID()
	}
	return out
}
