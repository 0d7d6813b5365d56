package ermresttest

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jnode is a JSON value with its object keys in document order.
type jnode struct {
	keys   []string // an object's keys, in order
	fields map[string]*jnode
	items  []*jnode // an array's items
	scalar any
}

// parseOrdered reads a JSON document with json.Decoder tokens, keeping key
// order. A truncated document (the request log cuts long bodies) yields
// the part that was read, with truncated set.
func parseOrdered(t *testing.T, data []byte) (n *jnode, truncated bool) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	var cut bool
	var value func() *jnode
	value = func() *jnode {
		tok, err := dec.Token()
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("parse: %v", err)
			}
			cut = true
			return nil
		}
		switch tok {
		case json.Delim('{'):
			n := &jnode{fields: map[string]*jnode{}}
			for !cut && dec.More() {
				k, err := dec.Token()
				if err != nil {
					cut = true
					break
				}
				key := k.(string)
				n.keys = append(n.keys, key)
				n.fields[key] = value()
			}
			if !cut {
				_, _ = dec.Token() // '}'
			}
			return n
		case json.Delim('['):
			n := &jnode{items: []*jnode{}}
			for !cut && dec.More() {
				n.items = append(n.items, value())
			}
			if !cut {
				_, _ = dec.Token() // ']'
			}
			return n
		}
		return &jnode{scalar: tok}
	}
	n = value()
	return n, cut
}

func (n *jnode) get(path ...string) *jnode {
	for _, p := range path {
		if n == nil {
			return nil
		}
		n = n.fields[p]
	}
	return n
}

// byName indexes an array of objects by their "name" field.
func (n *jnode) byName() map[string]*jnode {
	out := map[string]*jnode{}
	for _, it := range n.items {
		if name := it.get("name"); name != nil {
			out[name.scalar.(string)] = it
		}
	}
	return out
}

// captureDoc parses a complete captured document.
func captureDoc(t *testing.T, name string) *jnode {
	t.Helper()
	n, cut := parseOrdered(t, []byte(capture(t, name)))
	require.False(t, cut, "%s is complete", name)
	return n
}

// The fake's model documents have the real server's keys in the real
// server's order (ERMrest renders Python dicts, not sorted maps), and the
// rights and FK ACLs it reports: the table, column, type, key and FK
// documents of the captured Stain and Image tables, and the /schema
// document and its schemas (from the request log, which cuts that body
// short, so only its leading keys are compared).
func TestModelDocumentsHaveTheCapturedKeyOrder(t *testing.T) {
	t.Parallel()
	s, _ := fixture(t, Options{})
	for _, table := range []string{"Stain", "Image"} {
		want := captureDoc(t, "model_GET_table_cell-imaging_"+table+".json")
		a := do(t, s, "GET", "/ermrest/catalog/1/schema/cell-imaging/table/"+table, "")
		require.Equal(t, 200, a.status, a.body)
		got, cut := parseOrdered(t, []byte(a.body))
		require.False(t, cut)

		assert.Equal(t, want.keys, got.keys, "%s table keys", table)
		assert.Equal(t, want.get("rights").keys, got.get("rights").keys, "%s table rights", table)
		wantCols, gotCols := want.get("column_definitions").byName(), got.get("column_definitions").byName()
		for name, gc := range gotCols {
			wc := wantCols[name]
			if wc == nil {
				t.Errorf("%s.%s is not in the capture", table, name)
				continue
			}
			assert.Equal(t, wc.keys, gc.keys, "%s.%s column keys", table, name)
			assert.Equal(t, wc.get("rights").keys, gc.get("rights").keys, "%s.%s rights keys", table, name)
			for _, r := range wc.get("rights").keys {
				assert.Equal(t, wc.get("rights", r).scalar, gc.get("rights", r).scalar, "%s.%s %s right", table, name, r)
			}
			assert.Equal(t, wc.get("type").keys, gc.get("type").keys, "%s.%s type keys", table, name)
		}
		assert.Len(t, gotCols, len(wantCols)-map[string]int{"Image": 1}[table], "columns (the capture's Image has an added Extra)")
		for i, k := range got.get("keys").items {
			assert.Equal(t, want.get("keys").items[0].keys, k.keys, "%s key %d", table, i)
		}
		wantFKs, gotFKs := want.get("foreign_keys").items, got.get("foreign_keys").items
		require.NotEmpty(t, gotFKs)
		for _, gf := range gotFKs {
			col := gf.get("foreign_key_columns").items[0].get("column_name").scalar
			var wf *jnode
			for _, f := range wantFKs {
				if f.get("foreign_key_columns").items[0].get("column_name").scalar == col {
					wf = f
				}
			}
			if wf == nil {
				t.Errorf("%s: FK on %v is not in the capture", table, col)
				continue
			}
			assert.Equal(t, wf.keys, gf.keys, "%s FK on %v keys", table, col)
			assert.Equal(t, wf.get("foreign_key_columns").items[0].keys, gf.get("foreign_key_columns").items[0].keys)
			for _, r := range []string{"insert", "update"} {
				assert.Equal(t, wf.get("rights", r).scalar, gf.get("rights", r).scalar, "%s FK on %v %s right", table, col, r)
				assert.Equal(t, []string{"*"}, []string{gf.get("acls", r).items[0].scalar.(string)}, "FK acls")
			}
			assert.Equal(t, wf.get("acls").keys, gf.get("acls").keys)
		}
	}

	want, cut := parseOrdered(t, []byte(capture(t, "model_GET_schema_truncated.json")))
	require.True(t, cut, "the logged /schema body is cut short")
	a := do(t, s, "GET", "/ermrest/catalog/1/schema", "")
	require.Equal(t, 200, a.status, a.body)
	got, cut := parseOrdered(t, []byte(a.body))
	require.False(t, cut)
	assert.Equal(t, want.keys, got.keys, "/schema keys") // complete: "schemas" is the last
	assert.Equal(t, want.get("rights").keys, got.get("rights").keys)
	wantSchema, gotSchema := want.get("schemas", "public"), got.get("schemas", "cell-imaging")
	require.NotNil(t, gotSchema)
	assert.Equal(t, wantSchema.keys, gotSchema.keys[:len(wantSchema.keys)], "schema keys, as far as logged")
	assert.Equal(t, want.get("schemas", "public", "tables", "ERMrest_Client").keys[:4],
		gotSchema.get("tables", "Stain").keys[:4], "a table inside /schema")
}
