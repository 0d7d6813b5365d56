// Package derivaml writes DerivaML's conventions once on top of a generic
// catalog.Store: the deriva-ml schema and its seeded vocabularies, domain,
// vocabulary and asset tables, features (Execution_<Target>_<Feature>),
// dataset element types (Dataset_<Table>), datasets with PEP 440 versions,
// workflows and executions with DerivaML's status machine, the metadata-only
// validate_execution_configuration, bag cache status and a denormalized
// preview. Names, columns, keys and foreign keys are exactly what DerivaML's
// Python library (and deriva-py underneath it) creates, so a catalog made
// here is usable by deriva-ml-run and vice versa.
package derivaml

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/cyclezero/cyclezero/catalog"
)

// MLSchema is the name of DerivaML's own schema.
const MLSchema = "deriva-ml"

// systemSchemas are never treated as domain schemas (core/constants.py).
var systemSchemas = []string{"public", "www", "WWW"}

// ML is a DerivaML view of a catalog: the deriva-ml schema plus one domain
// schema where user tables are created. It is safe for concurrent use.
type ML struct {
	store  catalog.Store // raw behind an unsentGuard: what ML reads and writes through
	raw    catalog.Store // the store New was given
	domain string

	mu    sync.Mutex
	model *catalog.Model // cached live model; nil until first read
}

// New returns DerivaML operations on store with domainSchema as the schema
// where new domain tables, vocabularies, features and element types go. The
// domain schema name is also the project name in vocabulary CURIEs
// ("<domain>:{RID}"), as create_ml_catalog makes it.
func New(store catalog.Store, domainSchema string) *ML {
	return &ML{store: unsentGuard{store}, raw: store, domain: domainSchema}
}

// Store returns the underlying catalog store (the one New was given).
func (m *ML) Store() catalog.Store { return m.raw }

// DomainSchema returns the schema new domain tables are created in.
func (m *ML) DomainSchema() string { return m.domain }

// ProjectName is the CURIE prefix of vocabulary terms.
func (m *ML) ProjectName() string { return m.domain }

// Model returns the live model, read once and cached until the next model
// change made through m (Refresh forces a new read).
func (m *ML) Model(ctx context.Context) (*catalog.Model, error) {
	model, _, err := m.loadModel(ctx)
	return model, err
}

// loadModel is Model, also saying whether the model was read just now
// rather than taken from the cache.
func (m *ML) loadModel(ctx context.Context) (model *catalog.Model, fresh bool, err error) {
	m.mu.Lock()
	model = m.model
	m.mu.Unlock()
	if model != nil {
		return model, false, nil
	}
	model, err = m.Refresh(ctx)
	return model, true, err
}

// Refresh re-reads the live model, for changes made by others.
func (m *ML) Refresh(ctx context.Context) (*catalog.Model, error) {
	model, err := m.store.Model(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("read catalog model: %w", err)
	}
	m.mu.Lock()
	m.model = model
	m.mu.Unlock()
	return model, nil
}

func (m *ML) invalidate() {
	m.mu.Lock()
	m.model = nil
	m.mu.Unlock()
}

// create applies a model change and drops the cached model.
func (m *ML) create(ctx context.Context, change catalog.ModelChange) error {
	defer m.invalidate()
	if err := m.store.Create(ctx, change); err != nil {
		return err
	}
	return nil
}

// isDomainSchema reports whether a schema holds user tables.
func isDomainSchema(name string) bool {
	if name == MLSchema {
		return false
	}
	for _, s := range systemSchemas {
		if strings.EqualFold(s, name) {
			return false
		}
	}
	return true
}

// mlTable returns a table of the deriva-ml schema or an error saying the
// schema is missing.
func mlTable(model *catalog.Model, name string) (*catalog.Table, error) {
	t := model.Table(catalog.TableRef{Schema: MLSchema, Table: name})
	if t == nil {
		if model.Schemas[MLSchema] == nil {
			return nil, fmt.Errorf("catalog has no %s schema: create it first (CreateMLSchema)", MLSchema)
		}
		return nil, fmt.Errorf("%s schema has no table %s: the catalog was not made by DerivaML", MLSchema, name)
	}
	return t, nil
}

