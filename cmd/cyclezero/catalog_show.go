package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// This file holds the commands that render the catalog's model for
// people: ls lists its tables, show one table's columns and keys.

// tableRow is one line of `catalog ls`.
type tableRow struct {
	Schema string `json:"schema"`
	Table  string `json:"table"`
	Kind   string `json:"kind"`
	// Rows is nil (JSON null) when the catalog refused to count them.
	Rows *int64 `json:"rows"`
}

func newCatalogLsCmd(std stdio, g *globalFlags, o *catalogOpts) *cobra.Command {
	return &cobra.Command{
		Use:   "ls",
		Short: "List schemas and tables with their kind and row count",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			store, model, err := o.openModel(ctx, g, std.err)
			if err != nil {
				return err
			}
			defer store.Close()
			rows, refused, err := countTables(ctx, store, model, o.command(g, "catalog", "ls"))
			if err != nil {
				return err
			}
			if refused != nil {
				shown := "?"
				if o.asJSON {
					shown = "null"
				}
				refused.print(std.err, shown)
			}
			if o.asJSON {
				return printJSON(std.out, rows)
			}
			var b strings.Builder
			tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "%s\n\nSCHEMA\tTABLE\tKIND\tROWS\n", store.Describe())
			for _, r := range rows {
				n := "?"
				if r.Rows != nil {
					n = strconv.FormatInt(*r.Rows, 10)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Schema, r.Table, r.Kind, n)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			_, err = fmt.Fprint(std.out, trimLines(b.String()))
			return err
		},
	}
}

