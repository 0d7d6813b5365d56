package derivaml

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/cyclezero/cyclezero/catalog"
)

// ClassCountOptions narrow FeatureClassCounts.
type ClassCountOptions struct {
	// Column is the term column counted; "" picks the feature's only one.
	Column string
	// Dataset restricts the count to the dataset's members of the target
	// table (direct members, not those of nested datasets); "" counts
	// every target.
	Dataset string
	// Version is the dataset version counted: a released version reads
	// members and values at its snapshot, "" or a dev version live.
	Version string
}

// TermCount is how many targets have a term as their newest value.
type TermCount struct {
	Term  string // "" for values whose (optional) term column is NULL
	Count int64
}

// ClassCounts is a feature's class balance over its targets.
type ClassCounts struct {
	Column string // the term column counted
	// Terms has every term of the column's vocabulary, most common first
	// (ties by name), unused ones with 0, then "" if some values are NULL.
	Terms      []TermCount
	Labelled   int64 // targets with at least one value
	Unlabelled int64 // targets (dataset members) with none
}

// Count returns the count of a term (0 when it is not in the result).
func (c ClassCounts) Count(term string) int64 {
	for _, t := range c.Terms {
		if t.Term == term {
			return t.Count
		}
	}
	return 0
}

// memberFilterLimit is the most members sent as a filter when values must
// be read row by row; a larger dataset is filtered in memory instead.
var memberFilterLimit = 5000

// FeatureClassCounts counts, for each term of a feature's term column, the
// targets whose newest value (select_newest) has that term, optionally
// only over a dataset's members as of a version. When every value comes
// from one execution — the common ground-truth case — each target has one
// value and the catalog counts them in one grouped query; otherwise the
// target, term and RCT of every value are read and reduced here.
func (m *ML) FeatureClassCounts(ctx context.Context, target, feature string, opts ClassCountOptions) (ClassCounts, error) {
	opts.Dataset = normRID(opts.Dataset)
	f, err := m.LookupFeature(ctx, target, feature)
	if err != nil {
		return ClassCounts{}, err
	}
	col, err := termColumn(f, opts.Column)
	if err != nil {
		return ClassCounts{}, err
	}
	snap, model := "", (*catalog.Model)(nil)
	var members []string
	if opts.Dataset != "" {
		if snap, model, err = m.versionView(ctx, opts.Dataset, opts.Version); err != nil {
			return ClassCounts{}, err
		}
		if members, err = m.targetMembers(ctx, model, f, opts.Dataset, snap); err != nil {
			return ClassCounts{}, err
		}
	} else if model, err = m.Model(ctx); err != nil {
		return ClassCounts{}, err
	}
	out := ClassCounts{Column: col}
	counts := map[string]int64{}
	if model.Table(f.Table) != nil && (opts.Dataset == "" || len(members) > 0) {
		if counts, out.Labelled, err = m.countNewest(ctx, f, col, snap, opts.Dataset != "", members); err != nil {
			return ClassCounts{}, fmt.Errorf("count %s values of %s: %w", f.Name, f.Target.Table, err)
		}
	}
	total := int64(len(members))
	if opts.Dataset == "" {
		n, err := m.store.Count(ctx, catalog.GroupQuery{Table: f.Target, At: snap})
		if err != nil {
			return ClassCounts{}, fmt.Errorf("count %s rows: %w", f.Target.Table, err)
		}
		total = n[0].Count
	}
	out.Unlabelled = max(0, total-out.Labelled)
	vocab := f.Column(col).References
	if model.Table(vocab) != nil {
		terms, err := queryAll(ctx, m.store, catalog.Query{Table: vocab, Select: []string{catalog.ColRID, "Name"}, At: snap})
		if err != nil {
			return ClassCounts{}, fmt.Errorf("read the terms of %s: %w", vocab.Table, err)
		}
		for _, t := range terms {
			counts[t.String("Name")] += 0
		}
	}
	out.Terms = sortedTermCounts(counts)
	return out, nil
}

// termColumn is the term column to count: the one named, or the only one.
func termColumn(f Feature, column string) (string, error) {
	if column == "" {
		return voteColumn(f, "")
	}
	c := f.Column(column)
	if c == nil || c.Kind != KindTerm {
		return "", fmt.Errorf("feature %s has no term column %s (term columns: %s)", f.Name, column, pyList(termColumns(f)))
	}
	return column, nil
}

