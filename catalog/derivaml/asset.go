package derivaml

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// Asset roles (the seeded Asset_Role terms).
const (
	RoleInput  = "Input"
	RoleOutput = "Output"
)

// Directional Asset_Type tags DerivaML adds to every asset linked to an
// execution (update_asset_execution_table): Input_File on the inputs an
// execution downloads, Output_File on the outputs it uploads.
const (
	AssetTypeInputFile  = "Input_File"
	AssetTypeOutputFile = "Output_File"
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
	Execution string // "" records no execution link
	Role      string // RoleInput or RoleOutput (default Output)
	// Types are the Asset_Type terms (content tags) for every asset. nil
	// means the asset table's own name, as asset_file_path defaults to;
	// an empty non-nil slice means no content tag.
	Types []string
}

// AddAssets records assets in an asset table and tags and links them as an
// execution's upload does (update_asset_execution_table): each asset gets
// its content types (default: the table's name) and, when linked to an
// execution, a <table>_Execution row with the role plus the directional
// tag — Output_File for outputs, Input_File for inputs. Terms are checked
// first; if a later write fails the rows written are removed. It returns
// the new asset RIDs.
func (m *ML) AddAssets(ctx context.Context, table string, assets []Asset, link AssetLink) ([]string, error) {
	link.Execution = normRID(link.Execution)
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
	wanted := link.Types
	if wanted == nil {
		wanted = []string{t.Name}
	}
	if link.Execution != "" {
		if _, err := m.termNames(ctx, TableAssetRole, []string{role}); err != nil {
			return nil, err
		}
		wanted = append(slices.Clone(wanted), directionTag(role))
	}
	types, err := m.termNames(ctx, TableAssetType, wanted)
	if err != nil {
		return nil, err
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
	rids := rowRIDs(out)
	if err := m.linkAssets(ctx, t, rids, types, link.Execution, role); err != nil {
		return nil, rollBack(ctx, err, fmt.Sprintf("the %d %s asset(s) added", len(rids), t.Name),
			func(ctx context.Context) error { return m.unlinkAssets(ctx, t, rids) })
	}
	return rids, nil
}

// directionTag is the Asset_Type tag for a role: Input_File for inputs,
// Output_File for everything else (DerivaML treats non-Input as output).
func directionTag(role string) string {
	if role == RoleInput {
		return AssetTypeInputFile
	}
	return AssetTypeOutputFile
}

// AddInputAssets records that an execution consumed existing assets, as
// download_asset does: a <table>_Execution row with role Input and the
// Input_File tag for each asset, keeping the asset's other types. Links
// and tags already present are left as they are, so repeating it is
// harmless. Every RID must be a row of an asset table.
func (m *ML) AddInputAssets(ctx context.Context, execution string, rids []string) error {
	execution = normRID(execution)
	if len(rids) == 0 {
		return nil
	}
	if _, err := m.LookupExecution(ctx, execution); err != nil {
		return fmt.Errorf("record input assets: %w", err)
	}
	model, err := m.Model(ctx)
	if err != nil {
		return err
	}
	var assetTables []catalog.TableRef
	for _, t := range model.SortedTables() {
		if IsAsset(t) {
			assetTables = append(assetTables, t.Ref())
		}
	}
	found, err := m.resolveRIDs(ctx, rids, assetTables)
	if err != nil {
		return fmt.Errorf("record input assets: %w", err)
	}
	byTable := map[catalog.TableRef][]string{}
	for _, rid := range uniq(rids) {
		info, ok := found[rid]
		t := model.Table(info.Table)
		if !ok || t == nil || !IsAsset(t) || info.Deleted() {
			return fmt.Errorf("RID %s  is not for an asset table.", rid)
		}
		byTable[info.Table] = append(byTable[info.Table], info.RID)
	}
	skip := catalog.InsertOptions{OnConflictSkip: true}
	for _, ref := range sortedRefs(byTable) {
		t := model.Table(ref)
		var links, tags []catalog.Row
		for _, rid := range byTable[ref] {
			links = append(links, catalog.Row{t.Name: rid, "Execution": execution, "Asset_Role": RoleInput})
			tags = append(tags, catalog.Row{t.Name: rid, TableAssetType: AssetTypeInputFile})
		}
		if _, err := m.store.Insert(ctx, assocRef(t, "_Execution"), links, skip); err != nil {
			return fmt.Errorf("link %s inputs to execution %s: %w", t.Name, execution, err)
		}
		if _, err := m.store.Insert(ctx, assocRef(t, "_Asset_Type"), tags, skip); err != nil {
			return fmt.Errorf("tag %s inputs %s: %w", t.Name, AssetTypeInputFile, err)
		}
	}
	return nil
}

func sortedRefs[V any](m map[catalog.TableRef]V) []catalog.TableRef {
	out := make([]catalog.TableRef, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b catalog.TableRef) int { return strings.Compare(a.String(), b.String()) })
	return out
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
		if err := m.insertLinks(ctx, t, "_Asset_Type", typeRows, rids); err != nil {
			return fmt.Errorf("tag %s assets with their types: %w", t.Name, err)
		}
	}
	if len(exeRows) > 0 {
		if err := m.insertLinks(ctx, t, "_Execution", exeRows, rids); err != nil {
			return fmt.Errorf("link %s assets to execution %s: %w", t.Name, execution, err)
		}
	}
	return nil
}

// insertLinks inserts association rows of new assets (rids). A lost answer
// is settled by counting their rows there: the assets are new, so any
// row is this insert's.
func (m *ML) insertLinks(ctx context.Context, t *catalog.Table, suffix string, rows []catalog.Row, rids []string) error {
	ref := assocRef(t, suffix)
	_, err := m.store.Insert(ctx, ref, rows, catalog.InsertOptions{})
	if err == nil {
		return nil
	}
	_, err = settle(ctx, err, fmt.Sprintf("whether %s has rows for the new %s asset(s)", ref, t.Name), func(ctx context.Context) (bool, error) {
		got, err := m.rowsAt(ctx, ref, anyOf(t.Name, rids))
		return len(got) == len(rows), err
	})
	return err
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

// ExecutionAsset is an asset linked to an execution.
type ExecutionAsset struct {
	Table catalog.TableRef
	Role  string
	Row   catalog.Row
}

// ExecutionAssets lists the assets linked to an execution (inputs and
// outputs) across every asset table, two batched reads per asset table.
func (m *ML) ExecutionAssets(ctx context.Context, execution string) ([]ExecutionAsset, error) {
	execution = normRID(execution)
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
