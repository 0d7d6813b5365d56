package derivaml

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

var (
	datasetRef        = catalog.TableRef{Schema: MLSchema, Table: TableDataset}
	datasetVersionRef = catalog.TableRef{Schema: MLSchema, Table: TableDatasetVersion}
	datasetTypeRef    = catalog.TableRef{Schema: MLSchema, Table: TableDatasetDatasetTyp}
	datasetExecRef    = catalog.TableRef{Schema: MLSchema, Table: TableDatasetExecution}
)

// Dataset is a row of deriva-ml:Dataset with its types and current version.
type Dataset struct {
	RID         string
	Description string
	Deleted     bool
	Types       []string
	// Version is the current version label: the newest in the history,
	// which is the dev label during a dev period.
	Version string
}

// NewDataset describes a dataset to create.
type NewDataset struct {
	Types       []string // Dataset_Type terms (names or synonyms)
	Description string
	// Execution is the creating execution, recorded as the producer on the
	// initial version row (Dataset_Version.Execution), never as a
	// Dataset_Execution row: those are input edges ("execution consumed
	// dataset"). "" records none.
	Execution string
	Version   string // initial released version; "" means 0.1.0
}

// CreateDataset creates a dataset with its types and its initial released
// version row (0.1.0 unless given), stamped with the catalog snapshot, in
// DerivaML's order (create_dataset): Dataset row, types, version row,
// Dataset.Version pointer, snapshot. The version, every type and the
// execution are checked before anything is written; if a later write fails
// the rows already written are removed again. An execution that declared
// no input gets the unknown-provenance File sentinel as its input, as
// DerivaML's no-input check does.
func (m *ML) CreateDataset(ctx context.Context, nd NewDataset) (Dataset, error) {
	nd.Execution = normRID(nd.Execution)
	version := MustParseVersion("0.1.0")
	if nd.Version != "" {
		v, err := ParseVersion(nd.Version)
		if err != nil {
			return Dataset{}, fmt.Errorf("create dataset: %w", err)
		}
		version = v
	}
	types, err := m.termNames(ctx, TableDatasetType, nd.Types)
	if err != nil {
		return Dataset{}, err
	}
	if nd.Execution != "" {
		if _, err := m.LookupExecution(ctx, nd.Execution); err != nil {
			return Dataset{}, fmt.Errorf("create dataset: %w", err)
		}
	}
	rows, err := m.store.Insert(ctx, datasetRef, []catalog.Row{{"Description": nd.Description, "Deleted": false}}, catalog.InsertOptions{})
	if err != nil {
		return Dataset{}, fmt.Errorf("create dataset: %w", err)
	}
	rid := rows[0].RID()
	if err := m.finishDataset(ctx, rid, types, nd.Execution, version); err != nil {
		return Dataset{}, rollBack(ctx, fmt.Errorf("create dataset: %w", err), "the partly created dataset "+rid,
			func(ctx context.Context) error { return m.purgeDataset(ctx, rid) })
	}
	// Best effort, as in DerivaML: the dataset exists whatever this says.
	_ = m.ensureProducerHasInput(ctx, nd.Execution)
	return Dataset{RID: rid, Description: nd.Description, Types: types, Version: version.String()}, nil
}

func (m *ML) finishDataset(ctx context.Context, rid string, types []string, execution string, version Version) error {
	if len(types) > 0 {
		trows := make([]catalog.Row, len(types))
		for i, t := range types {
			trows[i] = catalog.Row{"Dataset": rid, TableDatasetType: t}
		}
		if _, err := m.store.Insert(ctx, datasetTypeRef, trows, catalog.InsertOptions{}); err != nil {
			if _, ok, err := m.settleTypes(ctx, fmt.Errorf("add dataset types: %w", err), rid, types, true); !ok {
				return err
			}
		}
	}
	vrid, err := m.insertVersionRow(ctx, catalog.Row{
		"Dataset": rid, "Version": version.String(), "Description": "Initial dataset creation.", "Execution": nilIfEmpty(execution),
	})
	if err != nil {
		return fmt.Errorf("add initial version: %w", err)
	}
	if err := m.pointAtVersion(ctx, rid, vrid); err != nil {
		return fmt.Errorf("point dataset at its version: %w", err)
	}
	// The snapshot is read after the other writes and stamped last, so
	// reading at it sees them and the version row's RMT is the newest
	// (DerivaML's drift anchor).
	snap, err := m.store.Snapshot(ctx)
	if err != nil {
		return fmt.Errorf("read catalog snapshot: %w", err)
	}
	stamp := catalog.Row{"Snapshot": snap}
	if _, err := m.store.Update(ctx, datasetVersionRef, catalog.UpdateSpec{Match: []string{catalog.ColRID}, Set: []string{"Snapshot"}},
		[]catalog.Row{{catalog.ColRID: vrid, "Snapshot": snap}}); err != nil {
		ok, err := settle(ctx, err, fmt.Sprintf("whether version row %s has Snapshot %s", vrid, snap),
			func(ctx context.Context) (bool, error) { return m.rowHas(ctx, datasetVersionRef, vrid, stamp) })
		if !ok {
			return fmt.Errorf("stamp snapshot on version %s: %w", vrid, err)
		}
	}
	return nil
}

