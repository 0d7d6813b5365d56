package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

// model is a catalog model of the given "schema:table" names.
func model(refs ...string) *catalog.Model {
	m := &catalog.Model{Schemas: map[string]*catalog.Schema{}}
	for _, r := range refs {
		schema, table, _ := strings.Cut(r, ":")
		ref := catalog.TableRef{Schema: schema, Table: table}
		s := m.Schemas[ref.Schema]
		if s == nil {
			s = &catalog.Schema{Name: ref.Schema, Tables: map[string]*catalog.Table{}}
			m.Schemas[ref.Schema] = s
		}
		s.Tables[ref.Table] = &catalog.Table{SchemaName: ref.Schema, Name: ref.Table}
	}
	return m
}

func TestFindTable(t *testing.T) {
	t.Parallel()
	m := model("demo:Image", "demo:Subject", "deriva-ml:Dataset", "other:image", "other:Subject")
	const ls = "cyclezero catalog ls"
	for name, want := range map[string]string{
		"demo:Image": "demo:Image", "Image": "demo:Image", "image": "other:image", "Dataset": "deriva-ml:Dataset",
	} {
		tab, err := findTable(m, name, ls, "the catalog")
		require.NoError(t, err, name)
		assert.Equal(t, want, tab.Ref().String(), name)
	}
	for name, want := range map[string]string{
		// Names are case-sensitive: a different case is answered with the
		// spellings there are, every one when several match.
		"demo:image":   "no table demo:image in the catalog (names are case-sensitive); did you mean demo:Image?",
		"DEMO:IMAGE":   "did you mean demo:Image?",
		"IMAGE":        "no table IMAGE in the catalog (names are case-sensitive); did you mean one of demo:Image, other:image?",
		"dataset":      "did you mean deriva-ml:Dataset?",
		"Nope":         "no table Nope in the catalog; list them with: " + ls,
		"demo:Nope":    "no table demo:Nope in the catalog; list them with: " + ls,
		"Subject":      "table name Subject is in several schemas (demo:Subject, other:Subject): say which, as SCHEMA:TABLE",
		"demo.Subject": "a table is named with its schema as SCHEMA:TABLE: demo:Subject",
	} {
		_, err := findTable(m, name, ls, "the catalog")
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), want, name)
	}
}
