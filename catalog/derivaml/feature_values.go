package derivaml

import (
	"context"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog"
)

// FeatureRecord is one feature value to write: which feature it belongs to
// and its column values (the target column and any term, asset and
// metadata columns; Execution and Feature_Name are filled in).
type FeatureRecord struct {
	Target  string // target table name, e.g. "Image"
	Feature string // feature name, e.g. "Diagnosis"
	Values  catalog.Row
}

// AddFeatureValues writes feature values produced by an execution, all of
// one feature, in a single atomic insert. Everything is checked first —
// the execution is Running or Pending_Upload, targets and assets exist,
// terms (names or synonyms) are in their vocabularies, required columns
// are present — so a bad record writes nothing. It returns the rows
// written.
func (m *ML) AddFeatureValues(ctx context.Context, execution string, records []FeatureRecord) ([]catalog.Row, error) {
	execution = normRID(execution)
	if len(records) == 0 {
		return nil, nil
	}
	kinds := map[[2]string]bool{}
	for _, r := range records {
		kinds[[2]string{r.Target, r.Feature}] = true
	}
	if len(kinds) > 1 {
		return nil, fmt.Errorf("add_features called with records from %d different feature definitions; all records must share one feature.", len(kinds))
	}
	exe, err := m.LookupExecution(ctx, execution)
	if err != nil {
		return nil, fmt.Errorf("add feature values: %w", err)
	}
	if exe.Status != StatusRunning && exe.Status != StatusPendingUpload {
		return nil, fmt.Errorf("add feature values: execution %s is %s; values are written while it is %s (or %s)",
			execution, exe.Status, StatusRunning, StatusPendingUpload)
	}
	f, err := m.LookupFeature(ctx, records[0].Target, records[0].Feature)
	if err != nil {
		return nil, err
	}
	rows, err := m.checkFeatureRows(ctx, f, records)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		r["Execution"] = exe.RID
		r["Feature_Name"] = f.Name
	}
	out, err := m.store.Insert(ctx, f.Table, rows, catalog.InsertOptions{})
	if err != nil {
		return nil, fmt.Errorf("write %d %s values: %w", len(rows), f.Name, err)
	}
	return out, nil
}

// checkFeatureRows validates records against the feature definition with
// one batched read per referenced table and returns the rows to insert,
// terms replaced by their canonical names.
func (m *ML) checkFeatureRows(ctx context.Context, f Feature, records []FeatureRecord) ([]catalog.Row, error) {
	allowed := map[string]bool{f.TargetColumn(): true}
	for _, c := range f.Columns {
		allowed[c.Name] = true
	}
	rows := make([]catalog.Row, len(records))
	refs := map[string][]string{} // column → values to check
	for i, rec := range records {
		row := catalog.Row{}
		for k, v := range rec.Values {
			if !allowed[k] {
				return nil, fmt.Errorf("feature %s has no column %s (columns: %s)", f.Name, k, pyList(featureColumnNames(f)))
			}
			row[k] = v
		}
		target, _ := row[f.TargetColumn()].(string)
		if target == "" {
			return nil, fmt.Errorf("feature %s value %d: %s (the target RID) is required", f.Name, i+1, f.TargetColumn())
		}
		target = normRID(target)
		row[f.TargetColumn()] = target
		refs[f.TargetColumn()] = append(refs[f.TargetColumn()], target)
		for _, c := range f.Columns {
			v, present := row[c.Name]
			if !present || v == nil {
				if c.Required {
					return nil, fmt.Errorf("feature %s value %d: column %s is required", f.Name, i+1, c.Name)
				}
				continue
			}
			if c.Kind != KindValue {
				s, ok := v.(string)
				if !ok {
					return nil, fmt.Errorf("feature %s value %d: column %s wants a %s name, got %T", f.Name, i+1, c.Name, c.Kind, v)
				}
				if c.Kind == KindAsset {
					s = normRID(s)
					row[c.Name] = s
				}
				refs[c.Name] = append(refs[c.Name], s)
			}
		}
		rows[i] = row
	}
	if err := m.checkRIDsExist(ctx, f.Target, refs[f.TargetColumn()]); err != nil {
		return nil, err
	}
	for _, c := range f.Columns {
		vals := refs[c.Name]
		if len(vals) == 0 {
			continue
		}
		switch c.Kind {
		case KindAsset:
			if err := m.checkRIDsExist(ctx, c.References, vals); err != nil {
				return nil, err
			}
		case KindTerm:
			if err := m.canonicalTerms(ctx, c, rows); err != nil {
				return nil, err
			}
		}
	}
	return rows, nil
}

// canonicalTerms checks a term column's values and rewrites synonyms to
// term names.
func (m *ML) canonicalTerms(ctx context.Context, c FeatureColumn, rows []catalog.Row) error {
	vocab, err := m.table(ctx, c.References.String())
	if err != nil {
		return err
	}
	var names []string
	for _, r := range rows {
		if s, ok := r[c.Name].(string); ok {
			names = append(names, s)
		}
	}
	terms, err := m.lookupTerms(ctx, vocab, names)
	if err != nil {
		return err
	}
	for _, r := range rows {
		s, ok := r[c.Name].(string)
		if !ok {
			continue
		}
		term, found := terms[s]
		if !found {
			return &InvalidTermError{Vocabulary: vocab.Name, Term: s}
		}
		r[c.Name] = term.Name
	}
	return nil
}

// checkRIDsExist fails unless every RID names a row of table.
func (m *ML) checkRIDsExist(ctx context.Context, table catalog.TableRef, rids []string) error {
	rids = uniq(rids)
	rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: table, Select: []string{catalog.ColRID}}, catalog.ColRID, rids)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, r := range rows {
		have[r.RID()] = true
	}
	var missing []string
	for _, r := range rids {
		if !have[r] {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("RIDs not found in %s: %s", table.Table, pyList(missing))
	}
	return nil
}

func featureColumnNames(f Feature) []string {
	out := []string{f.TargetColumn()}
	for _, c := range f.Columns {
		out = append(out, c.Name)
	}
	return out
}

// FeatureValues reads a feature's values, reduced to one per target (in
// target RID order) by the selector; SelectAll returns every value. The
// selector is checked, and by_workflow's executions looked up, before any
// value is read.
func (m *ML) FeatureValues(ctx context.Context, target, feature string, sel Selector) ([]catalog.Row, error) {
	f, err := m.LookupFeature(ctx, target, feature)
	if err != nil {
		return nil, err
	}
	s, err := m.prepare(ctx, f, sel)
	if err != nil {
		return nil, err
	}
	rows, err := queryAll(ctx, m.store, catalog.Query{Table: f.Table})
	if err != nil {
		return nil, err
	}
	return applySelection(rows, f.TargetColumn(), s)
}