// purgeDataset removes a dataset and its satellite rows, breaking the
// Dataset ↔ Dataset_Version cycle first.
func (m *ML) purgeDataset(ctx context.Context, rid string) error {
	var errs []error
	_, err := m.store.Update(ctx, datasetRef, catalog.UpdateSpec{Match: []string{catalog.ColRID}, Set: []string{"Version"}},
		[]catalog.Row{{catalog.ColRID: rid, "Version": nil}})
	errs = append(errs, err)
	for _, ref := range []catalog.TableRef{datasetTypeRef, datasetVersionRef} {
		errs = append(errs, m.store.Delete(ctx, ref, catalog.Eq{Column: "Dataset", Value: rid}))
	}
	errs = append(errs, m.store.Delete(ctx, datasetRef, catalog.Eq{Column: catalog.ColRID, Value: rid}))
	return errors.Join(errs...)
}

// notDeleted matches datasets that are not soft-deleted; DerivaML counts a
// NULL Deleted as live.
var notDeleted = catalog.Or{catalog.Eq{Column: "Deleted", Value: false}, catalog.IsNull{Column: "Deleted"}}

// LookupDataset reads a live dataset, its types and its current version.
// A deleted dataset is not found, as with DerivaML's lookup_dataset;
// LookupDatasetIncludingDeleted finds it too.
func (m *ML) LookupDataset(ctx context.Context, rid string) (Dataset, error) {
	return m.lookupDataset(ctx, rid, false)
}

// LookupDatasetIncludingDeleted is LookupDataset that also finds deleted
// datasets (DerivaML's lookup_dataset(rid, deleted=True)).
func (m *ML) LookupDatasetIncludingDeleted(ctx context.Context, rid string) (Dataset, error) {
	return m.lookupDataset(ctx, rid, true)
}

func (m *ML) lookupDataset(ctx context.Context, rid string, deleted bool) (Dataset, error) {
	rid = normRID(rid)
	row, err := m.datasetRow(ctx, rid, deleted, nil)
	if err != nil {
		return Dataset{}, err
	}
	ds, err := m.datasetsFromRows(ctx, []catalog.Row{row})
	if err != nil {
		return Dataset{}, err
	}
	return ds[0], nil
}

// requireLiveDataset fails with DatasetNotFoundError unless rid is a
// dataset that is not deleted. Changes to a dataset check this first: in
// DerivaML they act on a dataset lookup_dataset returned, which by default
// refuses deleted ones.
func (m *ML) requireLiveDataset(ctx context.Context, rid string) error {
	_, err := m.datasetRow(ctx, rid, false, []string{catalog.ColRID})
	return err
}

