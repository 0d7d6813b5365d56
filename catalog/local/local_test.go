package local_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/local"
)

var (
	termRef = catalog.TableRef{Schema: "lab", Table: "Term"}
	itemRef = catalog.TableRef{Schema: "lab", Table: "Item"}
	me      = catalog.Identity{ID: "tester", DisplayName: "Tester"}
)

// labModel is a vocabulary-like Term table and an Item table referencing it.
func labModel() catalog.ModelChange {
	term := catalog.DefineTable(catalog.TableDef{Schema: "lab", Name: "Term",
		Columns: []catalog.ColumnDef{{Name: "Name", Type: catalog.TypeText}},
		Keys:    []catalog.KeyDef{{Columns: []string{"Name"}, Name: "Term_Name_key"}}})
	item := catalog.DefineTable(catalog.TableDef{Schema: "lab", Name: "Item",
		Columns: []catalog.ColumnDef{
			{Name: "Label", Type: catalog.TypeText},
			{Name: "Term", Type: catalog.TypeText, NullOK: true},
			{Name: "Colour", Type: catalog.TypeColorRGBHex, NullOK: true},
		},
		Keys: []catalog.KeyDef{{Columns: []string{"Label"}, Name: "Item_Label_key"}},
		ForeignKeys: []catalog.ForeignKeyDef{{Columns: []string{"Term"}, RefSchema: "lab", RefTable: "Term",
			RefColumns: []string{"Name"}, Name: "Item_Term_fkey", OnUpdate: "CASCADE"}}})
	return catalog.ModelChange{Schemas: []catalog.SchemaDef{{Name: "lab"}}, Tables: []*catalog.Table{term, item}}
}

func openLab(t *testing.T, path string, opts local.Options) *local.Store {
	t.Helper()
	s, err := local.Open(path, opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// closedLab makes a catalog at path with the lab model and these Term
// rows, and closes it.
func closedLab(t *testing.T, path string, terms ...catalog.Row) {
	t.Helper()
	s := openLab(t, path, local.Options{Client: me})
	require.NoError(t, s.Create(context.Background(), labModel()))
	mustInsert(t, s, termRef, terms...)
	require.NoError(t, s.Close())
}

func mustInsert(t *testing.T, s catalog.Store, ref catalog.TableRef, rows ...catalog.Row) []catalog.Row {
	t.Helper()
	out, err := s.Insert(context.Background(), ref, rows, catalog.InsertOptions{})
	require.NoError(t, err)
	return out
}

// clock is a settable fake time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

func TestReopenKeepsCatalog(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	s1, err := local.Open(path, local.Options{Client: me})
	require.NoError(t, err)
	require.NoError(t, s1.Create(ctx, labModel()))
	first := mustInsert(t, s1, termRef, catalog.Row{"Name": "alpha"})[0]
	snap, err := s1.Snapshot(ctx)
	require.NoError(t, err)
	require.NoError(t, s1.Close())

	s2 := openLab(t, path, local.Options{Client: me})
	again, err := s2.Snapshot(ctx)
	require.NoError(t, err)
	assert.Equal(t, snap, again, "the snapshot survives a reopen")
	m, err := s2.Model(ctx, "")
	require.NoError(t, err)
	assert.NotNil(t, m.Table(itemRef))
	rows, err := s2.Query(ctx, catalog.Query{Table: termRef, Limit: 10})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, first, rows[0])
	second := mustInsert(t, s2, termRef, catalog.Row{"Name": "beta"})[0]
	a, _ := catalog.DecodeRID(first.RID())
	b, _ := catalog.DecodeRID(second.RID())
	assert.Greater(t, b, a, "the RID sequence continues, never reusing a RID")
	clients, err := s2.Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: "public", Table: "ERMrest_Client"}, Limit: 10})
	require.NoError(t, err)
	require.Len(t, clients, 1, "the client row is upserted, not duplicated")
	assert.Equal(t, "tester", clients[0]["ID"])
	assert.Nil(t, clients[0]["RCB"], "the client registry's own RCB stays NULL, as on a server")
	assert.Equal(t, "Tester", clients[0]["Display_Name"])
}

func TestTwoStoresShareOneFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	wizard := openLab(t, path, local.Options{Client: catalog.Identity{ID: "wizard"}})
	trainer := openLab(t, path, local.Options{Client: catalog.Identity{ID: "trainer"}})
	require.NoError(t, wizard.Create(ctx, labModel()))
	mustInsert(t, trainer, termRef, catalog.Row{"Name": "t"}) // sees the other Store's new table

	const workers, batches, size = 4, 10, 5
	var wg sync.WaitGroup
	errs := make(chan error, workers*batches)
	for w := range workers {
		s := []*local.Store{wizard, trainer}[w%2]
		wg.Go(func() {
			for b := range batches {
				rows := make([]catalog.Row, size)
				for i := range rows {
					rows[i] = catalog.Row{"Label": fmt.Sprintf("w%d-b%d-r%d", w, b, i), "Term": "t"}
				}
				if _, err := s.Insert(ctx, itemRef, rows, catalog.InsertOptions{}); err != nil {
					errs <- err
				}
				if _, err := s.Query(ctx, catalog.Query{Table: itemRef, Limit: 5}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	var rows []catalog.Row
	require.NoError(t, catalog.QueryAll(ctx, wizard, catalog.Query{Table: itemRef}, 7, func(page []catalog.Row) error {
		rows = append(rows, page...)
		return nil
	}))
	require.Len(t, rows, workers*batches*size)
	rids, times := map[string]bool{}, map[string]int{}
	for _, r := range rows {
		assert.False(t, rids[r.RID()], "RID %s is unique", r.RID())
		rids[r.RID()] = true
		times[r.String("RCT")]++
	}
	assert.Len(t, times, workers*batches, "every insert committed at its own snapshot")
	for ts, n := range times {
		assert.Equal(t, size, n, "all rows of one insert share its time %s", ts)
	}
	gc, err := trainer.Count(ctx, catalog.GroupQuery{Table: itemRef, GroupBy: []string{"RCB"}})
	require.NoError(t, err)
	assert.Len(t, gc, 2, "both identities wrote and are registered clients")
}

func TestSnapshotClampsDown(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	s := openLab(t, filepath.Join(t.TempDir(), "c.db"), local.Options{Client: me, Now: clk.now})
	require.NoError(t, s.Create(ctx, labModel()))
	clk.set(time.Date(2026, 1, 1, 13, 0, 0, 0, time.UTC))
	mustInsert(t, s, termRef, catalog.Row{"Name": "one"})
	snap, err := s.Snapshot(ctx)
	require.NoError(t, err)
	assert.Equal(t, catalog.Snaptime(time.Date(2026, 1, 1, 13, 0, 0, 0, time.UTC)), snap, "snapshots follow the clock")
	clk.set(time.Date(2026, 1, 1, 14, 0, 0, 0, time.UTC))
	mustInsert(t, s, termRef, catalog.Row{"Name": "two"})

	between := catalog.Snaptime(time.Date(2026, 1, 1, 13, 30, 0, 0, time.UTC))
	rows, err := s.Query(ctx, catalog.Query{Table: termRef, Limit: 10, At: between})
	require.NoError(t, err)
	assert.Equal(t, []string{"one"}, names(rows), "a time between snapshots reads the earlier one")
	m, err := s.Model(ctx, between)
	require.NoError(t, err)
	assert.NotNil(t, m.Table(termRef))

	clk.set(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)) // a clock going backwards
	mustInsert(t, s, termRef, catalog.Row{"Name": "three"})
	last, err := s.Snapshot(ctx)
	require.NoError(t, err)
	lt, _ := catalog.SnaptimeTime(last)
	assert.Equal(t, time.Date(2026, 1, 1, 14, 0, 0, 1000, time.UTC), lt, "snapshots stay strictly increasing")

	early := catalog.Snaptime(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	_, err = s.Query(ctx, catalog.Query{Table: termRef, Limit: 1, At: early})
	require.ErrorIs(t, err, catalog.ErrConflict)
	assert.Contains(t, err.Error(), fmt.Sprintf("Requested catalog revision %q is prior to any known revision.", early))
	_, err = s.Query(ctx, catalog.Query{Table: termRef, Limit: 1, At: "not!a!snap"})
	require.ErrorIs(t, err, catalog.ErrBadRequest)
}

func names(rows []catalog.Row) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.String("Name"))
	}
	return out
}

func TestCascadeKeepsHistoryAndRefreshesRMT(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openLab(t, filepath.Join(t.TempDir(), "c.db"), local.Options{Client: me})
	require.NoError(t, s.Create(ctx, labModel()))
	term := mustInsert(t, s, termRef, catalog.Row{"Name": "old"})[0]
	item := mustInsert(t, s, itemRef, catalog.Row{"Label": "i1", "Term": "old"})[0]
	before, err := s.Snapshot(ctx)
	require.NoError(t, err)
	_, err = s.Update(ctx, termRef, catalog.UpdateSpec{Match: []string{"RID"}, Set: []string{"Name"}},
		[]catalog.Row{{"RID": term.RID(), "Name": "new"}})
	require.NoError(t, err)

	now, err := s.Query(ctx, catalog.Query{Table: itemRef, Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, "new", now[0]["Term"], "ON UPDATE CASCADE reached the item")
	assert.NotEqual(t, item["RMT"], now[0]["RMT"], "a cascaded change refreshes RMT, as maintain_row does")
	assert.Equal(t, item["RCT"], now[0]["RCT"])
	old, err := s.Query(ctx, catalog.Query{Table: itemRef, Limit: 1, At: before})
	require.NoError(t, err)
	assert.Equal(t, "old", old[0]["Term"], "history kept the item as it was")
}

func TestErrorDetailsFollowERMrest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openLab(t, filepath.Join(t.TempDir(), "c.db"), local.Options{Client: me})
	require.NoError(t, s.Create(ctx, labModel()))
	mustInsert(t, s, termRef, catalog.Row{"Name": "a"})
	mustInsert(t, s, itemRef, catalog.Row{"Label": "x", "Term": "a"})

	detail := func(err error) string {
		var ce *catalog.Error
		require.ErrorAs(t, err, &ce)
		assert.NotEmpty(t, ce.Fix, "every error says what to do")
		return ce.Detail
	}
	_, err := s.Insert(ctx, itemRef, []catalog.Row{{"Label": "y"}, {"Label": "x"}}, catalog.InsertOptions{})
	assert.Contains(t, detail(err), `duplicate key value violates unique constraint "Item_Label_key"`)
	assert.Contains(t, detail(err), `Key ("Label")=(x) already exists.`)
	_, err = s.Insert(ctx, itemRef, []catalog.Row{{"Label": "z", "Term": "nope"}}, catalog.InsertOptions{})
	assert.Contains(t, detail(err), `violates foreign key constraint "Item_Term_fkey"`)
	assert.Contains(t, detail(err), `Key (Term)=(nope) is not present in table "Term".`)
	_, err = s.Insert(ctx, itemRef, []catalog.Row{{"Term": "a"}}, catalog.InsertOptions{})
	assert.Contains(t, detail(err), `null value in column "Label"`)
	_, err = s.Query(ctx, catalog.Query{Table: catalog.TableRef{Schema: "lab", Table: "NoSuchTable"}, Limit: 1})
	assert.Equal(t, "Table NoSuchTable does not exist in schema lab.", detail(err))
	_, err = s.Query(ctx, catalog.Query{Table: itemRef, Where: catalog.Eq{Column: "NoCol", Value: 1}, Limit: 1})
	assert.Equal(t, "Requested column NoCol does not exist in table Item.", detail(err))
	err = s.Delete(ctx, termRef, nil)
	require.ErrorIs(t, err, catalog.ErrConflict)
	assert.Contains(t, detail(err), `violates foreign key constraint "Item_Term_fkey" on table "Item"`)
	_, err = s.Insert(ctx, itemRef, []catalog.Row{{"Label": "c", "Colour": "red"}}, catalog.InsertOptions{})
	require.ErrorIs(t, err, catalog.ErrConflict, "color_rgb_hex checks its format")
	_, err = s.Insert(ctx, itemRef, []catalog.Row{{"Label": "c", "Colour": "#A0b0C0"}}, catalog.InsertOptions{})
	require.NoError(t, err)
	_, err = s.Insert(ctx, itemRef, []catalog.Row{{"Label": "q", "Bogus": 1}}, catalog.InsertOptions{})
	require.ErrorIs(t, err, catalog.ErrConflict)
	assert.Equal(t, "Requested column Bogus does not exist in table Item.", detail(err))
	_, err = s.Update(ctx, itemRef, catalog.UpdateSpec{Match: []string{"Label"}, Set: []string{"RMT"}}, nil)
	require.ErrorIs(t, err, catalog.ErrForbidden, "system columns cannot be set")
}

func TestDeletedRIDReportsWhenAndLastSnapshot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 2, 3, 4, 5, 6, 123456000, time.UTC)}
	s := openLab(t, filepath.Join(t.TempDir(), "c.db"), local.Options{Client: me, Now: clk.now})
	require.NoError(t, s.Create(ctx, labModel()))
	clk.set(clk.now().Add(time.Minute))
	term := mustInsert(t, s, termRef, catalog.Row{"Name": "gone"})[0]
	clk.set(clk.now().Add(time.Minute))
	mustInsert(t, s, itemRef, catalog.Row{"Label": "other"}) // a later snapshot in another table
	visible, err := s.Snapshot(ctx)
	require.NoError(t, err)
	clk.set(clk.now().Add(time.Minute))
	require.NoError(t, s.Delete(ctx, termRef, catalog.Eq{Column: "Name", Value: "gone"}))

	info, err := s.ResolveRID(ctx, term.RID(), "")
	require.NoError(t, err)
	assert.Equal(t, "2026-02-03 04:08:06.123456+00:00", info.DeletedAt, "Python isoformat(' '), as ERMrest reports it")
	assert.Equal(t, visible, info.LastVisibleSnaptime, "the catalog's last snapshot before the delete")
	live, err := s.ResolveRID(ctx, term.RID(), visible)
	require.NoError(t, err)
	assert.False(t, live.Deleted(), "at its last visible snapshot the entity is live")
}

func TestOpenRefusesForeignSQLiteFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "other.db")
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	_, err = db.Exec(`CREATE TABLE notes (body TEXT)`)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	_, err = local.Open(path, local.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not a cyclezero local catalog")
	_, err = local.Open(filepath.Join(t.TempDir(), "a?b.db"), local.Options{})
	require.Error(t, err)
}

func TestDefaultIdentityIsOSUser(t *testing.T) {
	t.Parallel()
	s := openLab(t, filepath.Join(t.TempDir(), "c.db"), local.Options{})
	id, err := s.Whoami(context.Background())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(id.ID, "local:"), "got %q", id.ID)
	assert.Contains(t, s.Describe(), "c.db")
}

func TestTypesAreCanonicalized(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openLab(t, filepath.Join(t.TempDir(), "c.db"), local.Options{Client: me})
	tbl := catalog.DefineTable(catalog.TableDef{Schema: "public", Name: "Typed", Columns: []catalog.ColumnDef{
		{Name: "N", Type: catalog.Type{Name: "int"}, NullOK: true},
		{Name: "Doc", Type: catalog.Type{Name: "markdown"}, NullOK: true},
		{Name: "Times", Type: catalog.Type{Name: "timestamptz[]"}, NullOK: true},
		{Name: "Flags", Type: catalog.ArrayOf(catalog.TypeBoolean), NullOK: true},
		{Name: "Meta", Type: catalog.TypeJSONB, NullOK: true},
		{Name: "Text", Type: catalog.TypeJSON, NullOK: true},
		{Name: "F", Type: catalog.TypeFloat4, NullOK: true},
	}})
	require.NoError(t, s.Create(ctx, catalog.ModelChange{Tables: []*catalog.Table{tbl}}))
	m, err := s.Model(ctx, "")
	require.NoError(t, err)
	got := m.Table(catalog.TableRef{Schema: "public", Table: "Typed"})
	assert.Equal(t, catalog.TypeInt4, got.Column("N").Type)
	assert.Equal(t, catalog.TypeMarkdown, got.Column("Doc").Type)
	assert.Equal(t, catalog.ArrayOf(catalog.TypeTimestamptz), got.Column("Times").Type)
	assert.JSONEq(t, `"now()"`, string(got.Column("RMT").Default), "system defaults read as the server reports them")

	ref := got.Ref()
	row := mustInsert(t, s, ref, catalog.Row{"N": "7", "Times": []any{"2024-01-02T03:04:05Z"}, "Flags": []any{true, false},
		"Meta": map[string]any{"a": []any{1, "x", nil}, "b": map[string]any{}}, "Text": "just a string", "F": 2})[0]
	assert.Equal(t, "just a string", row["Text"], "a JSON string value")
	assert.Equal(t, 2.0, row["F"])
	assert.Equal(t, int64(7), row["N"])
	assert.Equal(t, []any{"2024-01-02T03:04:05+00:00"}, row["Times"], "array elements are normalized too")
	assert.Equal(t, []any{true, false}, row["Flags"])
	rows, err := s.Query(ctx, catalog.Query{Table: ref, Where: catalog.Eq{Column: "Flags", Value: false}, Limit: 5})
	require.NoError(t, err)
	assert.Len(t, rows, 1, "boolean array containment")

	snap, err := s.Snapshot(ctx)
	require.NoError(t, err)
	_, err = s.Update(ctx, ref, catalog.UpdateSpec{Match: []string{"RID"}, Set: []string{"N"}}, []catalog.Row{{"RID": row.RID(), "N": 8}})
	require.NoError(t, err)
	old, err := s.Query(ctx, catalog.Query{Table: ref, Where: catalog.Eq{Column: "Flags", Value: false}, Limit: 5, At: snap})
	require.NoError(t, err)
	require.Len(t, old, 1, "array filters work on history too")
	assert.Equal(t, row, old[0], "every kind of value reads back from history unchanged")
}