// countTables lists model's tables with their row counts, all counted at
// one snapshot taken after the model was read, so a writer working at the
// same time (a training run) never makes one listing mix moments. A table whose
// rows the catalog will not let the caller read (ERMrest's table-level
// select ACLs are ordinary; 403, or 401 when anonymous) is still listed,
// its count nil and named in refused; any other failure fails the list.
// again is the command that lists them again, for when the model changed
// under it.
func countTables(ctx context.Context, store catalog.Store, model *catalog.Model, again string) ([]tableRow, *refusedCounts, error) {
	snap, err := store.Snapshot(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("read the snapshot to count rows at: %w", err)
	}
	tables := model.SortedTables()
	counts := make([]tableCount, len(tables))
	// One request per table, a few at once: a catalog of hundreds of
	// tables on a distant server would otherwise take a round trip each,
	// in turn. Every count is at the same snapshot, so the order they
	// are answered in does not matter.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(countConcurrency)
	for i, t := range tables {
		g.Go(func() error {
			c, err := store.Count(gctx, catalog.GroupQuery{Table: t.Ref(), At: snap})
			counts[i] = tableCount{groups: c, err: err}
			if err != nil && !countRefused(err) {
				return fmt.Errorf("count rows of %s: %w", t.Ref(), modelChanged(err, again))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	var rows []tableRow
	var refused *refusedCounts
	for i, t := range tables {
		ref := t.Ref()
		row := tableRow{Schema: ref.Schema, Table: ref.Table, Kind: string(derivaml.KindOf(t))}
		if c := counts[i]; c.err != nil {
			if refused == nil {
				refused = &refusedCounts{}
			}
			refused.add(ref, c.err)
		} else {
			var n int64
			if len(c.groups) > 0 {
				n = c.groups[0].Count
			}
			row.Rows = &n
		}
		rows = append(rows, row)
	}
	return rows, refused, nil
}

// countConcurrency is how many tables ls counts at once.
const countConcurrency = 6

// tableCount is one table's count answer.
type tableCount struct {
	groups []catalog.GroupCount
	err    error
}

// countRefused reports whether a count failed only because the caller may
// not read the table, which ls reports beside the table, not as a failure.
func countRefused(err error) bool {
	return errors.Is(err, catalog.ErrForbidden) || errors.Is(err, catalog.ErrUnauthenticated)
}

// modelChanged gives a count's "table does not exist" conflict (ERMrest's
// 409 for a data path naming an unknown table) the fix that fits ls: the
// table was in the model ls had just read, so it was dropped or renamed
// since; the client's own fix, to list the tables with ls, would send the
// user back to the command that failed.
func modelChanged(err error, again string) error {
	var ce *catalog.Error
	if !errors.As(err, &ce) || !errors.Is(ce, catalog.ErrConflict) ||
		!strings.Contains(ce.Detail, "does not exist") && !strings.Contains(ce.Detail, "not found in model") {
		return err
	}
	return refixedError{err: err, fix: "the catalog's model changed while it was being listed (a table was dropped or renamed); " +
		"run it again: " + again}
}

// refusedCounts are the tables whose rows the catalog refused to count.
type refusedCounts struct {
	tables []string
	// why is the refusal the note explains: the first 401 if any (logging
	// in is then the first thing to do), else the first 403.
	why error
}

func (r *refusedCounts) add(ref catalog.TableRef, err error) {
	r.tables = append(r.tables, ref.String())
	if r.why == nil || errors.Is(err, catalog.ErrUnauthenticated) && !errors.Is(r.why, catalog.ErrUnauthenticated) {
		r.why = err
	}
}

// print writes the one note that says which counts are missing (shown
// as shown) and why, with the catalog's fix on a line of its own as
// cyclezero's errors have it.
func (r *refusedCounts) print(w io.Writer, shown string) {
	why := r.why.Error()
	var ce *catalog.Error
	if errors.As(r.why, &ce) { // the request line (Op) means nothing to the reader here
		why = ce.Kind.Error()
		if ce.Detail != "" {
			why += ": " + ce.Detail
		}
	}
	fmt.Fprintf(w, "cyclezero: note: could not count the rows of %s (shown as %s): the catalog refused to read them (%s)\n",
		strings.Join(r.tables, ", "), shown, why)
	if hint := catalog.Hint(r.why); hint != "" {
		fmt.Fprintf(w, "  fix: %s\n", hint)
	}
}

// findTable resolves "Schema:Table" or a table name unique across schemas;
// ls is the command that lists the catalog's tables, for the hint, and in
// names the catalog for a table not found in it ("the catalog", or which
// session's when no flag chose it). A name that matches only when case is
// ignored is answered with the spelling meant ("did you mean
// demo:Image?"): ERMrest names are case-sensitive.
func findTable(m *catalog.Model, name, ls, in string) (*catalog.Table, error) {
	schema, table, qualified := strings.Cut(name, ":")
	if qualified {
		if tab := m.Table(catalog.TableRef{Schema: schema, Table: table}); tab != nil {
			return tab, nil
		}
		return nil, noTable(m, name, ls, in, schema, table)
	}
	var found []*catalog.Table
	for _, t := range m.SortedTables() {
		if t.Name == name {
			found = append(found, t)
		}
	}
	switch len(found) {
	case 0:
		if s, t, ok := strings.Cut(name, "."); ok && m.Table(catalog.TableRef{Schema: s, Table: t}) != nil {
			return nil, fmt.Errorf("no table %s in %s; a table is named with its schema as SCHEMA:TABLE: %s:%s", name, in, s, t)
		}
		return nil, noTable(m, name, ls, in, "", name)
	case 1:
		return found[0], nil
	}
	var names []string
	for _, t := range found {
		names = append(names, t.Ref().String())
	}
	return nil, fmt.Errorf("table name %s is in several schemas (%s): say which, as SCHEMA:TABLE", name, strings.Join(names, ", "))
}

// noTable is the error for a name findTable did not find in in: the tables
// it names when case is ignored (schema "" for any schema), else the
// command that lists them all.
func noTable(m *catalog.Model, name, ls, in, schema, table string) error {
	var near []string
	for _, t := range m.SortedTables() {
		if strings.EqualFold(t.Name, table) && (schema == "" || strings.EqualFold(t.SchemaName, schema)) {
			near = append(near, t.Ref().String())
		}
	}
	switch len(near) {
	case 0:
		return fmt.Errorf("no table %s in %s; list them with: %s", name, in, ls)
	case 1:
		return fmt.Errorf("no table %s in %s (names are case-sensitive); did you mean %s?", name, in, near[0])
	}
	return fmt.Errorf("no table %s in %s (names are case-sensitive); did you mean one of %s?", name, in, strings.Join(near, ", "))
}

func newCatalogShowCmd(std stdio, g *globalFlags, o *catalogOpts) *cobra.Command {
	return &cobra.Command{
		Use:   "show TABLE",
		Short: "Show a table's columns, keys and foreign keys, and what kind of DerivaML table it is",
		Args:  exactArgs(1, "the table"),
		// Offline only: names from an embedded catalog, none from a server.
		ValidArgsFunction: o.completeTable(g),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			store, model, err := o.openModel(ctx, g, std.err)
			if err != nil {
				return err
			}
			defer store.Close()
			t, err := findTable(model, args[0], o.command(g, "catalog", "ls"), o.chosen.in())
			if err != nil {
				return usageError{o.elsewhere(ctx, g, args[0], err)}
			}
			kind := derivaml.KindOf(t)
			if o.asJSON {
				return printJSON(std.out, showJSON{DerivaMLKind: kind, Table: t})
			}
			return writeTable(std.out, t, kind, g.isAccessible())
		},
	}
}

// writeTable prints t for people: its columns, keys and foreign keys. In
// accessible mode a foreign key says "references" where the arrow would
// be, which a screen reader reads as "right arrow", or not at all.
func writeTable(w io.Writer, t *catalog.Table, kind derivaml.TableKind, accessible bool) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s)\n", t.Ref(), kind)
	if t.Comment != nil && *t.Comment != "" {
		fmt.Fprintf(&b, "%s\n", *t.Comment)
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\nCOLUMN\tTYPE\tNULL\tDEFAULT")
	for _, c := range t.Columns {
		null := "not null"
		if c.NullOK {
			null = "null ok"
		}
		def := ""
		if len(c.Default) > 0 && string(c.Default) != "null" {
			def = string(c.Default)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Name, c.Type.Name, null, def)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("\nKeys:\n")
	for _, k := range t.Keys {
		fmt.Fprintf(&b, "  (%s)%s\n", strings.Join(k.UniqueColumns, ", "), constraintName(k.Names))
	}
	b.WriteString("\nForeign keys:\n")
	if len(t.ForeignKeys) == 0 {
		b.WriteString("  none\n")
	}
	refers := "→"
	if accessible {
		refers = "references"
	}
	for _, fk := range t.ForeignKeys {
		var from, to []string
		for i := range fk.Columns {
			from = append(from, fk.Columns[i].Column)
			to = append(to, fk.Referenced[i].Column)
		}
		ref := fk.Referenced[0]
		fmt.Fprintf(&b, "  (%s) %s %s:%s(%s)%s\n", strings.Join(from, ", "), refers, ref.Schema, ref.Table, strings.Join(to, ", "), constraintName(fk.Names))
	}
	_, err := io.WriteString(w, trimLines(b.String()))
	return err
}

func constraintName(names [][2]string) string {
	if len(names) == 0 {
		return ""
	}
	return "  " + names[0][1]
}
