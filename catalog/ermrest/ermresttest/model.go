package ermresttest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// maxIdent is PostgreSQL's identifier limit, which ERMrest enforces.
const maxIdent = 63

func (s *Server) serveModel(c *call) {
	switch c.r.Method {
	case http.MethodGet:
		s.getModel(c)
	case http.MethodPost:
		s.postModel(c)
	default:
		writeError(c.w, http.StatusBadRequest, unsupported{c.r.Method + " on model resources"}.Error())
	}
}

func (s *Server) getModel(c *call) {
	m, err := s.engine.Model(ctx(c.r), c.rt.snap)
	if err != nil {
		c.fail(err)
		return
	}
	var doc any
	switch {
	case c.rt.schema == "":
		if m.Snaptime == "" {
			if m.Snaptime, err = s.engine.Snapshot(ctx(c.r)); err != nil {
				c.fail(err)
				return
			}
		}
		doc = modelDoc(m)
	case m.Schemas[c.rt.schema] == nil:
		writeError(c.w, http.StatusNotFound, "schema "+c.rt.schema)
		return
	case c.rt.tableList && c.rt.table == "":
		writeError(c.w, http.StatusBadRequest, unsupported{"listing a schema's tables"}.Error())
		return
	case c.rt.table == "":
		doc = schemaDoc(m.Schemas[c.rt.schema])
	default:
		t := m.Schemas[c.rt.schema].Tables[c.rt.table]
		if t == nil {
			writeError(c.w, http.StatusNotFound, "table "+c.rt.table+" in schema "+c.rt.schema)
			return
		}
		doc = tableDoc(t)
	}
	current := s.tag(c, false)
	if s.preconditions(c, current) {
		return
	}
	c.w.Header().Set("ETag", current)
	writeJSON(c.w, http.StatusOK, compactJSON(doc))
}

// postModel creates schemas and tables: POST C/schema with a list of
// schema and table documents (or {"schemas": {...}}), POST C/schema/S, or
// POST C/schema/S/table with a table document. Answers 201.
func (s *Server) postModel(c *call) {
	var change catalog.ModelChange
	var err error
	switch {
	case c.rt.schema == "":
		change, err = bulkChange(c.body)
	case !c.rt.tableList:
		change.Schemas = []catalog.SchemaDef{{Name: c.rt.schema}}
		if len(bytes.TrimSpace(c.body)) > 0 {
			var doc struct {
				Comment     *string             `json:"comment"`
				Annotations catalog.Annotations `json:"annotations"`
			}
			if json.Unmarshal(c.body, &doc) == nil && doc.Comment != nil {
				change.Schemas[0].Comment = *doc.Comment
				change.Schemas[0].Annotations = doc.Annotations
			}
		}
	case c.rt.table == "":
		var t *catalog.Table
		if t, err = decodeTable(c.body); err != nil {
			err = malformed("Invalid table definition: %v", err)
			break
		}
		if t.SchemaName == "" {
			t.SchemaName = c.rt.schema
		}
		if t.SchemaName != c.rt.schema {
			err = malformed("Schema name %s in table definition does not match URL.", t.SchemaName)
			break
		}
		change.Tables = []*catalog.Table{t}
	default:
		err = unsupported{"POST on a table resource"}
	}
	if err == nil {
		err = checkChange(change)
	}
	if err == nil {
		err = s.engine.Create(ctx(c.r), change)
	}
	if err != nil {
		c.fail(err)
		return
	}
	c.w.Header().Set("ETag", s.tag(c, false))
	m, err := s.engine.Model(ctx(c.r), "")
	if err != nil {
		c.fail(err)
		return
	}
	switch {
	case c.rt.schema == "":
		var out []any
		for _, sd := range change.Schemas {
			if sch := m.Schemas[sd.Name]; sch != nil {
				out = append(out, schemaDoc(sch))
			}
		}
		for _, t := range change.Tables {
			if tt := m.Table(t.Ref()); tt != nil {
				out = append(out, postedTableDoc(tt, t))
			}
		}
		writeJSON(c.w, http.StatusCreated, compactJSON(out))
	case !c.rt.tableList:
		// A schema POST answers 201 with an empty body labelled text/plain (§0.20).
		c.w.Header().Set("Content-Type", "text/plain")
		c.w.WriteHeader(http.StatusCreated)
	default:
		posted := change.Tables[0]
		writeJSON(c.w, http.StatusCreated, compactJSON(postedTableDoc(m.Table(posted.Ref()), posted)))
	}
}

