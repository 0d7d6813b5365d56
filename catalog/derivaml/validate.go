package derivaml

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/cyclezero/cyclezero/catalog"
)

// ValidateExecutionConfiguration checks a configuration against catalog
// metadata only — no bag download, no Execution row — with DerivaML's
// reason codes. Look-ups are batched: one RID=any(...) query per expected
// table (Dataset and Workflow for every RID of the configuration, then
// each asset table for the asset RIDs still unplaced), one for the
// datasets' versions, and, to name the table of RIDs none of those placed,
// a RID lookup each or (when they outnumber the tables left to ask) one
// query per table for the RIDs not yet asked of it.
func (m *ML) ValidateExecutionConfiguration(ctx context.Context, cfg Config) (Report, error) {
	model, err := m.Model(ctx)
	if err != nil {
		return Report{}, err
	}
	v := &validation{m: m, model: model, where: map[string]catalog.TableRef{}, asked: map[catalog.TableRef]map[string]bool{}}
	var all []string
	for _, d := range cfg.Datasets {
		all = append(all, d.RID)
	}
	assetRIDs := make([]string, len(cfg.Assets))
	for i, a := range cfg.Assets {
		assetRIDs[i] = a.RID
	}
	all = canonAll(append(append(all, assetRIDs...), cfg.Workflow))
	if err := v.lookupDatasets(ctx, cfg.Datasets, all); err != nil {
		return Report{}, err
	}
	if cfg.Workflow != "" {
		if err := v.lookupWorkflow(ctx, all); err != nil {
			return Report{}, err
		}
	}
	if err := v.lookupAssets(ctx, assetRIDs); err != nil {
		return Report{}, err
	}
	if err := v.resolveMisses(ctx, all); err != nil {
		return Report{}, err
	}

	rep := Report{AllValid: true, DatasetResults: []DatasetResult{}, AssetResults: []AssetResult{}, CrossSpecIssues: []CrossSpecIssue{}}
	for _, s := range cfg.Datasets {
		r := v.datasetResult(s)
		rep.AllValid = rep.AllValid && r.Valid
		rep.DatasetResults = append(rep.DatasetResults, r)
	}
	for _, a := range cfg.Assets {
		r := v.assetResult(a)
		rep.AllValid = rep.AllValid && r.Valid
		rep.AssetResults = append(rep.AssetResults, r)
	}
	if cfg.Workflow != "" {
		r := v.workflowResult(cfg.Workflow)
		rep.AllValid = rep.AllValid && r.Valid
		rep.WorkflowResult = &r
	}
	rep.CrossSpecIssues = crossSpecIssues(cfg)
	rep.AllValid = rep.AllValid && len(rep.CrossSpecIssues) == 0
	return rep, nil
}

// validation holds what the batched look-ups found.
type validation struct {
	m        *ML
	model    *catalog.Model
	datasets map[string]catalog.Row      // canonical RID → Dataset row
	versions map[string][]string         // dataset RID → version labels, in catalog (RID) order
	assets   map[string]assetHit         // canonical RID → asset row
	workflow map[string]catalog.Row      // canonical RID → Workflow row
	where    map[string]catalog.TableRef // canonical RID → the table holding it
	asked    askedRIDs                   // the RIDs each table was asked about
}

// query reads the rows of table whose RID is one of rids, noting that the
// table was asked about them.
func (v *validation) query(ctx context.Context, table catalog.TableRef, cols []string, rids []string) ([]catalog.Row, error) {
	rows, err := queryAnyOf(ctx, v.m.store, catalog.Query{Table: table, Select: cols}, catalog.ColRID, rids)
	if err != nil {
		return nil, err
	}
	v.asked.add(table, rids)
	for _, r := range rows {
		v.where[r.RID()] = table
	}
	return rows, nil
}

type assetHit struct {
	table catalog.TableRef
	row   catalog.Row
}

func canonAll(rids []string) []string {
	var out []string
	for _, r := range uniq(rids) {
		if catalog.LooksLikeRID(normRID(r)) {
			out = append(out, normRID(r))
		}
	}
	return uniq(out)
}