func TestNoOpWritesMakeNoSnapshot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openLab(t, filepath.Join(t.TempDir(), "c.db"), local.Options{Client: me})
	require.NoError(t, s.Create(ctx, labModel()))
	before, err := s.Snapshot(ctx)
	require.NoError(t, err)
	require.NoError(t, s.Delete(ctx, termRef, catalog.Eq{Column: "Name", Value: "none"}))
	_, err = s.Update(ctx, termRef, catalog.UpdateSpec{Match: []string{"Name"}, Set: []string{"RID"}}, nil)
	require.Error(t, err)
	out, err := s.Insert(ctx, termRef, nil, catalog.InsertOptions{})
	require.NoError(t, err)
	assert.Empty(t, out)
	after, err := s.Snapshot(ctx)
	require.NoError(t, err)
	assert.Equal(t, before, after)
}

func TestHistoricalPagingByRID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openLab(t, filepath.Join(t.TempDir(), "c.db"), local.Options{Client: me})
	require.NoError(t, s.Create(ctx, labModel()))
	var rows []catalog.Row
	for i := range 30 {
		rows = append(rows, catalog.Row{"Name": fmt.Sprintf("n%02d", i)})
	}
	mustInsert(t, s, termRef, rows...)
	snap, err := s.Snapshot(ctx)
	require.NoError(t, err)
	require.NoError(t, s.Delete(ctx, termRef, catalog.Regexp{Column: "Name", Pattern: "^n1"}))
	mustInsert(t, s, termRef, catalog.Row{"Name": "later"})
	var got []string
	require.NoError(t, catalog.QueryAll(ctx, s, catalog.Query{Table: termRef, Select: []string{"Name"}, At: snap}, 8,
		func(page []catalog.Row) error { got = append(got, names(page)...); return nil }))
	assert.Len(t, got, 30, "the snapshot still has every row, in pages")
	assert.NotContains(t, got, "later")
	live, err := s.Count(ctx, catalog.GroupQuery{Table: termRef})
	require.NoError(t, err)
	assert.Equal(t, int64(21), live[0].Count)
}