// bulkChange reads the body of POST C/schema: a list of schema and table
// documents, or {"schemas": {name: {..., "tables": {...}}}}.
func bulkChange(body []byte) (catalog.ModelChange, error) {
	var ch catalog.ModelChange
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '{' {
		var doc struct {
			Schemas map[string]*schemaInput `json:"schemas"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			return ch, malformed("Invalid model document: %v", err)
		}
		for _, name := range sortedKeys(doc.Schemas) {
			sch := doc.Schemas[name]
			def := catalog.SchemaDef{Name: name, Annotations: sch.Annotations}
			if sch.Comment != nil {
				def.Comment = *sch.Comment
			}
			ch.Schemas = append(ch.Schemas, def)
			for _, tname := range sortedKeys(sch.Tables) {
				t, err := decodeTable(sch.Tables[tname])
				if err != nil {
					return ch, malformed("Invalid table definition: %v", err)
				}
				t.SchemaName, t.Name = name, tname
				ch.Tables = append(ch.Tables, t)
			}
		}
		return ch, nil
	}
	var docs []json.RawMessage
	if err := json.Unmarshal(body, &docs); err != nil {
		return ch, malformed("Invalid model document list: %v", err)
	}
	for _, raw := range docs {
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(raw, &probe); err != nil {
			return ch, malformed("Invalid model document: %v", err)
		}
		switch {
		case probe["table_name"] != nil:
			t, err := decodeTable(raw)
			if err != nil {
				return ch, malformed("Invalid table definition: %v", err)
			}
			ch.Tables = append(ch.Tables, t)
		case probe["foreign_key_columns"] != nil:
			return ch, unsupported{"foreign key documents in a bulk model POST"}
		case probe["schema_name"] != nil:
			var sch catalog.Schema
			if err := json.Unmarshal(raw, &sch); err != nil {
				return ch, malformed("Invalid schema definition: %v", err)
			}
			def := catalog.SchemaDef{Name: sch.Name, Annotations: sch.Annotations}
			if sch.Comment != nil {
				def.Comment = *sch.Comment
			}
			ch.Schemas = append(ch.Schemas, def)
		default:
			return ch, malformed("Model document is neither a schema nor a table.")
		}
	}
	return ch, nil
}

// checkChange applies ERMrest's own model rules: identifiers of at most 63
// bytes, the five system columns and a key on RID.
func checkChange(ch catalog.ModelChange) error {
	for _, sd := range ch.Schemas {
		if err := checkIdent(sd.Name); err != nil {
			return err
		}
	}
	for _, t := range ch.Tables {
		if t.Kind != "" && t.Kind != "table" {
			return malformed("Table kind %q is not supported.", t.Kind)
		}
		for _, name := range append([]string{t.SchemaName, t.Name}, columnOrder(t)...) {
			if err := checkIdent(name); err != nil {
				return err
			}
		}
		if err := checkSystemColumns(t); err != nil {
			return err
		}
		missing := ""
		for _, sys := range catalog.SystemColumns {
			if t.Column(sys) == nil {
				missing = sys
			}
		}
		if missing != "" {
			return malformed("Table :%s:%s lacks required system column %s.", t.SchemaName, t.Name, missing)
		}
		hasRIDKey := false
		for _, k := range t.Keys {
			hasRIDKey = hasRIDKey || len(k.UniqueColumns) == 1 && k.UniqueColumns[0] == catalog.ColRID
		}
		if !hasRIDKey {
			return malformed("Table :%s:%s lacks primary key on RID.", t.SchemaName, t.Name)
		}
	}
	return nil
}

func checkIdent(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return malformed("Empty name is not allowed.")
	case len(name) > maxIdent:
		return malformed("Name %q exceeds the 63-byte limit of identifiers.", name)
	}
	return nil
}

// compactJSON renders a document compactly, as ERMrest's model output is;
// a pyJSON inside keeps its key order (encoding/json compacts what
// MarshalJSON returns).
func compactJSON(v any) []byte {
	var buf bytes.Buffer
	encodeValue(&buf, v)
	return append(buf.Bytes(), '\n')
}
