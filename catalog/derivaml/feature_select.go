package derivaml

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// SelectorKind names a selector as deriva-ml-mcp's list_feature_values
// does ("none" is SelectorAll's "").
type SelectorKind string

// Selector kinds (FeatureRecord.select_* in DerivaML's feature.py).
const (
	SelectorAll          SelectorKind = ""              // every value, no grouping
	SelectorNewest       SelectorKind = "newest"        // latest RCT
	SelectorLatest       SelectorKind = "latest"        // alias of newest
	SelectorFirst        SelectorKind = "first"         // earliest RCT
	SelectorMajorityVote SelectorKind = "majority_vote" // most common value; ties to the newest
	SelectorByExecution  SelectorKind = "by_execution"  // newest from one execution; a group without one fails
	SelectorByWorkflow   SelectorKind = "by_workflow"   // newest from a workflow's executions; others dropped
)

// SelectorNames are the selector names ParseSelector accepts, in the
// order deriva-ml-mcp documents them.
var SelectorNames = []string{"none", "newest", "first", "latest", "majority_vote", "by_workflow", "by_execution"}

// Selector reduces a feature's values to one per target. Ties on RCT
// (values written together) go to the later RID, or the earlier for first.
type Selector struct {
	Kind SelectorKind
	// Column is majority_vote's column; "" picks the feature's only term
	// column.
	Column string
	// Execution is by_execution's execution RID.
	Execution string
	// Workflow is by_workflow's workflow: a Workflow RID, else a
	// Workflow_Type name (list_workflow_executions).
	Workflow string
}

// The parameterless selectors.
var (
	SelectAll    = Selector{}
	SelectNewest = Selector{Kind: SelectorNewest}
	SelectLatest = Selector{Kind: SelectorLatest}
	SelectFirst  = Selector{Kind: SelectorFirst}
)

// SelectMajorityVote picks each target's most common value of column
// ("" for the only term column), ties going to the newest value.
func SelectMajorityVote(column string) Selector {
	return Selector{Kind: SelectorMajorityVote, Column: column}
}

// SelectByExecution picks each target's newest value written by an
// execution; FeatureValues fails if a target has none from it.
func SelectByExecution(rid string) Selector {
	return Selector{Kind: SelectorByExecution, Execution: rid}
}

// SelectByWorkflow picks each target's newest value written by any
// execution of a workflow (a Workflow RID or Workflow_Type name); targets
// with none are left out.
func SelectByWorkflow(workflow string) Selector {
	return Selector{Kind: SelectorByWorkflow, Workflow: workflow}
}

// ParseSelector reads a selector name as deriva-ml-mcp takes it; the
// parameters of majority_vote, by_execution and by_workflow are set on the
// result by the caller.
func ParseSelector(name string) (Selector, error) {
	if name == "none" || name == "" {
		return SelectAll, nil
	}
	if !slices.Contains(SelectorNames, name) {
		return Selector{}, fmt.Errorf("unknown selector %q: use one of %s", name, strings.Join(SelectorNames, ", "))
	}
	return Selector{Kind: SelectorKind(name)}, nil
}

// selection is a selector made ready for one feature: the vote column
// resolved and the workflow's executions looked up.
type selection struct {
	Selector
	executions map[string]bool // by_workflow
}

// prepare checks a selector against a feature and resolves what it needs
// from the catalog, so a bad selector fails before any value is read.
func (m *ML) prepare(ctx context.Context, f Feature, sel Selector) (selection, error) {
	s := selection{Selector: sel}
	switch sel.Kind {
	case SelectorAll, SelectorNewest, SelectorLatest, SelectorFirst:
	case SelectorMajorityVote:
		col, err := voteColumn(f, sel.Column)
		if err != nil {
			return s, err
		}
		s.Column = col
	case SelectorByExecution:
		if sel.Execution == "" {
			return s, fmt.Errorf("selector by_execution needs an execution RID")
		}
		s.Execution = normRID(sel.Execution)
	case SelectorByWorkflow:
		if sel.Workflow == "" {
			return s, fmt.Errorf("selector by_workflow needs a workflow RID or Workflow_Type name")
		}
		rids, err := m.WorkflowExecutions(ctx, sel.Workflow)
		if err != nil {
			return s, err
		}
		s.executions = map[string]bool{}
		for _, r := range rids {
			s.executions[r] = true
		}
	default:
		return s, fmt.Errorf("unknown selector %q: use one of %s", sel.Kind, strings.Join(SelectorNames, ", "))
	}
	return s, nil
}

// voteColumn is the column majority_vote counts: the one named, or the
// feature's only term column.
func voteColumn(f Feature, column string) (string, error) {
	if column != "" {
		if f.Column(column) == nil {
			return "", fmt.Errorf("select_majority_vote: feature %s has no column %s (columns: %s)",
				f.Name, column, pyList(featureColumnNames(f)))
		}
		return column, nil
	}
	var terms []string
	for _, c := range f.Columns {
		if c.Kind == KindTerm {
			terms = append(terms, c.Name)
		}
	}
	switch len(terms) {
	case 0:
		return "", fmt.Errorf("select_majority_vote requires a column name — could not auto-detect from feature metadata.")
	case 1:
		return terms[0], nil
	}
	return "", fmt.Errorf("select_majority_vote requires a column name for features with multiple term columns. Available: %s",
		pyList(terms))
}

