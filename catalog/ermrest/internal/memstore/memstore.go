// Package memstore is a small in-memory catalog.Store with ERMrest's
// semantics (system columns, RIDs, SQL three-valued filters, snapshots),
// used to test the ERMrest client and its httptest fake without a database.
// It favours clarity over speed: every write copies the whole catalog to
// keep the snapshot history.
package memstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
)

// Store is an in-memory catalog. It is safe for concurrent use.
type Store struct {
	mu       sync.Mutex
	identity catalog.Identity
	seq      int64
	last     time.Time
	history  []*version // oldest first; the last one is live
}

// version is the whole catalog as of one snapshot.
type version struct {
	at      time.Time
	snap    string
	model   *catalog.Model
	rows    map[catalog.TableRef][]catalog.Row
	deleted map[string]deletion // RID → when it went away
}

type deletion struct {
	table       catalog.TableRef
	at          time.Time
	lastVisible string
}

var _ catalog.Store = (*Store)(nil)

// New returns an empty catalog holding the public schema with ERMrest's
// client registry, acting as who.
func New(who catalog.Identity) *Store {
	s := &Store{identity: who}
	client := catalog.DefineTable(catalog.TableDef{Schema: catalog.ClientSchema, Name: catalog.ClientTable,
		Columns: []catalog.ColumnDef{{Name: "ID", Type: catalog.TypeText}, {Name: "Display_Name", Type: catalog.TypeText, NullOK: true},
			{Name: "Full_Name", Type: catalog.TypeText, NullOK: true}, {Name: "Email", Type: catalog.TypeText, NullOK: true},
			{Name: "Client_Object", Type: catalog.TypeJSONB, NullOK: true}},
		Keys: []catalog.KeyDef{{Columns: []string{"ID"}}}})
	client.ForeignKeys = nil
	v := &version{model: &catalog.Model{Annotations: catalog.Annotations{}, Schemas: map[string]*catalog.Schema{
		catalog.ClientSchema: {Name: catalog.ClientSchema, Annotations: catalog.Annotations{},
			Tables: map[string]*catalog.Table{catalog.ClientTable: client}},
	}}, rows: map[catalog.TableRef][]catalog.Row{}, deleted: map[string]deletion{}}
	v.at = s.tick()
	v.snap = catalog.Snaptime(v.at)
	v.model.Snaptime = v.snap
	s.history = []*version{v}
	return s
}

// tick returns a time strictly after the previous one, in microseconds.
func (s *Store) tick() time.Time {
	now := time.Now().UTC().Truncate(time.Microsecond)
	if !now.After(s.last) {
		now = s.last.Add(time.Microsecond)
	}
	s.last = now
	return now
}

// at returns the version a read at snapshot snap sees ("" = live).
func (s *Store) at(snap string) (*version, error) {
	live := s.history[len(s.history)-1]
	if snap == "" {
		return live, nil
	}
	t, err := catalog.SnaptimeTime(snap)
	if err != nil {
		return nil, catalog.Errorf(catalog.ErrBadRequest, "", "", "bad snapshot %q: %v", snap, err)
	}
	for i := len(s.history) - 1; i >= 0; i-- {
		if !s.history[i].at.After(t) {
			return s.history[i], nil
		}
	}
	return nil, catalog.Errorf(catalog.ErrConflict, "", "", "Requested catalog revision %q is prior to any known revision.", snap)
}

// write runs fn on a copy of the live version and, when it succeeds, makes
// the copy the new live version.
func (s *Store) write(fn func(v *version) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	live := s.history[len(s.history)-1]
	next := live.clone()
	next.at = s.tick()
	next.snap = catalog.Snaptime(next.at)
	if err := fn(next); err != nil {
		return err
	}
	next.model.Snaptime = next.snap
	s.history = append(s.history, next)
	return nil
}

func (v *version) clone() *version {
	data, _ := json.Marshal(v.model)
	var m catalog.Model
	_ = json.Unmarshal(data, &m)
	out := &version{model: &m, rows: map[catalog.TableRef][]catalog.Row{}, deleted: map[string]deletion{}}
	for ref, rows := range v.rows {
		cp := make([]catalog.Row, len(rows))
		for i, r := range rows {
			cp[i] = make(catalog.Row, len(r))
			for k, val := range r {
				cp[i][k] = val
			}
		}
		out.rows[ref] = cp
	}
	for k, d := range v.deleted {
		out.deleted[k] = d
	}
	return out
}

// Model returns a copy of the model at a snapshot.
func (s *Store) Model(_ context.Context, at string) (*catalog.Model, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := s.at(at)
	if err != nil {
		return nil, err
	}
	return v.clone().model, nil
}