// datasetRow reads the Dataset row of rid (columns sel; nil for all), a
// deleted one only with deleted; no such row is a DatasetNotFoundError.
func (m *ML) datasetRow(ctx context.Context, rid string, deleted bool, sel []string) (catalog.Row, error) {
	var where catalog.Filter = catalog.Eq{Column: catalog.ColRID, Value: rid}
	if !deleted {
		where = catalog.And{where, notDeleted}
	}
	rows, err := m.store.Query(ctx, catalog.Query{Table: datasetRef, Where: where, Select: sel, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("look up dataset %s: %w", rid, err)
	}
	if len(rows) == 0 {
		return nil, &DatasetNotFoundError{RID: rid}
	}
	return rows[0], nil
}

// FindDatasets lists the catalog's datasets, deleted ones only if asked.
func (m *ML) FindDatasets(ctx context.Context, includeDeleted bool) ([]Dataset, error) {
	q := catalog.Query{Table: datasetRef}
	if !includeDeleted {
		q.Where = notDeleted
	}
	rows, err := queryAll(ctx, m.store, q)
	if err != nil {
		return nil, err
	}
	return m.datasetsFromRows(ctx, rows)
}

// datasetsFromRows adds types and current versions with two batched reads.
func (m *ML) datasetsFromRows(ctx context.Context, rows []catalog.Row) ([]Dataset, error) {
	rids := rowRIDs(rows)
	types, err := queryAnyOf(ctx, m.store, catalog.Query{Table: datasetTypeRef}, "Dataset", rids)
	if err != nil {
		return nil, err
	}
	versions, err := queryAnyOf(ctx, m.store, catalog.Query{Table: datasetVersionRef}, "Dataset", rids)
	if err != nil {
		return nil, err
	}
	out := make([]Dataset, len(rows))
	for i, r := range rows {
		deleted, _ := r["Deleted"].(bool)
		ds := Dataset{RID: r.RID(), Description: r.String("Description"), Deleted: deleted}
		var newest *Version
		for _, t := range types {
			if t.String("Dataset") == ds.RID {
				ds.Types = append(ds.Types, t.String(TableDatasetType))
			}
		}
		for _, v := range versions {
			if v.String("Dataset") != ds.RID {
				continue
			}
			if pv, err := ParseVersion(v.String("Version")); err == nil && (newest == nil || pv.Compare(*newest) > 0) {
				newest = &pv
			}
		}
		if newest != nil {
			ds.Version = newest.String()
		}
		out[i] = ds
	}
	return out, nil
}

// AddDatasetTypes tags a dataset with Dataset_Type terms; types it already
// has are skipped, and a change moves the dataset to its dev version. The
// terms are checked first; if the dev-version step fails the type rows
// this call added are removed again.
func (m *ML) AddDatasetTypes(ctx context.Context, rid string, types ...string) error {
	rid = normRID(rid)
	names, err := m.termNames(ctx, TableDatasetType, types)
	if err != nil {
		return err
	}
	ds, err := m.LookupDataset(ctx, rid)
	if err != nil {
		return err
	}
	var added []catalog.Row
	var addedNames []string
	for _, n := range names {
		if !slices.Contains(ds.Types, n) {
			added = append(added, catalog.Row{"Dataset": rid, TableDatasetType: n})
			addedNames = append(addedNames, n)
		}
	}
	if len(added) == 0 {
		return nil
	}
	inserted, err := m.store.Insert(ctx, datasetTypeRef, added, catalog.InsertOptions{})
	if err != nil {
		var ok bool
		// The types were missing before, so the rows there now are this call's.
		inserted, ok, err = m.settleTypes(ctx, fmt.Errorf("add types to dataset %s: %w", rid, err), rid, addedNames, true)
		if !ok {
			return err
		}
	}
	desc := "Added dataset type: " + addedNames[0]
	if len(addedNames) > 1 {
		desc = "Added dataset type(s): " + strings.Join(addedNames, ", ")
	}
	if err := m.createOrAdvanceDev(ctx, rid, desc, ""); err != nil {
		return rollBack(ctx, err, fmt.Sprintf("the type(s) %s added to dataset %s", strings.Join(addedNames, ", "), rid),
			func(ctx context.Context) error { return m.deleteRIDs(ctx, datasetTypeRef, rowRIDs(inserted)) })
	}
	return nil
}

// RemoveDatasetType removes a type from a dataset (a no-op if it lacks
// it). If the dev-version step fails the type is put back.
func (m *ML) RemoveDatasetType(ctx context.Context, rid, typ string) error {
	rid = normRID(rid)
	names, err := m.termNames(ctx, TableDatasetType, []string{typ})
	if err != nil {
		return err
	}
	ds, err := m.LookupDataset(ctx, rid)
	if err != nil {
		return err
	}
	if !slices.Contains(ds.Types, names[0]) {
		return nil
	}
	if err := m.store.Delete(ctx, datasetTypeRef, catalog.And{catalog.Eq{Column: "Dataset", Value: rid},
		catalog.Eq{Column: TableDatasetType, Value: names[0]}}); err != nil {
		if _, ok, err := m.settleTypes(ctx, fmt.Errorf("remove type %s from dataset %s: %w", names[0], rid, err), rid, names, false); !ok {
			return err
		}
	}
	if err := m.createOrAdvanceDev(ctx, rid, "Removed dataset type: "+names[0], ""); err != nil {
		return rollBack(ctx, err, fmt.Sprintf("the removal of type %s from dataset %s", names[0], rid), func(ctx context.Context) error {
			_, err := m.store.Insert(ctx, datasetTypeRef, []catalog.Row{{"Dataset": rid, TableDatasetType: names[0]}}, catalog.InsertOptions{})
			return err
		})
	}
	return nil
}
