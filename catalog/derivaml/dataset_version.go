package derivaml

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/cyclezero/cyclezero/catalog"
)

// DatasetVersionInfo is one Dataset_Version row (DerivaML's DatasetHistory).
type DatasetVersionInfo struct {
	RID         string // the version row's RID
	Dataset     string
	Version     Version
	Description string
	Execution   string
	Minid       string
	SpecHash    string
	Snapshot    string // "" on dev rows, which track the live catalog
	RMT         string
}

// NotADatasetError is dataset_history's failure: the RID is not a
// dataset's. It is a not-found error: errors.Is(err, catalog.ErrNotFound)
// holds.
type NotADatasetError struct {
	RID string
}

// Error renders DerivaML's message, word for word.
func (e *NotADatasetError) Error() string {
	return "RID is not for a data set: " + e.RID
}

// Unwrap gives the error's kind without adding its words to the message.
func (e *NotADatasetError) Unwrap() error { return catalog.ErrNotFound }

func versionFromRow(r catalog.Row) (DatasetVersionInfo, error) {
	v, err := ParseVersion(r.String("Version"))
	if err != nil {
		return DatasetVersionInfo{}, fmt.Errorf("dataset %s version row %s: %w", r.String("Dataset"), r.RID(), err)
	}
	return DatasetVersionInfo{RID: r.RID(), Dataset: r.String("Dataset"), Version: v,
		Description: r.String("Description"), Execution: r.String("Execution"), Minid: r.String("Minid"),
		SpecHash: r.String("Minid_Spec_Hash"), Snapshot: r.String("Snapshot"), RMT: r.String(catalog.ColRMT)}, nil
}

// DatasetHistory lists a dataset's version rows, oldest first under PEP 440
// ordering (so a dev row, if any, comes last). A RID that is no dataset
// is a NotADatasetError, as dataset_history raises. Reads work on deleted
// datasets too, where DerivaML refuses them: a deleted dataset can still
// be an execution's input (validation only warns), and its versions stay
// citable.
func (m *ML) DatasetHistory(ctx context.Context, rid string) ([]DatasetVersionInfo, error) {
	rid = normRID(rid)
	rows, err := queryAll(ctx, m.store, catalog.Query{Table: datasetVersionRef, Where: catalog.Eq{Column: "Dataset", Value: rid}})
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		// Every dataset has version rows, so only then is the extra read needed.
		if _, err := m.datasetRow(ctx, rid, true, []string{catalog.ColRID}); err != nil {
			var nf *DatasetNotFoundError
			if errors.As(err, &nf) {
				return nil, &NotADatasetError{RID: rid}
			}
			return nil, err
		}
	}
	out := make([]DatasetVersionInfo, 0, len(rows))
	for _, r := range rows {
		v, err := versionFromRow(r)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	slices.SortStableFunc(out, func(a, b DatasetVersionInfo) int { return a.Version.Compare(b.Version) })
	return out, nil
}

// CurrentVersion is the newest version of a dataset: its dev label during
// a dev period, else its latest release.
func (m *ML) CurrentVersion(ctx context.Context, rid string) (Version, error) {
	rid = normRID(rid)
	h, err := m.DatasetHistory(ctx, rid)
	if err != nil {
		return Version{}, err
	}
	if len(h) == 0 {
		return Version{}, fmt.Errorf("Dataset %s has no Dataset_Version rows: the catalog is inconsistent; every dataset is created with one", rid)
	}
	return h[len(h)-1].Version, nil
}

func splitHistory(h []DatasetVersionInfo) (dev []DatasetVersionInfo, released []DatasetVersionInfo) {
	for _, v := range h {
		if v.Version.IsDevRelease() {
			dev = append(dev, v)
		} else {
			released = append(released, v)
		}
	}
	return dev, released
}

// MarkDev records drift that no dataset operation saw (e.g. new feature
// values on members): it opens or advances the dataset's dev version. A
// deleted dataset is not found, as for every change to a dataset.
func (m *ML) MarkDev(ctx context.Context, rid, description, execution string) error {
	rid, execution = normRID(rid), normRID(execution)
	if err := m.requireLiveDataset(ctx, rid); err != nil {
		return err
	}
	return m.createOrAdvanceDev(ctx, rid, description, execution)
}

// createOrAdvanceDev is DerivaML's dev-row lifecycle: with no dev row it
// inserts "<last release>.post1.dev1" (Snapshot NULL) and points the
// dataset at it; with one it advances .devN in place, guarded by the row's
// RMT so a concurrent writer is detected.
func (m *ML) createOrAdvanceDev(ctx context.Context, rid, description, execution string) error {
	h, err := m.DatasetHistory(ctx, rid)
	if err != nil {
		return err
	}
	dev, released := splitHistory(h)
	// The capitalised messages ending in "." here, in guardedVersionUpdate
	// and in Release are DerivaML's own (dataset.py), word for word, so
	// they read as DerivaML users know them; keep them so.
	switch {
	case len(dev) > 1:
		return fmt.Errorf("Dataset %s has %d dev rows; expected at most one.", rid, len(dev))
	case len(dev) == 0:
		if len(released) == 0 {
			return fmt.Errorf("Dataset %s has no released version to anchor a dev row against.", rid)
		}
		label := released[len(released)-1].Version.FirstDev()
		return m.openDev(ctx, rid, label, description, execution)
	}
	cur := dev[0]
	next := cur.Version.NextDev()
	return m.guardedVersionUpdate(ctx, rid, cur, catalog.Row{
		"Version": next.String(), "Description": description, "Execution": nilIfEmpty(execution)})
}

