package ermrest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/cyclezero/cyclezero/catalog"
)

// maxIdentBytes is PostgreSQL's identifier limit, which ERMrest enforces
// on schema, table, column and constraint names.
const maxIdentBytes = 63

// Model reads the whole model with GET C/schema, live or at a snapshot.
// The caller gets its own copy to keep or change.
func (c *Client) Model(ctx context.Context, at string) (*catalog.Model, error) {
	data, _, err := c.fetchModel(ctx, at)
	if err != nil {
		return nil, err
	}
	return DecodeModel(data)
}

// fetchModel reads the model document and caches it decoded for typing
// answers (tableFor), so answers do not re-parse the whole model.
func (c *Client) fetchModel(ctx context.Context, at string) ([]byte, *catalog.Model, error) {
	r := request{method: http.MethodGet, path: c.catalogPath(at) + "/schema"}
	resp, err := c.do(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	if mt := mediaType(resp.header); mt != "" && mt != "application/json" {
		return nil, nil, c.badResponse(r.op(), "expected the model as JSON, got %s", mt)
	}
	m, err := decodeModel(resp.body)
	if err != nil {
		return nil, nil, c.badResponse(r.op(), "%v", err)
	}
	c.mu.Lock()
	c.models[c.modelKey(at)] = m
	c.mu.Unlock()
	return resp.body, m, nil
}

func (c *Client) modelKey(at string) string {
	if at == "" {
		return c.snap
	}
	return at
}

// DecodeModel parses an ERMrest model document (GET C/schema). Unknown
// fields (rights, acls, features) are ignored and names missing inside an
// element are filled from the map keys holding it. Malformed input is a
// *catalog.Error of kind ErrBadResponse, never a panic.
func DecodeModel(data []byte) (*catalog.Model, error) {
	m, err := decodeModel(data)
	if err != nil {
		return nil, &catalog.Error{Kind: catalog.ErrBadResponse, Op: "read the model document", Detail: clip(err.Error()),
			Fix: "the answer is not an ERMrest model document; check that the host and catalog id name an ERMrest catalog"}
	}
	return m, nil
}

// decodeModel is DecodeModel with a plain error, which fetchModel says
// with the request and the server's fix.
func decodeModel(data []byte) (*catalog.Model, error) {
	var m catalog.Model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("malformed or truncated model document (%d bytes): %w", len(data), err)
	}
	if m.Schemas == nil {
		return nil, errors.New("the model document has no \"schemas\"")
	}
	for sname, s := range m.Schemas {
		if s == nil {
			return nil, fmt.Errorf("schema %q of the model document is null", sname)
		}
		if s.Name == "" {
			s.Name = sname
		}
		if s.Tables == nil {
			s.Tables = map[string]*catalog.Table{}
		}
		for tname, t := range s.Tables {
			if t == nil {
				return nil, fmt.Errorf("table %q of schema %q is null", tname, sname)
			}
			if t.Name == "" {
				t.Name = tname
			}
			if t.SchemaName == "" {
				t.SchemaName = sname
			}
		}
	}
	return &m, nil
}

// tableFor returns a table's definition for normalizing answers, from the
// cached model at that snapshot; the live model is re-read once when the
// table is not in it (someone may have created it since). nil when the
// model does not know the table: the server will have said so already.
func (c *Client) tableFor(ctx context.Context, ref catalog.TableRef, at string) (*catalog.Table, error) {
	c.mu.Lock()
	m := c.models[c.modelKey(at)]
	c.mu.Unlock()
	fresh := false
	if m == nil {
		var err error
		if _, m, err = c.fetchModel(ctx, at); err != nil {
			return nil, err
		}
		fresh = true
	}
	if t := m.Table(ref); t != nil || fresh || c.modelKey(at) != "" {
		return t, nil
	}
	_, m, err := c.fetchModel(ctx, at)
	if err != nil {
		return nil, err
	}
	return m.Table(ref), nil
}

// Create adds schemas and tables atomically with one POST C/schema of a JSON
// list (schema documents, then table documents with their foreign keys;
// ERMrest defers the keys until every table exists). It answers 201.
func (c *Client) Create(ctx context.Context, change catalog.ModelChange) error {
	op := "POST " + c.catalogPath("") + "/schema"
	if err := checkChange(change); err != nil {
		// The server would answer 400; saying so before sending is quicker
		// and names the culprit.
		e := invalid(op, "give every schema, table, column and constraint a name of at most 63 bytes "+
			"(PostgreSQL's identifier limit)", "%v", err)
		e.Kind = catalog.ErrBadRequest
		return e
	}
	if len(change.Schemas) == 0 && len(change.Tables) == 0 {
		return nil
	}
	var docs []any
	for _, s := range change.Schemas {
		doc := map[string]any{"schema_name": s.Name, "comment": nil, "annotations": orEmpty(s.Annotations)}
		if s.Comment != "" {
			doc["comment"] = s.Comment
		}
		docs = append(docs, doc)
	}
	for _, t := range change.Tables {
		docs = append(docs, t)
	}
	body, err := json.Marshal(docs)
	if err != nil {
		return invalid(op, "fix the table definition", "encode the model change: %v", err)
	}
	defer c.forgetLiveModel()
	_, err = c.do(ctx, request{method: http.MethodPost, path: c.catalogPath("") + "/schema", body: body})
	return err
}

func (c *Client) forgetLiveModel() {
	c.mu.Lock()
	delete(c.models, c.snap)
	c.mu.Unlock()
}

func orEmpty(a catalog.Annotations) catalog.Annotations {
	if a == nil {
		return catalog.Annotations{}
	}
	return a
}

// checkChange rejects names ERMrest would refuse, before anything is sent.
func checkChange(ch catalog.ModelChange) error {
	for _, s := range ch.Schemas {
		if err := checkIdent("schema", s.Name); err != nil {
			return err
		}
	}
	for _, t := range ch.Tables {
		if t == nil {
			return fmt.Errorf("a nil table definition")
		}
		if err := checkIdent("schema", t.SchemaName); err != nil {
			return err
		}
		if err := checkIdent("table", t.Name); err != nil {
			return err
		}
		for _, col := range t.Columns {
			if err := checkIdent("column", col.Name); err != nil {
				return fmt.Errorf("table %s: %w", t.Name, err)
			}
		}
		for _, k := range t.Keys {
			for _, n := range k.Names {
				if err := checkIdent("key", n[1]); err != nil {
					return fmt.Errorf("table %s: %w", t.Name, err)
				}
			}
		}
		for _, fk := range t.ForeignKeys {
			for _, n := range fk.Names {
				if err := checkIdent("foreign key", n[1]); err != nil {
					return fmt.Errorf("table %s: %w", t.Name, err)
				}
			}
		}
	}
	return nil
}

func checkIdent(what, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("a %s has no name", what)
	case len(name) > maxIdentBytes:
		return fmt.Errorf("%s name %q is %d bytes long, more than %d", what, name, len(name), maxIdentBytes)
	}
	return nil
}