// Create adds schemas and tables atomically.
func (s *Store) Create(_ context.Context, ch catalog.ModelChange) error {
	return s.write(func(v *version) error {
		for _, sd := range ch.Schemas {
			if v.model.Schemas[sd.Name] != nil {
				return catalog.Errorf(catalog.ErrConflict, "", "", "Requested schema %s already exists.", sd.Name)
			}
			var comment *string
			if sd.Comment != "" {
				comment = &sd.Comment
			}
			v.model.Schemas[sd.Name] = &catalog.Schema{Name: sd.Name, Comment: comment,
				Annotations: orEmpty(sd.Annotations), Tables: map[string]*catalog.Table{}}
		}
		for _, t := range ch.Tables {
			sch := v.model.Schemas[t.SchemaName]
			if sch == nil {
				return catalog.Errorf(catalog.ErrConflict, "", "", "Schema %s does not exist.", t.SchemaName)
			}
			if sch.Tables[t.Name] != nil {
				return catalog.Errorf(catalog.ErrConflict, "", "", "Table %s already exists in schema %s.", t.Name, t.SchemaName)
			}
			for _, c := range t.Columns {
				if !supportedType(c.Type) {
					return catalog.Errorf(catalog.ErrConflict, "", "", "Unsupported type %q", c.Type.Name)
				}
			}
			for _, sys := range catalog.SystemColumns {
				if t.Column(sys) == nil {
					return catalog.Errorf(catalog.ErrBadRequest, "", "", "Table :%s:%s lacks required system column %s.", t.SchemaName, t.Name, sys)
				}
			}
			data, _ := json.Marshal(t)
			var cp catalog.Table
			_ = json.Unmarshal(data, &cp)
			cp.Kind = "table"
			sch.Tables[t.Name] = &cp
		}
		for _, t := range ch.Tables {
			for _, fk := range t.ForeignKeys {
				for _, rc := range fk.Referenced {
					if v.model.Table(catalog.TableRef{Schema: rc.Schema, Table: rc.Table}) == nil {
						return catalog.Errorf(catalog.ErrConflict, "", "", "Table %s does not exist in schema %s.", rc.Table, rc.Schema)
					}
				}
			}
		}
		return nil
	})
}

// Snapshot returns the live snapshot id.
func (s *Store) Snapshot(context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.history[len(s.history)-1].snap, nil
}

// Whoami returns the identity the store was made with.
func (s *Store) Whoami(context.Context) (catalog.Identity, error) { return s.identity, nil }

// Describe names the store.
func (s *Store) Describe() string { return "in-memory test catalog" }

// Close does nothing.
func (s *Store) Close() error { return nil }

// ResolveRID finds the table holding rid as of a snapshot.
func (s *Store) ResolveRID(_ context.Context, rid string, at string) (catalog.RIDInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := s.at(at)
	if err != nil {
		return catalog.RIDInfo{}, err
	}
	for ref, rows := range v.rows {
		for _, r := range rows {
			if ridEqual(r.RID(), rid) {
				return catalog.RIDInfo{RID: r.RID(), Table: ref}, nil
			}
		}
	}
	for stored, d := range v.deleted {
		if ridEqual(stored, rid) {
			return catalog.RIDInfo{RID: stored, Table: d.table, LastVisibleSnaptime: d.lastVisible,
				DeletedAt: d.at.Format("2006-01-02 15:04:05.000000-07:00")}, nil
		}
	}
	return catalog.RIDInfo{}, catalog.Errorf(catalog.ErrNotFound, "", "", "entity with RID=%s", rid)
}

// ridEqual matches a stored RID against one given by a user, as ERMrest's
// RID= does: exactly, or by the normalized form of a canonical RID.
func ridEqual(stored, given string) bool {
	if stored == given {
		return true
	}
	n, ok := catalog.NormalizeRID(given)
	return ok && n == stored
}

func orEmpty(a catalog.Annotations) catalog.Annotations {
	if a == nil {
		return catalog.Annotations{}
	}
	return a
}

func tableOf(v *version, ref catalog.TableRef) (*catalog.Table, error) {
	t := v.model.Table(ref)
	if t == nil {
		return nil, catalog.Errorf(catalog.ErrConflict, "", "", "Table %s does not exist in schema %s.", ref.Table, ref.Schema)
	}
	return t, nil
}

func badValue(col string, err error) error {
	return catalog.Errorf(catalog.ErrBadRequest, "", "", "%s", fmt.Sprintf("column %s: %v", col, err))
}

// supportedType accepts the types ERMrest can create (reference ermrest.md §2.3).
func supportedType(t catalog.Type) bool {
	if t.IsArray && t.Base != nil {
		return supportedType(*t.Base)
	}
	switch t.Name {
	case "boolean", "date", "float4", "float8", "int2", "int4", "int8", "serial2", "serial4", "serial8", "text",
		"timestamptz", "timestamp", "time", "timetz", "interval", "uuid", "json", "jsonb",
		"ermrest_rid", "ermrest_rcb", "ermrest_rmb", "ermrest_uri", "ermrest_curie", "ermrest_rct", "ermrest_rmt",
		"longtext", "markdown", "color_rgb_hex", "gene_sequence", "url", "uri", "curie":
		return true
	}
	return false
}