// openDev inserts a dataset's dev row and points the dataset at it; if
// the pointer update fails the new row is removed again, so the dataset
// is left as it was.
func (m *ML) openDev(ctx context.Context, rid string, label Version, description, execution string) error {
	vrid, err := m.insertVersionRow(ctx, catalog.Row{
		"Dataset": rid, "Version": label.String(), "Description": description, "Execution": nilIfEmpty(execution),
	})
	if err != nil {
		return fmt.Errorf("open dev version %s of dataset %s: %w", label, rid, err)
	}
	if err := m.pointAtVersion(ctx, rid, vrid); err != nil {
		err = fmt.Errorf("point dataset %s at its dev version: %w", rid, err)
		return rollBack(ctx, err, fmt.Sprintf("the dev version row %s (%s)", vrid, label), func(ctx context.Context) error {
			return m.store.Delete(ctx, datasetVersionRef, catalog.Eq{Column: catalog.ColRID, Value: vrid})
		})
	}
	return nil
}

// guardedVersionUpdate rewrites a version row only if it is unchanged
// since it was read (RID and RMT correlation).
func (m *ML) guardedVersionUpdate(ctx context.Context, dataset string, row DatasetVersionInfo, set catalog.Row) error {
	upd := catalog.Row{catalog.ColRID: row.RID, catalog.ColRMT: row.RMT}
	maps.Copy(upd, set)
	cols := sortedKeys(set)
	rows, err := m.store.Update(ctx, datasetVersionRef, catalog.UpdateSpec{Match: []string{catalog.ColRID, catalog.ColRMT}, Set: cols},
		[]catalog.Row{upd})
	if err != nil && !errors.Is(err, catalog.ErrPrecondition) {
		ok, err := settle(ctx, err, fmt.Sprintf("whether version row %s of dataset %s reads %s", row.RID, dataset, describeValues(set)),
			func(ctx context.Context) (bool, error) { return m.rowHas(ctx, datasetVersionRef, row.RID, set) })
		if ok {
			return nil
		}
		return fmt.Errorf("update version row %s of dataset %s: %w", row.RID, dataset, err)
	}
	if err != nil || len(rows) == 0 {
		return fmt.Errorf("Concurrent modification of dev row %s for dataset %s: another writer advanced the row "+
			"between this call's read and write. Re-read the dataset and retry if the new state is still what you intended.",
			row.RID, dataset)
	}
	return nil
}

// Release promotes a dataset's dev row in place to the next release after
// its last released version (bumping major, minor or patch): one guarded
// update sets the label, the catalog snapshot (read just before, so it
// covers every change of the dev period), the release notes as
// description and the releasing execution (or none), as DerivaML does.
// A deleted dataset is not found.
func (m *ML) Release(ctx context.Context, rid string, bump VersionPart, description, execution string) (Version, error) {
	rid, execution = normRID(rid), normRID(execution)
	if err := m.requireLiveDataset(ctx, rid); err != nil {
		return Version{}, err
	}
	h, err := m.DatasetHistory(ctx, rid)
	if err != nil {
		return Version{}, err
	}
	dev, released := splitHistory(h)
	if len(dev) == 0 {
		current := "none"
		if len(h) > 0 {
			current = h[len(h)-1].Version.String()
		}
		return Version{}, fmt.Errorf("Dataset %s has no dev period to release (current_version=%s). To release a no-op change, "+
			"call mark_dev() first to declare a dev period, then release() to promote it.", rid, current)
	}
	if len(dev) > 1 {
		return Version{}, fmt.Errorf("Dataset %s has %d dev rows; expected at most one.", rid, len(dev))
	}
	if len(released) == 0 {
		return Version{}, fmt.Errorf("Dataset %s is in a dev period but has no released version to anchor the next release against.", rid)
	}
	next, err := released[len(released)-1].Version.NextRelease(bump)
	if err != nil {
		return Version{}, err
	}
	snap, err := m.store.Snapshot(ctx)
	if err != nil {
		return Version{}, fmt.Errorf("release %s of dataset %s: read catalog snapshot: %w", next, rid, err)
	}
	if err := m.guardedVersionUpdate(ctx, rid, dev[0], catalog.Row{"Version": next.String(), "Snapshot": snap,
		"Description": description, "Execution": nilIfEmpty(execution)}); err != nil {
		return Version{}, err
	}
	return next, nil
}

// versionRow finds the version row with the given label (compared in
// canonical form), or an error listing the labels that exist.
func (m *ML) versionRow(ctx context.Context, rid, label string) (DatasetVersionInfo, error) {
	h, err := m.DatasetHistory(ctx, rid)
	if err != nil {
		return DatasetVersionInfo{}, err
	}
	want := label
	if v, err := ParseVersion(label); err == nil {
		want = v.String()
	}
	var available []string
	for _, v := range h {
		if v.Version.String() == want {
			return v, nil
		}
		available = append(available, v.Version.String())
	}
	return DatasetVersionInfo{}, fmt.Errorf("Version %s does not exist for dataset %s. Available: %s", pyRepr(label), rid, pyList(available))
}