func TestDeleteCascadesKeepHistory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openLab(t, filepath.Join(t.TempDir(), "c.db"), local.Options{Client: me})
	parent := catalog.DefineTable(catalog.TableDef{Schema: "public", Name: "Parent",
		Columns: []catalog.ColumnDef{{Name: "Name", Type: catalog.TypeText}},
		Keys:    []catalog.KeyDef{{Columns: []string{"Name"}}}})
	child := catalog.DefineTable(catalog.TableDef{Schema: "public", Name: "Child",
		Columns: []catalog.ColumnDef{{Name: "Parent", Type: catalog.TypeText}},
		ForeignKeys: []catalog.ForeignKeyDef{{Columns: []string{"Parent"}, RefSchema: "public", RefTable: "Parent",
			RefColumns: []string{"Name"}, OnDelete: "CASCADE"}}})
	grand := catalog.DefineTable(catalog.TableDef{Schema: "public", Name: "Grandchild",
		Columns: []catalog.ColumnDef{{Name: "Child", Type: catalog.TypeText, NullOK: true}},
		ForeignKeys: []catalog.ForeignKeyDef{{Columns: []string{"Child"}, RefSchema: "public", RefTable: "Child",
			RefColumns: []string{"RID"}, OnDelete: "SET NULL"}}})
	require.NoError(t, s.Create(ctx, catalog.ModelChange{Tables: []*catalog.Table{parent, child, grand}}))
	mustInsert(t, s, parent.Ref(), catalog.Row{"Name": "p"})
	c := mustInsert(t, s, child.Ref(), catalog.Row{"Parent": "p"})[0]
	mustInsert(t, s, grand.Ref(), catalog.Row{"Child": c.RID()})
	before, err := s.Snapshot(ctx)
	require.NoError(t, err)
	require.NoError(t, s.Delete(ctx, parent.Ref(), nil))

	read := func(ref catalog.TableRef, at string) []catalog.Row {
		rows, err := s.Query(ctx, catalog.Query{Table: ref, Limit: 10, At: at})
		require.NoError(t, err)
		return rows
	}
	assert.Empty(t, read(child.Ref(), ""), "ON DELETE CASCADE removed the child")
	assert.Nil(t, read(grand.Ref(), "")[0]["Child"], "ON DELETE SET NULL cleared the grandchild")
	assert.Len(t, read(child.Ref(), before), 1, "the child is in history")
	assert.Equal(t, c.RID(), read(grand.Ref(), before)[0]["Child"], "the grandchild as it was")
	info, err := s.ResolveRID(ctx, c.RID(), "")
	require.NoError(t, err)
	assert.True(t, info.Deleted(), "a cascaded delete is a delete")
}