func termColumns(f Feature) []string {
	var out []string
	for _, c := range f.Columns {
		if c.Kind == KindTerm {
			out = append(out, c.Name)
		}
	}
	return out
}

// targetMembers reads a dataset's members of the feature's target table.
func (m *ML) targetMembers(ctx context.Context, model *catalog.Model, f Feature, dataset, snap string) ([]string, error) {
	if et, ok := elementTypeFor(model, f.Target); ok {
		rids, err := m.memberRIDs(ctx, dataset, et, snap, 0)
		return uniq(rids), err
	}
	return nil, fmt.Errorf("count %s values in dataset %s: %s is not a dataset element type, so the dataset has no %s members",
		f.Name, dataset, f.Target.Table, f.Target.Table)
}

// countNewest counts the newest value's term per target.
func (m *ML) countNewest(ctx context.Context, f Feature, col, snap string, restricted bool, members []string) (map[string]int64, int64, error) {
	var memberFilter catalog.Filter
	var keep map[string]bool
	switch {
	case restricted && len(members) <= memberFilterLimit:
		memberFilter = anyOf(f.TargetColumn(), members)
	case restricted:
		keep = make(map[string]bool, len(members))
		for _, r := range members {
			keep[r] = true
		}
	}
	execs, err := m.store.Count(ctx, catalog.GroupQuery{Table: f.Table, GroupBy: []string{"Execution"}, At: snap})
	if err != nil {
		return nil, 0, err
	}
	unique, err := m.uniqueTargets(ctx, f, snap, len(execs))
	if err != nil {
		return nil, 0, err
	}
	if unique {
		return m.countGrouped(ctx, f, col, snap, memberFilter, keep)
	}
	// A few workers read RID ranges of the table; the newest value per
	// target is then merged across them.
	ranges, err := m.ridRanges(ctx, f.Table, snap, maxScanWorkers)
	if err != nil {
		return nil, 0, err
	}
	bests := make([]map[string]newestValue, len(ranges))
	g, gctx := errgroup.WithContext(ctx)
	for i, part := range ranges {
		g.Go(func() error {
			where := part
			if memberFilter != nil {
				where = append(slices.Clone(part), memberFilter)
			}
			q := catalog.Query{Table: f.Table, Select: []string{catalog.ColRID, f.TargetColumn(), col, catalog.ColRCT},
				Where: where, At: snap}
			best := map[string]newestValue{}
			bests[i] = best
			return catalog.QueryAll(gctx, m.store, q, 10_000, func(rows []catalog.Row) error {
				for _, r := range rows {
					t := r.String(f.TargetColumn())
					if keep != nil && !keep[t] {
						continue
					}
					if err := keepNewest(best, t, newestValue{rid: r.RID(), rct: r.String(catalog.ColRCT), term: r.String(col)}); err != nil {
						return err
					}
				}
				return nil
			})
		})
	}
	if err := g.Wait(); err != nil {
		return nil, 0, err
	}
	best := bests[0]
	for _, other := range bests[1:] {
		for t, v := range other {
			if err := keepNewest(best, t, v); err != nil {
				return nil, 0, err
			}
		}
	}
	counts := map[string]int64{}
	for _, v := range best {
		counts[v.term]++
	}
	return counts, int64(len(best)), nil
}

// maxScanWorkers bounds the concurrent reads of a feature table, and
// minRangeWidth keeps small tables to one read.
var (
	maxScanWorkers       = 4
	minRangeWidth  int64 = 10_000
)

// newestValue is the newest value seen for a target.
type newestValue struct{ rid, rct, term string }

// keepNewest records v for target t unless a newer value is recorded.
func keepNewest(best map[string]newestValue, t string, v newestValue) error {
	cur, seen := best[t]
	if !seen {
		best[t] = v
		return nil
	}
	c, err := compareRCT(v.rct, cur.rct)
	if err != nil {
		return fmt.Errorf("feature value %s: %w", v.rid, err)
	}
	if c > 0 || c == 0 && compareRID(v.rid, cur.rid) > 0 {
		best[t] = v
	}
	return nil
}

