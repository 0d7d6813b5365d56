package derivaml_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

// newML returns a DerivaML view of a fresh local catalog with the deriva-ml
// schema created and the domain schema "demo".
func newML(t testing.TB) *derivaml.ML {
	t.Helper()
	ml := derivaml.New(localtest.Open(t, local.Options{}), "demo")
	require.NoError(t, ml.CreateMLSchema(context.Background()))
	require.NoError(t, ml.CreateDomainSchema(context.Background(), "test domain"))
	return ml
}

// describe renders a table's structure as sorted-in-place lines: columns in
// order, then keys and foreign keys, for exact comparison.
func describe(t *catalog.Table) []string {
	var out []string
	for _, c := range t.Columns {
		if catalog.IsSystemColumn(c.Name) {
			continue
		}
		null := "NOT NULL"
		if c.NullOK {
			null = "null"
		}
		def := ""
		if d := string(c.Default); d != "" && d != "null" {
			def = " default " + d
		}
		out = append(out, fmt.Sprintf("col %s %s %s%s", c.Name, c.Type.Name, null, def))
	}
	for _, k := range t.Keys {
		out = append(out, fmt.Sprintf("key %s (%s)", k.Names[0][1], strings.Join(k.UniqueColumns, ",")))
	}
	for _, fk := range t.ForeignKeys {
		var from, to []string
		for i := range fk.Columns {
			from = append(from, fk.Columns[i].Column)
			to = append(to, fk.Referenced[i].Column)
		}
		ref := fk.Referenced[0]
		out = append(out, fmt.Sprintf("fk %s (%s) -> %s:%s(%s) %s/%s", fk.Names[0][1], strings.Join(from, ","),
			ref.Schema, ref.Table, strings.Join(to, ","), fk.OnUpdate, fk.OnDelete))
	}
	return out
}

// assetSpecs names assets by RID, as a configuration's bare RID strings do.
func assetSpecs(rids ...string) []derivaml.AssetSpec {
	out := make([]derivaml.AssetSpec, len(rids))
	for i, r := range rids {
		out[i] = derivaml.AssetSpec{RID: r}
	}
	return out
}

func mustTable(t testing.TB, m *catalog.Model, schema, table string) *catalog.Table {
	t.Helper()
	tab := m.Table(catalog.TableRef{Schema: schema, Table: table})
	require.NotNil(t, tab, "table %s:%s", schema, table)
	return tab
}
