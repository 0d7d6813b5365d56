package derivaml

import (
	"context"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog"
)

// PreviewRequest asks for a denormalized view of an element table joined
// with one feature's newest value per element.
type PreviewRequest struct {
	Table   string // the element table, e.g. "Image"
	Feature string // a feature on that table, e.g. "Diagnosis"; "" for none
	// Scope: a dataset's members of Table as of Version ("" live), or the
	// given Members, or (neither) the table's first rows by RID.
	Dataset string
	Version string
	Members []string
	Limit   int // rows to return; <= 0 means 20
}

// Preview is a denormalized table: column names are "Table.Column" (the
// element table, then the feature table) and each row maps them to values.
type Preview struct {
	Columns []string
	Rows    []map[string]any
}

// Preview reads up to Limit elements and their newest feature values with
// batched queries (one for the elements, one for their values, plus one for
// dataset membership when a dataset is given) — never one query per row.
func (m *ML) Preview(ctx context.Context, req PreviewRequest) (Preview, error) {
	req.Dataset, req.Members = normRID(req.Dataset), normRIDs(req.Members)
	limit := req.Limit
	if limit <= 0 {
		limit = 20
	}
	elem, err := m.table(ctx, req.Table)
	if err != nil {
		return Preview{}, err
	}
	snap := ""
	var elements []catalog.Row
	switch {
	case req.Dataset != "":
		var model *catalog.Model
		snap, model, err = m.versionView(ctx, req.Dataset, req.Version)
		if err != nil {
			return Preview{}, err
		}
		et, ok := elementTypeFor(model, elem.Ref())
		if !ok {
			return Preview{}, fmt.Errorf("%s is not a dataset element type: register it with AddDatasetElementType", elem.Name)
		}
		keys, err := m.memberValues(ctx, req.Dataset, et, snap, limit)
		if err != nil {
			return Preview{}, err
		}
		// By the association's key (a vocabulary's Name), so still one read.
		if elements, err = queryAnyOf(ctx, m.store, catalog.Query{Table: elem.Ref(), At: snap}, et.keyColumn(), keys); err != nil {
			return Preview{}, err
		}
	case len(req.Members) > 0:
		rids := uniq(req.Members)
		if elements, err = m.rowsByRID(ctx, elem.Ref(), rids[:min(len(rids), limit)], ""); err != nil {
			return Preview{}, err
		}
	default:
		elements, err = m.store.Query(ctx, catalog.Query{Table: elem.Ref(), Sort: []catalog.SortKey{{Column: catalog.ColRID}}, Limit: limit})
		if err != nil {
			return Preview{}, fmt.Errorf("preview %s: %w", elem.Name, err)
		}
	}

	p := Preview{}
	for _, c := range elem.Columns {
		if c.Name == catalog.ColRID || !catalog.IsSystemColumn(c.Name) {
			p.Columns = append(p.Columns, elem.Name+"."+c.Name)
		}
	}
	values := map[string]catalog.Row{}
	var f Feature
	if req.Feature != "" {
		if f, err = m.LookupFeature(ctx, req.Table, req.Feature); err != nil {
			return Preview{}, err
		}
		for _, c := range append([]string{"Execution"}, columnNames(f.Columns)...) {
			p.Columns = append(p.Columns, f.Table.Table+"."+c)
		}
		rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: f.Table, At: snap}, f.TargetColumn(), rowRIDs(elements))
		if err != nil {
			return Preview{}, err
		}
		newest, err := applySelection(rows, f.TargetColumn(), selection{Selector: SelectNewest})
		if err != nil {
			return Preview{}, err
		}
		for _, v := range newest {
			values[v.String(f.TargetColumn())] = v
		}
	}
	for _, e := range elements {
		row := map[string]any{}
		for _, c := range elem.Columns {
			if c.Name == catalog.ColRID || !catalog.IsSystemColumn(c.Name) {
				row[elem.Name+"."+c.Name] = e[c.Name]
			}
		}
		if req.Feature != "" {
			v := values[e.RID()]
			for _, c := range append([]string{"Execution"}, columnNames(f.Columns)...) {
				row[f.Table.Table+"."+c] = v[c] // nil when the element has no value
			}
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

// rowsByRID reads rows by RID in one batched query, in RID order.
func (m *ML) rowsByRID(ctx context.Context, table catalog.TableRef, rids []string, snap string) ([]catalog.Row, error) {
	if len(rids) == 0 {
		return nil, nil
	}
	return queryAnyOf(ctx, m.store, catalog.Query{Table: table, At: snap}, catalog.ColRID, rids)
}

func elementTypeFor(model *catalog.Model, table catalog.TableRef) (ElementType, bool) {
	for _, et := range elementTypes(model, true) {
		if et.Table == table {
			return et, true
		}
	}
	return ElementType{}, false
}

func columnNames(cols []FeatureColumn) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}