// lookupDatasets reads the Dataset rows of the dataset specs, asking the
// Dataset table about every RID of the configuration at once (an asset
// that is a dataset is placed by the same request), then their versions.
func (v *validation) lookupDatasets(ctx context.Context, specs []DatasetSpec, all []string) error {
	v.datasets, v.versions = map[string]catalog.Row{}, map[string][]string{}
	var rids []string
	for _, s := range specs {
		rids = append(rids, s.RID)
	}
	rids = canonAll(rids)
	if len(rids) == 0 {
		return nil
	}
	rows, err := v.query(ctx, datasetRef, []string{catalog.ColRID, "Description", "Deleted"}, all)
	if err != nil {
		return fmt.Errorf("validate datasets: %w", err)
	}
	var present []string
	for _, r := range rows {
		v.datasets[r.RID()] = r
		if slices.Contains(rids, r.RID()) {
			present = append(present, r.RID())
		}
	}
	if len(present) == 0 {
		return nil
	}
	vrows, err := queryAnyOf(ctx, v.m.store, catalog.Query{Table: datasetVersionRef, Select: []string{catalog.ColRID, "Dataset", "Version"}},
		"Dataset", present)
	if err != nil {
		return fmt.Errorf("validate dataset versions: %w", err)
	}
	for _, r := range vrows {
		if label := r.String("Version"); label != "" {
			v.versions[r.String("Dataset")] = append(v.versions[r.String("Dataset")], label)
		}
	}
	return nil
}

func (v *validation) lookupAssets(ctx context.Context, assets []string) error {
	v.assets = map[string]assetHit{}
	rids := canonAll(assets)
	if len(rids) == 0 {
		return nil
	}
	for _, t := range v.model.SortedTables() {
		if !IsAsset(t) {
			continue
		}
		// A RID lives in one table: skip those already placed.
		var pending []string
		for _, r := range rids {
			if _, placed := v.where[r]; !placed {
				pending = append(pending, r)
			}
		}
		if len(pending) == 0 {
			break
		}
		rows, err := v.query(ctx, t.Ref(), []string{catalog.ColRID, "Filename"}, pending)
		if err != nil {
			return fmt.Errorf("validate assets in %s: %w", t.Name, err)
		}
		for _, r := range rows {
			v.assets[r.RID()] = assetHit{table: t.Ref(), row: r}
		}
	}
	return nil
}

// lookupWorkflow reads the workflow's row, asking the Workflow table
// about every RID of the configuration at once.
func (v *validation) lookupWorkflow(ctx context.Context, all []string) error {
	v.workflow = map[string]catalog.Row{}
	if len(all) == 0 {
		return nil
	}
	rows, err := v.query(ctx, workflowRef, []string{catalog.ColRID, "Name"}, all)
	if err != nil {
		return fmt.Errorf("validate workflow: %w", err)
	}
	for _, r := range rows {
		v.workflow[r.RID()] = r
	}
	return nil
}

// resolveMisses asks where each RID no query placed is — per distinct
// RID, never per spec, or per table for the RIDs not yet asked of it when
// that is fewer requests. Unknown and deleted RIDs stay unplaced.
func (v *validation) resolveMisses(ctx context.Context, rids []string) error {
	var misses []string
	for _, r := range rids {
		if _, placed := v.where[r]; !placed {
			misses = append(misses, r)
		}
	}
	found, err := v.m.locateRIDs(ctx, misses, v.asked)
	if err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	for rid, info := range found {
		if !info.Deleted() {
			v.where[rid] = info.Table
		}
	}
	return nil
}

func strp(s string) *string { return &s }

// notFound explains a RID missing from the table it should be in: the
// wrong-kind reason with the table it is in, or rid_not_found.
func (v *validation) notFound(rid, wrongKind string) (reason string, actualTable *string, actualSchema string) {
	if at, elsewhere := v.where[rid]; elsewhere {
		return wrongKind, strp(at.Table), at.Schema
	}
	return ReasonRIDNotFound, nil, ""
}

