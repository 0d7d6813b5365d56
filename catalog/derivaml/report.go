package derivaml

import (
	"fmt"
	"slices"
	"strings"
)

// Errors lists the report's failures as deriva-ml-run's validator words
// them (core/validation.py), one message per problem.
func (r Report) Errors() []string {
	var out []string
	for _, d := range r.DatasetResults {
		for _, reason := range d.Reasons {
			switch reason {
			case ReasonRIDNotFound:
				out = append(out, fmt.Sprintf("Dataset RID '%s' does not exist in catalog", d.Spec.RID))
			case ReasonNotADataset:
				out = append(out, fmt.Sprintf("RID '%s' specified as dataset but found in table '%s.%s'",
					d.Spec.RID, d.actualSchema, deref(d.ActualTable)))
			case ReasonVersionNotFound:
				out = append(out, fmt.Sprintf("Dataset '%s' does not have version '%s'. Current version: %s. Available versions: %s",
					d.Spec.RID, d.Spec.Version, orNone(d.currentVersion), pyList(d.history)))
			}
		}
	}
	for _, a := range r.AssetResults {
		for _, reason := range a.Reasons {
			switch reason {
			case ReasonRIDNotFound:
				out = append(out, fmt.Sprintf("Asset RID '%s' does not exist in catalog", a.Spec.RID))
			case ReasonNotAnAsset:
				out = append(out, fmt.Sprintf("RID '%s' specified as asset but found in table '%s.%s', which is not an asset table",
					a.Spec.RID, a.actualSchema, deref(a.ActualTable)))
			}
		}
	}
	if w := r.WorkflowResult; w != nil {
		for _, reason := range w.Reasons {
			switch reason {
			case ReasonRIDNotFound:
				out = append(out, fmt.Sprintf("Workflow RID '%s' does not exist in catalog", w.RID))
			case ReasonNotAWorkflow:
				out = append(out, fmt.Sprintf("RID '%s' specified as workflow but found in table '%s.%s'",
					w.RID, w.actualSchema, deref(w.ActualTable)))
			}
		}
	}
	for _, i := range r.CrossSpecIssues {
		out = append(out, i.Detail)
	}
	return out
}

// Warnings lists non-fatal observations: deleted datasets, and datasets
// pinned to a dev version, which DerivaML accepts but which track the live
// catalog and so do not reproduce. (The dev warning is not a JSON warning
// code: DerivaML's report has none for it.)
func (r Report) Warnings() []string {
	var out []string
	for _, d := range r.DatasetResults {
		for _, w := range d.Warnings {
			if w == WarningDatasetDeleted {
				out = append(out, fmt.Sprintf("Dataset '%s' is marked deleted", d.Spec.RID))
			}
		}
		if d.Valid && d.devPinned {
			out = append(out, fmt.Sprintf("Dataset '%s' is pinned to dev version '%s': a dev version tracks the live catalog, "+
				"so runs that use it are not reproducible. Release the dataset and pin the released version.", d.Spec.RID, d.Spec.Version))
		}
	}
	return out
}

// Checked counts the RIDs the report covers.
func (r Report) Checked() int {
	n := len(r.DatasetResults) + len(r.AssetResults)
	if r.WorkflowResult != nil {
		n++
	}
	return n
}

// Text renders the report as deriva-ml-run prints its pre-flight result
// (ValidationResult.__repr__ in core/validation.py, plus a final newline as
// print adds): "OK Validation passed", with "  Validated N RID(s)" when
// some RID resolved, or "FAIL Validation failed with N error(s)"; then, each
// after an empty line, "Errors:" with "  - " lines and "Warnings:" with
// "  WARN " lines.
func (r Report) Text() string {
	var b strings.Builder
	errs := r.Errors()
	if len(errs) == 0 && r.AllValid {
		b.WriteString("OK Validation passed\n")
		if n := r.resolved(); n > 0 {
			fmt.Fprintf(&b, "  Validated %d RID(s)\n", n)
		}
	} else {
		fmt.Fprintf(&b, "FAIL Validation failed with %d error(s)\n", len(errs))
	}
	if len(errs) > 0 {
		b.WriteString("\nErrors:\n")
		for _, e := range errs {
			b.WriteString("  - " + e + "\n")
		}
	}
	if warns := r.Warnings(); len(warns) > 0 {
		b.WriteString("\nWarnings:\n")
		for _, w := range warns {
			b.WriteString("  WARN " + w + "\n")
		}
	}
	return b.String()
}

// resolved counts the distinct RIDs that resolved to a row, as the size of
// DerivaML's validated_rids (a dict keyed by RID).
func (r Report) resolved() int {
	seen := map[string]bool{}
	add := func(rid string, reasons []string) {
		if !slices.Contains(reasons, ReasonRIDNotFound) {
			seen[normRID(rid)] = true
		}
	}
	for _, d := range r.DatasetResults {
		add(d.Spec.RID, d.Reasons)
	}
	for _, a := range r.AssetResults {
		add(a.Spec.RID, a.Reasons)
	}
	if w := r.WorkflowResult; w != nil {
		add(w.RID, w.Reasons)
	}
	return len(seen)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func orNone(s string) string {
	if s == "" {
		return "None"
	}
	return s
}
