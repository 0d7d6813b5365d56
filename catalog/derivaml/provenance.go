package derivaml

import (
	"context"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog"
)

// assetTypeInputFile is the Asset_Type term DerivaML tags input files with.
const assetTypeInputFile = "Input_File"

// ensureProducerHasInput is DerivaML's provenance no-input check
// (execution/provenance_enforcement.py): an execution that authors a
// durable artifact (here a dataset version) but declared no input — no
// Dataset_Execution row and no asset linked with role Input — gets the
// unknown-provenance File sentinel linked as an explicit Input, so the gap
// reads as "input unknown" rather than absent. The sentinel execution
// itself is exempt.
//
// Like DerivaML it never fails the caller's work, which is already
// committed: the mark is bookkeeping, and an error here (no sentinel, a
// catalog without File_Execution) is returned only for tests and callers
// that want to report it.
func (m *ML) ensureProducerHasInput(ctx context.Context, execution string) error {
	if execution == "" {
		return nil
	}
	model, err := m.Model(ctx)
	if err != nil {
		return err
	}
	sentinelExec, err := m.firstRID(ctx, executionRef, catalog.Eq{Column: "Description", Value: SentinelExecutionDescription})
	if err != nil || sentinelExec == execution {
		return err
	}
	has, err := m.hasInput(ctx, model, execution)
	if err != nil || has {
		return err
	}
	fileRef := catalog.TableRef{Schema: MLSchema, Table: TableFile}
	file, err := m.firstRID(ctx, fileRef, catalog.Eq{Column: "URL", Value: SentinelFileURL})
	if err != nil {
		return err
	}
	if file == "" {
		return fmt.Errorf("mark execution %s's input as unknown: the unknown-provenance File sentinel is missing", execution)
	}
	fileTable := model.Table(fileRef)
	if fileTable == nil {
		return &TableNotFoundError{Table: TableFile}
	}
	if _, err := m.store.Insert(ctx, assocRef(fileTable, "_Execution"), []catalog.Row{{
		TableFile: file, "Execution": execution, "Asset_Role": RoleInput}}, catalog.InsertOptions{OnConflictSkip: true}); err != nil {
		return fmt.Errorf("link the unknown-provenance File %s as input of execution %s: %w", file, execution, err)
	}
	if _, err := m.store.Insert(ctx, assocRef(fileTable, "_Asset_Type"), []catalog.Row{{
		TableFile: file, TableAssetType: assetTypeInputFile}}, catalog.InsertOptions{OnConflictSkip: true}); err != nil {
		return fmt.Errorf("tag the unknown-provenance File %s as %s: %w", file, assetTypeInputFile, err)
	}
	return nil
}

// hasInput reports whether an execution declared any input: a consumed
// dataset or an asset linked with role Input (one read per asset table,
// stopping at the first hit).
func (m *ML) hasInput(ctx context.Context, model *catalog.Model, execution string) (bool, error) {
	byExec := catalog.Eq{Column: "Execution", Value: execution}
	if rid, err := m.firstRID(ctx, datasetExecRef, byExec); err != nil || rid != "" {
		return rid != "", err
	}
	for _, t := range model.SortedTables() {
		link := model.Table(assocRef(t, "_Execution"))
		if !IsAsset(t) || link == nil {
			continue
		}
		rid, err := m.firstRID(ctx, link.Ref(), catalog.And{byExec, catalog.Eq{Column: "Asset_Role", Value: RoleInput}})
		if err != nil || rid != "" {
			return rid != "", err
		}
	}
	return false, nil
}

// firstRID returns the RID of one row matching where, or "" for none.
func (m *ML) firstRID(ctx context.Context, table catalog.TableRef, where catalog.Filter) (string, error) {
	rows, err := m.store.Query(ctx, catalog.Query{Table: table, Where: where, Select: []string{catalog.ColRID}, Limit: 1})
	if err != nil {
		return "", fmt.Errorf("read %s: %w", table, err)
	}
	if len(rows) == 0 {
		return "", nil
	}
	return rows[0].RID(), nil
}