// countGrouped counts values per term in one grouped query (every target
// has at most one value).
func (m *ML) countGrouped(ctx context.Context, f Feature, col, snap string, where catalog.Filter, keep map[string]bool) (map[string]int64, int64, error) {
	counts := map[string]int64{}
	var labelled int64
	if keep != nil {
		// Too many members for a filter: group by target too and keep
		// the members' groups.
		groups, err := m.store.Count(ctx, catalog.GroupQuery{Table: f.Table, GroupBy: []string{f.TargetColumn(), col}, At: snap})
		if err != nil {
			return nil, 0, err
		}
		for _, gc := range groups {
			if t, _ := gc.Values[f.TargetColumn()].(string); keep[t] {
				term, _ := gc.Values[col].(string)
				counts[term] += gc.Count
				labelled += gc.Count
			}
		}
		return counts, labelled, nil
	}
	groups, err := m.store.Count(ctx, catalog.GroupQuery{Table: f.Table, GroupBy: []string{col}, Where: where, At: snap})
	if err != nil {
		return nil, 0, err
	}
	for _, gc := range groups {
		term, _ := gc.Values[col].(string)
		counts[term] += gc.Count
		labelled += gc.Count
	}
	return counts, labelled, nil
}

// ridRanges splits a table into at most n RID ranges of about equal
// numeric width, as filters. The first range has no lower bound and the
// last no upper one, so the ranges cover every row exactly once whatever
// order the catalog gives RIDs.
func (m *ML) ridRanges(ctx context.Context, table catalog.TableRef, snap string, n int) ([]catalog.And, error) {
	var ends [2]int64
	for i, desc := range []bool{false, true} {
		rows, err := m.store.Query(ctx, catalog.Query{Table: table, Select: []string{catalog.ColRID}, At: snap, Limit: 1,
			Sort: []catalog.SortKey{{Column: catalog.ColRID, Desc: desc}}})
		if err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			return []catalog.And{{}}, nil
		}
		if ends[i], err = catalog.DecodeRID(rows[0].RID()); err != nil {
			return []catalog.And{{}}, nil
		}
	}
	lo, hi := min(ends[0], ends[1]), max(ends[0], ends[1])
	n = int(min(int64(n), max(1, (hi-lo)/minRangeWidth)))
	out := make([]catalog.And, n)
	for i := range out {
		if i > 0 {
			out[i] = append(out[i], catalog.Cmp{Column: catalog.ColRID, Op: catalog.Geq, Value: catalog.EncodeRID(lo + (hi-lo)*int64(i)/int64(n))})
		}
		if i < n-1 {
			out[i] = append(out[i], catalog.Cmp{Column: catalog.ColRID, Op: catalog.Lt, Value: catalog.EncodeRID(lo + (hi-lo)*int64(i+1)/int64(n))})
		}
	}
	return out, nil
}

// uniqueTargets reports whether the feature table holds at most one value
// per target: it has a key of the target column plus some of Execution
// and Feature_Name (DerivaML's association key), and every row shares the
// values of those other key columns (one group each, counted column by
// column so each count can use its column's index).
func (m *ML) uniqueTargets(ctx context.Context, f Feature, snap string, executions int) (bool, error) {
	model, err := m.Model(ctx)
	if err != nil {
		return false, err
	}
	t := model.Table(f.Table)
	if t == nil {
		return false, nil
	}
	allowed := []string{f.TargetColumn(), "Execution", "Feature_Name"}
	for _, k := range t.Keys {
		if !slices.Contains(k.UniqueColumns, f.TargetColumn()) ||
			slices.ContainsFunc(k.UniqueColumns, func(c string) bool { return !slices.Contains(allowed, c) }) {
			continue
		}
		for _, c := range k.UniqueColumns {
			switch c {
			case f.TargetColumn():
			case "Execution":
				if executions > 1 {
					return false, nil
				}
			default:
				groups, err := m.store.Count(ctx, catalog.GroupQuery{Table: f.Table, GroupBy: []string{c}, At: snap})
				if err != nil || len(groups) > 1 {
					return false, err
				}
			}
		}
		return true, nil
	}
	return false, nil
}

func sortedTermCounts(counts map[string]int64) []TermCount {
	out := make([]TermCount, 0, len(counts))
	for term, n := range counts {
		out = append(out, TermCount{Term: term, Count: n})
	}
	slices.SortFunc(out, func(a, b TermCount) int {
		switch {
		case (a.Term == "") != (b.Term == ""):
			if a.Term == "" {
				return 1
			}
			return -1
		case a.Count != b.Count:
			if a.Count > b.Count {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Term, b.Term)
	})
	return out
}
