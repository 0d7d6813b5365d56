package storetest

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

func runErrors(t *testing.T, open func(t *testing.T) catalog.Store) {
	t.Run("UnknownTableOrSchemaOrColumn", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.images()
		noTable := catalog.TableRef{Schema: schema, Table: "NoSuchTable"}
		noSchema := catalog.TableRef{Schema: "nosuchschema", Table: "Image"}
		_, err := e.s.Query(e.ctx, catalog.Query{Table: noTable, Limit: 1})
		requireKind(t, err, catalog.ErrConflict, "query of an unknown table (data paths give 409)")
		_, err = e.s.Query(e.ctx, catalog.Query{Table: noSchema, Limit: 1})
		requireKind(t, err, catalog.ErrConflict, "query in an unknown schema")
		_, err = e.s.Insert(e.ctx, noTable, []catalog.Row{{"Name": "x"}}, catalog.InsertOptions{})
		requireKind(t, err, catalog.ErrConflict, "insert into an unknown table")
		_, err = e.s.Count(e.ctx, catalog.GroupQuery{Table: noTable})
		requireKind(t, err, catalog.ErrConflict, "count of an unknown table")
		err = e.s.Delete(e.ctx, noTable, nil)
		requireKind(t, err, catalog.ErrConflict, "delete from an unknown table")
		_, err = e.s.Query(e.ctx, catalog.Query{Table: imageRef, Where: catalog.Eq{Column: "NoCol", Value: 1}, Limit: 1})
		requireKind(t, err, catalog.ErrConflict, "filter on an unknown column")
		_, err = e.s.Query(e.ctx, catalog.Query{Table: imageRef, Select: []string{"NoCol"}, Limit: 1})
		requireKind(t, err, catalog.ErrConflict, "projection of an unknown column")
		_, err = e.s.Count(e.ctx, catalog.GroupQuery{Table: imageRef, GroupBy: []string{"NoCol"}})
		requireKind(t, err, catalog.ErrConflict, "group by an unknown column")
	})

	t.Run("IntegrityViolations", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		e.images()
		_, err := e.s.Insert(e.ctx, imageRef, []catalog.Row{{"Filename": "a.png"}}, catalog.InsertOptions{})
		requireKind(t, err, catalog.ErrConflict, "duplicate key")
		_, err = e.s.Insert(e.ctx, imageRef, []catalog.Row{{"Width": 3}}, catalog.InsertOptions{})
		requireKind(t, err, catalog.ErrConflict, "missing NOT NULL column")
		_, err = e.s.Insert(e.ctx, imageRef, []catalog.Row{{"Filename": "z.png", "Stain": "NOPE"}}, catalog.InsertOptions{})
		requireKind(t, err, catalog.ErrConflict, "foreign key to a missing term")
		_, err = e.s.Insert(e.ctx, stainRef, []catalog.Row{{"Name": "Hoechst", "Description": "blue"}}, catalog.InsertOptions{})
		requireKind(t, err, catalog.ErrConflict, "ID and URI are NOT NULL without ?defaults=")
		require.Equal(t, int64(6), count(t, e, imageRef, nil), "no failed insert wrote anything")
	})

	t.Run("NonPositiveLimit", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, open)
		for _, limit := range []int{0, -1} {
			_, err := e.s.Query(e.ctx, catalog.Query{Table: imageRef, Limit: limit})
			requireKind(t, err, catalog.ErrInvalidInput, "limit %d", limit)
		}
		err := catalog.QueryAll(e.ctx, e.s, catalog.Query{Table: imageRef}, 0, func([]catalog.Row) error { return nil })
		requireKind(t, err, catalog.ErrInvalidInput, "page size 0")
	})
}