// resolveTable finds a table by name, as DerivaML's name_to_table does:
// "schema:table" names it exactly; a bare name is looked up in the domain
// schema first, then the deriva-ml schema, then any other domain schema.
func resolveTable(model *catalog.Model, domain, name string) (*catalog.Table, error) {
	if s, t, ok := strings.Cut(name, ":"); ok {
		if tab := model.Table(catalog.TableRef{Schema: s, Table: t}); tab != nil {
			return tab, nil
		}
		return nil, &TableNotFoundError{Table: name}
	}
	for _, s := range []string{domain, MLSchema} {
		if t := model.Table(catalog.TableRef{Schema: s, Table: name}); t != nil {
			return t, nil
		}
	}
	var found []*catalog.Table
	for sname, s := range model.Schemas {
		if isDomainSchema(sname) && s.Tables[name] != nil {
			found = append(found, s.Tables[name])
		}
	}
	switch len(found) {
	case 0:
		return nil, &TableNotFoundError{Table: name}
	case 1:
		return found[0], nil
	}
	var where []string
	for _, t := range found {
		where = append(where, t.SchemaName)
	}
	slices.Sort(where)
	return nil, fmt.Errorf("table %s exists in several schemas (%s): name it as schema:table", name, strings.Join(where, ", "))
}

// table resolves a name against the cached model (see resolve).
func (m *ML) table(ctx context.Context, name string) (*catalog.Table, error) {
	_, t, err := m.resolve(ctx, name)
	return t, err
}

// resolve resolves a name against the cached model and returns that model
// too. A name the cached model lacks is looked up once more in a model
// read afresh: the cache is dropped only after m's own model changes, and
// the table may have been created since by another process (a training
// run making a vocabulary), or another ML on the same catalog.
func (m *ML) resolve(ctx context.Context, name string) (*catalog.Model, *catalog.Table, error) {
	model, fresh, err := m.loadModel(ctx)
	if err != nil {
		return nil, nil, err
	}
	t, err := resolveTable(model, m.domain, name)
	var missing *TableNotFoundError
	if !fresh && errors.As(err, &missing) {
		if model, err = m.Refresh(ctx); err != nil {
			return nil, nil, err
		}
		t, err = resolveTable(model, m.domain, name)
	}
	return model, t, err
}

// queryAll reads every row matching q, paging by RID (catalog.QueryAll) so
// any result size works against ERMrest's limits.
func queryAll(ctx context.Context, store catalog.Store, q catalog.Query) ([]catalog.Row, error) {
	var out []catalog.Row
	err := catalog.QueryAll(ctx, store, q, 5000, func(rows []catalog.Row) error {
		out = append(out, rows...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", q.Table, err)
	}
	return out, nil
}

// anyOf is column=any(values). The backends split long lists themselves
// (the HTTP client by URL length), so callers pass every value at once.
func anyOf(column string, values []string) catalog.AnyOf {
	vals := make([]any, len(values))
	for i, v := range values {
		vals[i] = v
	}
	return catalog.AnyOf{Column: column, Values: vals}
}

// queryAnyOf reads the rows matching q whose column is one of values.
func queryAnyOf(ctx context.Context, store catalog.Store, q catalog.Query, column string, values []string) ([]catalog.Row, error) {
	if len(values) == 0 {
		return nil, nil
	}
	f := anyOf(column, values)
	if q.Where != nil {
		q.Where = catalog.And{q.Where, f}
	} else {
		q.Where = f
	}
	return queryAll(ctx, store, q)
}

// uniq returns the distinct values in first-seen order.
func uniq[T comparable](values []T) []T {
	seen := map[T]bool{}
	var out []T
	for _, v := range values {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
