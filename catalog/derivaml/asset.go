package derivaml

import (
	"context"
	"errors"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog"
)

// Asset roles (the seeded Asset_Role terms).
const (
	RoleInput  = "Input"
	RoleOutput = "Output"
)

// Asset is a file row to record in an asset table. The bytes live
// elsewhere (Hatrac, or a URL for by-reference tables); URL, Length and MD5
// are required as in DerivaML's asset tables.
type Asset struct {
	URL         string
	Filename    string
	Description string
	Length      int64
	MD5         string      // hex digest
	Extra       catalog.Row // the table's own extra columns
}

// AssetLink says how new assets relate to an execution.
type AssetLink struct {
	Execution string   // "" records no execution link
	Role      string   // RoleInput or RoleOutput (default Output)
	Types     []string // Asset_Type terms to tag every asset with
}

// AddAssets records assets in an asset table, tags them with Asset_Type
// terms and links them to an execution with a role, as an execution's
// upload does. Terms are checked first; if a later write fails the rows
// written are removed. It returns the new asset RIDs.
func (m *ML) AddAssets(ctx context.Context, table string, assets []Asset, link AssetLink) ([]string, error) {
	t, err := m.table(ctx, table)
	if err != nil {
		return nil, err
	}
	if !IsAsset(t) {
		return nil, &TableTypeError{Type: "asset", Table: t.Name}
	}
	if len(assets) == 0 {
		return nil, nil
	}
	role := link.Role
	if role == "" {
		role = RoleOutput
	}
	types, err := m.termNames(ctx, TableAssetType, link.Types)
	if err != nil {
		return nil, err
	}
	if link.Execution != "" {
		if _, err := m.termNames(ctx, TableAssetRole, []string{role}); err != nil {
			return nil, err
		}
	}
	rows := make([]catalog.Row, len(assets))
	for i, a := range assets {
		r := catalog.Row{"URL": a.URL, "Filename": nilIfEmpty(a.Filename), "Description": nilIfEmpty(a.Description),
			"Length": a.Length, "MD5": a.MD5}
		for k, v := range a.Extra {
			r[k] = v
		}
		rows[i] = r
	}
	out, err := m.store.Insert(ctx, t.Ref(), rows, catalog.InsertOptions{})
	if err != nil {
		return nil, fmt.Errorf("add %d asset(s) to %s: %w", len(rows), t.Name, err)
	}
	rids := make([]string, len(out))
	for i, r := range out {
		rids[i] = r.RID()
	}
	if err := m.linkAssets(ctx, t, rids, types, link.Execution, role); err != nil {
		if cerr := m.unlinkAssets(ctx, t, rids); cerr != nil {
			err = errors.Join(err, fmt.Errorf("remove the assets added: %w", cerr))
		}
		return nil, err
	}
	return rids, nil
}

func (m *ML) linkAssets(ctx context.Context, t *catalog.Table, rids, types []string, execution, role string) error {
	var typeRows, exeRows []catalog.Row
	for _, rid := range rids {
		for _, typ := range types {
			typeRows = append(typeRows, catalog.Row{t.Name: rid, TableAssetType: typ})
		}
		if execution != "" {
			exeRows = append(exeRows, catalog.Row{t.Name: rid, "Execution": execution, "Asset_Role": role})
		}
	}
	if len(typeRows) > 0 {
		if _, err := m.store.Insert(ctx, assocRef(t, "_Asset_Type"), typeRows, catalog.InsertOptions{}); err != nil {
			return fmt.Errorf("tag %s assets with their types: %w", t.Name, err)
		}
	}
	if len(exeRows) > 0 {
		if _, err := m.store.Insert(ctx, assocRef(t, "_Execution"), exeRows, catalog.InsertOptions{}); err != nil {
			return fmt.Errorf("link %s assets to execution %s: %w", t.Name, execution, err)
		}
	}
	return nil
}

// unlinkAssets removes assets and their association rows.
func (m *ML) unlinkAssets(ctx context.Context, t *catalog.Table, rids []string) error {
	if len(rids) == 0 {
		return nil
	}
	var errs []error
	for _, suffix := range []string{"_Asset_Type", "_Execution"} {
		errs = append(errs, m.store.Delete(ctx, assocRef(t, suffix), anyOf(t.Name, rids)))
	}
	errs = append(errs, m.deleteRIDs(ctx, t.Ref(), rids))
	return errors.Join(errs...)
}

func assocRef(t *catalog.Table, suffix string) catalog.TableRef {
	return catalog.TableRef{Schema: t.SchemaName, Table: t.Name + suffix}
}

// termNames resolves names or synonyms in a deriva-ml vocabulary.
func (m *ML) termNames(ctx context.Context, vocab string, names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	v, err := m.vocabulary(ctx, MLSchema+":"+vocab)
	if err != nil {
		return nil, err
	}
	terms, err := m.lookupTerms(ctx, v, names)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		term, ok := terms[n]
		if !ok {
			return nil, &InvalidTermError{Vocabulary: vocab, Term: n}
		}
		out = append(out, term.Name)
	}
	return uniq(out), nil
}

// ExecutionAsset is an asset linked to an execution.
type ExecutionAsset struct {
	Table catalog.TableRef
	Role  string
	Row   catalog.Row
}

// ExecutionAssets lists the assets linked to an execution (inputs and
// outputs) across every asset table, two batched reads per asset table.
func (m *ML) ExecutionAssets(ctx context.Context, execution string) ([]ExecutionAsset, error) {
	model, err := m.Model(ctx)
	if err != nil {
		return nil, err
	}
	var out []ExecutionAsset
	for _, t := range model.SortedTables() {
		link := model.Table(assocRef(t, "_Execution"))
		if !IsAsset(t) || link == nil {
			continue
		}
		links, err := queryAll(ctx, m.store, catalog.Query{Table: link.Ref(), Where: catalog.Eq{Column: "Execution", Value: execution}})
		if err != nil {
			return nil, err
		}
		if len(links) == 0 {
			continue
		}
		roles := map[string]string{}
		var rids []string
		for _, l := range links {
			roles[l.String(t.Name)] = l.String("Asset_Role")
			rids = append(rids, l.String(t.Name))
		}
		rows, err := queryAnyOf(ctx, m.store, catalog.Query{Table: t.Ref()}, catalog.ColRID, rids)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out = append(out, ExecutionAsset{Table: t.Ref(), Role: roles[r.RID()], Row: r})
		}
	}
	return out, nil
}
