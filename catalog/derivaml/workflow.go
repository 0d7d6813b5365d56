package derivaml

import (
	"cmp"
	"context"
	"fmt"

	"github.com/cyclezero/cyclezero/catalog"
)

// Workflow is a row of deriva-ml:Workflow with its Workflow_Type terms.
type Workflow struct {
	RID         string
	Name        string
	Description string
	URL         string
	Checksum    string
	Version     string
	Types       []string
}

var (
	workflowRef     = catalog.TableRef{Schema: MLSchema, Table: TableWorkflow}
	workflowTypeRef = catalog.TableRef{Schema: MLSchema, Table: TableWorkflowWorkflowType}
)

// AddWorkflow registers a workflow, or returns the RID of an existing one
// for the same code. Workflows are deduplicated by checksum: as DerivaML's
// _add_workflow does, the key is the checksum, or the URL when there is no
// checksum, and a row whose Checksum or URL equals that key is reused —
// so the same URL with a different checksum (the file changed) is a new
// Workflow. A workflow with neither is always new. Every type must be a
// Workflow_Type term.
func (m *ML) AddWorkflow(ctx context.Context, w Workflow) (string, error) {
	vocab, err := m.vocabulary(ctx, MLSchema+":"+TableWorkflowType)
	if err != nil {
		return "", err
	}
	terms, err := m.lookupTerms(ctx, vocab, w.Types)
	if err != nil {
		return "", err
	}
	var names []any
	for _, t := range w.Types {
		term, ok := terms[t]
		if !ok {
			return "", &InvalidTermError{Vocabulary: TableWorkflowType, Term: t}
		}
		names = append(names, term.Name)
	}
	if key := cmp.Or(w.Checksum, w.URL); key != "" {
		match := catalog.Or{catalog.Eq{Column: "Checksum", Value: key}, catalog.Eq{Column: "URL", Value: key}}
		rows, err := m.store.Query(ctx, catalog.Query{Table: workflowRef, Where: match, Limit: 1,
			Sort: []catalog.SortKey{{Column: catalog.ColRID}}})
		if err != nil {
			return "", fmt.Errorf("look up workflow %s: %w", w.Name, err)
		}
		if len(rows) > 0 {
			return rows[0].RID(), nil
		}
	}
	rows, err := m.store.Insert(ctx, workflowRef, []catalog.Row{{
		"Name": w.Name, "Description": w.Description, "URL": nilIfEmpty(w.URL),
		"Checksum": nilIfEmpty(w.Checksum), "Version": nilIfEmpty(w.Version),
	}}, catalog.InsertOptions{})
	if err != nil {
		err = fmt.Errorf("add workflow %s: %w", w.Name, err)
		key := cmp.Or(w.Checksum, w.URL)
		if key == "" {
			return "", err // nothing identifies the row to read it back by
		}
		// None had the key before, so a row with it now is this one.
		ok, err := settle(ctx, err, "whether a workflow with checksum or URL "+key+" exists", func(ctx context.Context) (bool, error) {
			rows, err = m.rowsAt(ctx, workflowRef, catalog.Or{catalog.Eq{Column: "Checksum", Value: key}, catalog.Eq{Column: "URL", Value: key}})
			return len(rows) > 0, err
		})
		if !ok {
			return "", err
		}
	}
	rid := rows[0].RID()
	if len(names) > 0 {
		distinct := uniq(names)
		assoc := make([]catalog.Row, len(distinct))
		for i, n := range distinct {
			assoc[i] = catalog.Row{"Workflow": rid, TableWorkflowType: n}
		}
		if _, err := m.store.Insert(ctx, workflowTypeRef, assoc, catalog.InsertOptions{}); err != nil {
			err = fmt.Errorf("add workflow %s types: %w", w.Name, err)
			ok, err := settle(ctx, err, fmt.Sprintf("whether workflow %s has its types", rid), func(ctx context.Context) (bool, error) {
				got, err := m.rowsAt(ctx, workflowTypeRef, catalog.Eq{Column: "Workflow", Value: rid})
				return len(got) == len(distinct), err
			})
			if !ok {
				return "", rollBack(ctx, err, "the partly added workflow "+rid, func(ctx context.Context) error {
					return m.store.Delete(ctx, workflowRef, catalog.Eq{Column: catalog.ColRID, Value: rid})
				})
			}
		}
	}
	return rid, nil
}

// LookupWorkflow reads a Workflow row and its types.
func (m *ML) LookupWorkflow(ctx context.Context, rid string) (Workflow, error) {
	rid = normRID(rid)
	rows, err := m.store.Query(ctx, catalog.Query{Table: workflowRef, Where: catalog.Eq{Column: catalog.ColRID, Value: rid}, Limit: 1})
	if err != nil {
		return Workflow{}, fmt.Errorf("look up workflow %s: %w", rid, err)
	}
	if len(rows) == 0 {
		return Workflow{}, fmt.Errorf("Workflow %s not found: %w", rid, catalog.ErrNotFound)
	}
	r := rows[0]
	w := Workflow{RID: r.RID(), Name: r.String("Name"), Description: r.String("Description"), URL: r.String("URL"),
		Checksum: r.String("Checksum"), Version: r.String("Version")}
	types, err := queryAll(ctx, m.store, catalog.Query{Table: workflowTypeRef,
		Where: catalog.Eq{Column: "Workflow", Value: w.RID}})
	if err != nil {
		return Workflow{}, err
	}
	for _, t := range types {
		w.Types = append(w.Types, t.String(TableWorkflowType))
	}
	return w, nil
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
