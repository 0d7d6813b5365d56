package local

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/cyclezero/cyclezero/catalog"
)

// tableInfo is one catalog table with its SQLite names.
type tableInfo struct {
	t      *catalog.Table
	ref    catalog.TableRef
	rid    string
	phys   string // live rows
	hist   string // history rows
	cols   []colInfo
	colIdx map[string]int
}

func newTableInfo(t *catalog.Table) *tableInfo {
	ti := &tableInfo{t: t, ref: t.Ref(), rid: t.RID, phys: quoteIdent("t" + t.RID),
		hist: quoteIdent("h" + t.RID), colIdx: make(map[string]int, len(t.Columns))}
	for i, c := range t.Columns {
		ti.cols = append(ti.cols, newColInfo(c))
		ti.colIdx[c.Name] = i
	}
	return ti
}

// col returns the named column, or nil.
func (ti *tableInfo) col(name string) *colInfo {
	i, ok := ti.colIdx[name]
	if !ok {
		return nil
	}
	return &ti.cols[i]
}

// column returns the named column or ERMrest's data-path conflict.
func (ti *tableInfo) column(name string) (*colInfo, error) {
	if c := ti.col(name); c != nil {
		return c, nil
	}
	return nil, &catalog.Error{Kind: catalog.ErrConflict,
		Detail: fmt.Sprintf("Requested column %s does not exist in table %s.", name, ti.ref.Table),
		Fix:    "check the column name against the table's model"}
}

// modelState is the model as of one model version, with lookups. It is
// immutable once built and shared between readers.
type modelState struct {
	version int64 // snapshot (µs) of the model change that produced it
	model   *catalog.Model
	tables  map[catalog.TableRef]*tableInfo
	byRID   map[string]*tableInfo
}

// table finds a table or returns ERMrest's data-path conflict.
func (m *modelState) table(ref catalog.TableRef) (*tableInfo, error) {
	if ti := m.tables[ref]; ti != nil {
		return ti, nil
	}
	if m.model.Schemas[ref.Schema] == nil {
		return nil, &catalog.Error{Kind: catalog.ErrConflict,
			Detail: fmt.Sprintf("Schema %s does not exist.", ref.Schema),
			Fix:    "check the schema name, or create the schema first"}
	}
	return nil, &catalog.Error{Kind: catalog.ErrConflict,
		Detail: fmt.Sprintf("Table %s does not exist in schema %s.", ref.Table, ref.Schema),
		Fix:    "check the table name, or create the table first"}
}

// copyModel returns a deep copy callers may change.
func (m *modelState) copyModel() (*catalog.Model, error) {
	b, err := json.Marshal(m.model)
	if err != nil {
		return nil, fmt.Errorf("copy model: %w", err)
	}
	var out catalog.Model
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("copy model: %w", err)
	}
	return &out, nil
}

// querier is what both *sql.Tx and *sql.DB offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// modelCache keeps recently used model versions. Versions are immutable, so
// a cached one stays right however many processes share the file.
type modelCache struct {
	mu       sync.Mutex
	versions map[int64]*modelState
	order    []int64
}

const modelCacheSize = 8

func (c *modelCache) get(v int64) *modelState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.versions[v]
}

func (c *modelCache) put(m *modelState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.versions == nil {
		c.versions = map[int64]*modelState{}
	}
	if _, ok := c.versions[m.version]; ok {
		return
	}
	c.versions[m.version] = m
	c.order = append(c.order, m.version)
	if len(c.order) > modelCacheSize {
		delete(c.versions, c.order[0])
		c.order = c.order[1:]
	}
}

// modelAt returns the model as of snapshot snap (µs).
func (s *Store) modelAt(ctx context.Context, q querier, snap int64) (*modelState, error) {
	var v sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT max(ts) FROM _snapshots WHERE model = 1 AND ts <= ?`, snap).Scan(&v); err != nil {
		return nil, fmt.Errorf("read model version: %w", err)
	}
	if !v.Valid { // before the bootstrap snapshot: an empty model
		return buildModel(0, nil, nil)
	}
	if m := s.models.get(v.Int64); m != nil {
		return m, nil
	}
	m, err := loadModel(ctx, q, v.Int64)
	if err != nil {
		return nil, err
	}
	s.models.put(m)
	return m, nil
}

// loadModel reads the schema and table documents visible at version v.
func loadModel(ctx context.Context, q querier, v int64) (*modelState, error) {
	rows, err := q.QueryContext(ctx,
		`SELECT kind, doc FROM _model WHERE lo <= ? AND (hi IS NULL OR hi > ?) ORDER BY rowid`, v, v)
	if err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	defer rows.Close()
	var schemas []*catalog.Schema
	var tables []*catalog.Table
	for rows.Next() {
		var kind, doc string
		if err := rows.Scan(&kind, &doc); err != nil {
			return nil, fmt.Errorf("read model: %w", err)
		}
		switch kind {
		case "schema":
			var sc catalog.Schema
			if err := json.Unmarshal([]byte(doc), &sc); err != nil {
				return nil, fmt.Errorf("read model: schema document: %w", err)
			}
			schemas = append(schemas, &sc)
		case "table":
			var t catalog.Table
			if err := json.Unmarshal([]byte(doc), &t); err != nil {
				return nil, fmt.Errorf("read model: table document: %w", err)
			}
			tables = append(tables, &t)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	return buildModel(v, schemas, tables)
}

func buildModel(v int64, schemas []*catalog.Schema, tables []*catalog.Table) (*modelState, error) {
	m := &modelState{version: v, model: &catalog.Model{Annotations: catalog.Annotations{},
		Schemas: map[string]*catalog.Schema{}}, tables: map[catalog.TableRef]*tableInfo{}, byRID: map[string]*tableInfo{}}
	if v != 0 {
		m.model.Snaptime = catalog.EncodeRID(v)
	}
	for _, sc := range schemas {
		sc.Tables = map[string]*catalog.Table{}
		m.model.Schemas[sc.Name] = sc
	}
	for _, t := range tables {
		sc := m.model.Schemas[t.SchemaName]
		if sc == nil {
			return nil, fmt.Errorf("read model: table %s:%s has no schema", t.SchemaName, t.Name)
		}
		sc.Tables[t.Name] = t
		ti := newTableInfo(t)
		m.tables[ti.ref] = ti
		m.byRID[ti.rid] = ti
	}
	return m, nil
}