func (v *validation) datasetResult(s DatasetSpec) DatasetResult {
	if v, err := ParseVersion(s.Version); err == nil {
		s.Version = v.String() // echo the spec as DerivaML coerces it
	}
	r := DatasetResult{Spec: s, Reasons: []string{}, Warnings: []string{}}
	rid := normRID(s.RID)
	row, ok := v.datasets[rid]
	if !ok {
		var reason string
		reason, r.ActualTable, r.actualSchema = v.notFound(rid, ReasonNotADataset)
		r.Reasons = append(r.Reasons, reason)
		return r
	}
	if deleted, _ := row["Deleted"].(bool); deleted {
		r.Warnings = append(r.Warnings, WarningDatasetDeleted)
	}
	labels := v.versions[rid]
	history := sortVersionsPEP440(labels)
	r.history = history
	if len(history) > 0 {
		r.currentVersion = history[len(history)-1] // current_version: the PEP 440 maximum
	}
	want := s.Version
	if pv, err := ParseVersion(s.Version); err == nil {
		want = pv.String()
		r.devPinned = pv.IsDevRelease()
	}
	if slices.Contains(labels, want) {
		r.Valid = true
		r.ResolvedVersion = strp(want)
		if row["Description"] != nil {
			r.DatasetName = strp(row.String("Description"))
		}
		return r
	}
	r.Reasons = append(r.Reasons, ReasonVersionNotFound)
	available := sortVersionsNewestFirst(labels)
	r.AvailableVersions = available[:min(len(available), maxAvailableVersions)]
	if r.AvailableVersions == nil {
		r.AvailableVersions = []string{}
	}
	return r
}

func (v *validation) assetResult(spec AssetSpec) AssetResult {
	rid := spec.RID
	r := AssetResult{Spec: spec, Reasons: []string{}}
	hit, ok := v.assets[normRID(rid)]
	if !ok {
		var reason string
		reason, r.ActualTable, r.actualSchema = v.notFound(normRID(rid), ReasonNotAnAsset)
		r.Reasons = append(r.Reasons, reason)
		return r
	}
	r.Valid = true
	r.AssetTable = strp(hit.table.Table)
	if hit.row["Filename"] != nil {
		r.Filename = strp(hit.row.String("Filename"))
	}
	return r
}

func (v *validation) workflowResult(rid string) WorkflowResult {
	r := WorkflowResult{RID: rid, Reasons: []string{}}
	row, ok := v.workflow[normRID(rid)]
	if !ok {
		var reason string
		reason, r.ActualTable, r.actualSchema = v.notFound(normRID(rid), ReasonNotAWorkflow)
		r.Reasons = append(r.Reasons, reason)
		return r
	}
	r.Valid = true
	if row["Name"] != nil {
		r.WorkflowName = strp(row.String("Name"))
	}
	return r
}

// crossSpecIssues finds duplicate and conflicting specs, datasets grouped
// by RID (any spelling of it) in first-seen order, then assets.
func crossSpecIssues(cfg Config) []CrossSpecIssue {
	issues := []CrossSpecIssue{}
	var order []string
	byRID := map[string][]string{}
	shown := map[string]string{} // canonical RID → first spelling seen
	for _, s := range cfg.Datasets {
		key := normRID(s.RID)
		if _, seen := byRID[key]; !seen {
			order = append(order, key)
			shown[key] = s.RID
		}
		version := s.Version
		if v, err := ParseVersion(version); err == nil {
			version = v.String()
		}
		byRID[key] = append(byRID[key], version)
	}
	for _, key := range order {
		rid, versions := shown[key], byRID[key]
		distinct := uniq(versions)
		switch {
		case len(distinct) > 1:
			sort.Strings(distinct)
			issues = append(issues, CrossSpecIssue{Issue: IssueVersionConflict, RIDs: []string{rid},
				Detail: fmt.Sprintf("Dataset %s listed with conflicting versions: %s.", rid, pyList(distinct))})
		case len(versions) > 1:
			issues = append(issues, CrossSpecIssue{Issue: IssueDuplicateRID, RIDs: []string{rid},
				Detail: fmt.Sprintf("Dataset %s listed %d times with the same version %s.", rid, len(versions), pyRepr(versions[0]))})
		}
	}
	counts := map[string]int{}
	var aorder []string
	for _, a := range cfg.Assets {
		key := normRID(a.RID)
		if counts[key] == 0 {
			aorder = append(aorder, a.RID)
		}
		counts[key]++
	}
	for _, a := range aorder {
		if n := counts[normRID(a)]; n > 1 {
			issues = append(issues, CrossSpecIssue{Issue: IssueDuplicateRID, RIDs: []string{a},
				Detail: fmt.Sprintf("Asset %s listed %d times in the configuration.", a, n)})
		}
	}
	return issues
}
