package ermrest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDecodeModelObservedTable(t *testing.T) {
	t.Parallel()
	// A table document exactly as the real server returned it.
	data, err := os.ReadFile(filepath.Join("testdata", "model_GET_table_cell-imaging_Image.json"))
	if err != nil {
		t.Fatal(err)
	}
	doc := append(append([]byte(`{"snaptime":"362-74WJ-TSX6","schemas":{"cell-imaging":{"schema_name":"cell-imaging","tables":{"Image":`), data...), `}}}}`...)
	m, err := DecodeModel(doc)
	if err != nil {
		t.Fatal(err)
	}
	img := m.Schemas["cell-imaging"].Tables["Image"]
	if img == nil || img.SchemaName != "cell-imaging" || img.Column("RID") == nil {
		t.Fatalf("table %+v", img)
	}
	rid := img.Column("RID")
	if !rid.Type.IsDomain || rid.Type.Name != "ermrest_rid" || rid.Type.BaseName() != "text" {
		t.Errorf("RID type %+v", rid.Type)
	}
	if string(rid.Default) != `"_ermrest.urlb32_encode(nextval('_ermrest.rid_seq'::regclass))"` {
		t.Errorf("system column default kept as opaque JSON: %s", rid.Default)
	}
	tags := img.Column("Tags")
	if tags == nil || !tags.Type.IsArray || tags.Type.BaseName() != "text" {
		t.Errorf("Tags %+v", tags)
	}
}

func TestDecodeModelRejectsMalformed(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{``, `{`, `[]`, `{"snaptime":"x"}`, `{"schemas":{"s":null}}`,
		`{"schemas":{"s":{"tables":{"t":null}}}}`, `{"schemas":{"s":{"tables":{"t":{"column_definitions":7}}}}}`,
		`<html><body>502</body></html>`} {
		if _, err := DecodeModel([]byte(doc)); err == nil {
			t.Errorf("DecodeModel(%q) gave no error", doc)
		}
	}
	m, err := DecodeModel([]byte(`{"schemas":{"s":{"tables":{"t":{}}}}}`))
	if err != nil || m.Schemas["s"].Name != "s" || m.Schemas["s"].Tables["t"].Name != "t" {
		t.Errorf("names filled from keys: %+v %v", m, err)
	}
}

func FuzzDecodeModel(f *testing.F) {
	for _, s := range []string{`{"schemas":{}}`, `{"schemas":{"s":{"tables":{"t":{"column_definitions":[{"name":"c","type":{"typename":"text[]","is_array":true,"base_type":{"typename":"text"}}}],"keys":[{"names":[["s","k"]],"unique_columns":["c"]}]}}}}}`, `{`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeModel(data)
		if err != nil {
			return
		}
		for sn, s := range m.Schemas {
			for tn, tbl := range s.Tables {
				if tbl == nil || tbl.Name == "" && tn != "" || s.Name == "" && sn != "" {
					t.Fatalf("decoded model with holes: %q %q", sn, tn)
				}
				for _, c := range tbl.Columns {
					_ = c.Type.BaseName()
				}
			}
		}
	})
}
