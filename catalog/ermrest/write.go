package ermrest

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// Insert adds rows with POST C/entity/S:T?defaults=…, as deriva-py's
// datapath insert does: the system columns and opts.Defaults take server
// defaults (a missing key is NULL, not the default), onconflict=skip drops
// colliding rows. The answer (200, system columns repeated in every row) is
// returned normalized. Never retried: a failed insert may have happened.
func (c *Client) Insert(ctx context.Context, table catalog.TableRef, rows []catalog.Row, opts catalog.InsertOptions) ([]catalog.Row, error) {
	path := c.catalogPath("") + "/entity/" + tablePath(table)
	op := "POST " + path
	if err := checkTable(table); err != nil {
		return nil, invalid(op, "fix the insert", "%v", err)
	}
	if len(rows) == 0 {
		return []catalog.Row{}, nil
	}
	defaults := slices.Clone(catalog.SystemColumns)
	for _, d := range opts.Defaults {
		if d == "" {
			return nil, invalid(op, "fix the insert", "an empty column name among the defaults")
		}
		if !slices.Contains(defaults, d) {
			defaults = append(defaults, d)
		}
	}
	body, err := json.Marshal(rows)
	if err != nil {
		return nil, invalid(op, "fix the values to insert", "encode the rows as JSON: %v", err)
	}
	query := "defaults=" + joinEscaped(defaults)
	if opts.OnConflictSkip {
		query += "&onconflict=skip"
	}
	return c.tableRows(ctx, request{method: http.MethodPost, path: path, query: query, body: body}, table, "")
}

// Update overwrites u.Set columns of the rows correlated on u.Match with
// PUT C/attributegroup/S:T/m1,m2;s1,s2 (deriva-py's datapath update). ERMrest
// skips input rows that match nothing and leaves them out of its answer.
// When RMT is a match column (optimistic concurrency) the update is all or
// nothing: the rows are read and their RMT checked first, and the PUT is
// guarded by the ETag of that read (see guardedUpdate); a row someone else
// changed, or deleted, is reported as ErrPrecondition and nothing is written.
func (c *Client) Update(ctx context.Context, table catalog.TableRef, u catalog.UpdateSpec, rows []catalog.Row) ([]catalog.Row, error) {
	path := c.catalogPath("") + "/attributegroup/" + tablePath(table) + "/" + joinEscaped(u.Match) + ";" + joinEscaped(u.Set)
	op := "PUT " + path
	if err := checkUpdate(table, u, rows); err != nil {
		return nil, invalid(op, "fix the update", "%v", err)
	}
	if len(rows) == 0 {
		return []catalog.Row{}, nil
	}
	cols := append(slices.Clone(u.Match), u.Set...)
	body := make([]map[string]any, len(rows))
	for i, row := range rows {
		body[i] = make(map[string]any, len(cols))
		for _, col := range cols {
			body[i][col] = row[col]
		}
	}
	data, err := json.Marshal(body)
	if err != nil {
		return nil, invalid(op, "fix the values to update", "encode the rows as JSON: %v", err)
	}
	put := request{method: http.MethodPut, path: path, body: data}
	if slices.Contains(u.Match, catalog.ColRMT) {
		return c.guardedUpdate(ctx, table, u, rows, put)
	}
	return c.tableRows(ctx, put, table, "")
}

func checkUpdate(table catalog.TableRef, u catalog.UpdateSpec, rows []catalog.Row) error {
	if err := checkTable(table); err != nil {
		return err
	}
	if len(u.Match) == 0 || len(u.Set) == 0 {
		return errorf("an update needs match columns and columns to set, got match %q set %q", u.Match, u.Set)
	}
	seen := map[string]bool{}
	for _, col := range append(slices.Clone(u.Match), u.Set...) {
		if col == "" || seen[col] {
			return errorf("column %q is empty or named twice in match %q / set %q", col, u.Match, u.Set)
		}
		seen[col] = true
	}
	for i, row := range rows {
		var missing []string
		for col := range seen {
			if _, ok := row[col]; !ok {
				missing = append(missing, col)
			}
		}
		if len(missing) > 0 {
			slices.Sort(missing)
			return errorf("row %d has no value for %s", i+1, strings.Join(missing, ", "))
		}
	}
	return nil
}