// WorkflowExecutions lists the RIDs of the executions that ran a workflow,
// oldest first, as list_workflow_executions does: workflow is tried as a
// Workflow RID, then as a Workflow_Type name. A workflow with no
// executions yet gives none; a name that resolves to neither fails with
// UnknownWorkflowError.
func (m *ML) WorkflowExecutions(ctx context.Context, workflow string) ([]string, error) {
	wfs, err := m.store.Query(ctx, catalog.Query{Table: workflowRef, Select: []string{catalog.ColRID},
		Where: catalog.Eq{Column: catalog.ColRID, Value: workflow}, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("look up workflow %s: %w", workflow, err)
	}
	var workflows []string
	if len(wfs) == 1 {
		workflows = []string{wfs[0].RID()}
	} else {
		typed, err := queryAll(ctx, m.store, catalog.Query{Table: workflowTypeRef,
			Where: catalog.Eq{Column: TableWorkflowType, Value: workflow}})
		if err != nil {
			return nil, err
		}
		for _, r := range typed {
			workflows = append(workflows, r.String("Workflow"))
		}
	}
	exes, err := queryAnyOf(ctx, m.store, catalog.Query{Table: executionRef, Select: []string{catalog.ColRID}},
		"Workflow", uniq(workflows))
	if err != nil {
		return nil, err
	}
	if len(wfs) == 0 && len(exes) == 0 {
		return nil, &UnknownWorkflowError{Workflow: workflow}
	}
	return rowRIDs(exes), nil
}

// applySelection groups rows by target (in target RID order) and keeps the
// value the selector picks for each.
func applySelection(rows []catalog.Row, targetCol string, s selection) ([]catalog.Row, error) {
	if s.Kind == SelectorAll {
		return rows, nil
	}
	groups := map[string][]catalog.Row{}
	for _, r := range rows {
		t := r.String(targetCol)
		groups[t] = append(groups[t], r)
	}
	targets := sortedKeys(groups)
	out := make([]catalog.Row, 0, len(targets))
	for _, t := range targets {
		r, err := s.pick(groups[t])
		if err != nil {
			return nil, err
		}
		if r != nil {
			out = append(out, r)
		}
	}
	return out, nil
}

// pick applies the selector to one target's values; nil drops the target.
func (s selection) pick(group []catalog.Row) (catalog.Row, error) {
	switch s.Kind {
	case SelectorFirst:
		return extreme(group, false)
	case SelectorMajorityVote:
		counts := map[string]int{}
		for _, r := range group {
			counts[voteKey(r[s.Column])]++
		}
		top := 0
		for _, n := range counts {
			top = max(top, n)
		}
		var winners []catalog.Row
		for _, r := range group {
			if counts[voteKey(r[s.Column])] == top {
				winners = append(winners, r)
			}
		}
		return extreme(winners, true)
	case SelectorByExecution, SelectorByWorkflow:
		var matched []catalog.Row
		for _, r := range group {
			e := r.String("Execution")
			if e == s.Execution || s.executions[e] {
				matched = append(matched, r)
			}
		}
		if len(matched) == 0 {
			if s.Kind == SelectorByExecution {
				return nil, &NoExecutionMatchError{Execution: s.Execution}
			}
			return nil, nil
		}
		return extreme(matched, true)
	}
	return extreme(group, true)
}

// voteKey makes any column value a map key; NULL is a value of its own.
func voteKey(v any) string {
	if v == nil {
		return "\x00null"
	}
	return fmt.Sprintf("%T\x00%v", v, v)
}

// extreme returns the newest (or oldest) row by RCT, ties by RID.
func extreme(rows []catalog.Row, newest bool) (catalog.Row, error) {
	best := rows[0]
	for _, r := range rows[1:] {
		c, err := compareValues(r, best)
		if err != nil {
			return nil, err
		}
		if (c > 0) == newest && c != 0 {
			best = r
		}
	}
	return best, nil
}

// compareValues orders two feature values by RCT, then RID.
func compareValues(a, b catalog.Row) (int, error) {
	c, err := compareRCT(a.String(catalog.ColRCT), b.String(catalog.ColRCT))
	if err != nil {
		return 0, fmt.Errorf("feature value %s or %s: %w", a.RID(), b.RID(), err)
	}
	if c != 0 {
		return c, nil
	}
	return compareRID(a.RID(), b.RID()), nil
}

// compareRCT orders two ERMrest timestamps. Two in the same layout (same
// length, separator and zone) compare as text, as DerivaML compares RCTs;
// others are parsed.
func compareRCT(a, b string) (int, error) {
	if len(a) == len(b) && len(a) > 16 && a[10] == b[10] && a[len(a)-6:] == b[len(b)-6:] {
		return strings.Compare(a, b), nil
	}
	ta, err := catalog.ParseTimestamp(a)
	if err != nil {
		return 0, err
	}
	tb, err := catalog.ParseTimestamp(b)
	if err != nil {
		return 0, err
	}
	return ta.Compare(tb), nil
}

// compareRID orders RIDs by the number they encode (text if not RIDs).
func compareRID(a, b string) int {
	x, errA := catalog.DecodeRID(a)
	y, errB := catalog.DecodeRID(b)
	if errA != nil || errB != nil {
		return strings.Compare(a, b)
	}
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}
