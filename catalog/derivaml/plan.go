package derivaml

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// Plan collects domain model changes — tables, vocabularies, asset tables,
// features, dataset element types — and applies them in one atomic
// catalog.Store Create, so a failure leaves none of them behind. Later
// steps may refer to tables planned by earlier ones.
type Plan struct {
	m       *ML
	view    *catalog.Model // the live model plus planned tables
	schemas []catalog.SchemaDef
	tables  []*catalog.Table
	terms   []plannedTerm // Feature_Name and Asset_Type terms the plan adds
}

// plannedTerm is a deriva-ml vocabulary term a planned table brings along.
type plannedTerm struct {
	vocab string // a deriva-ml vocabulary, e.g. Feature_Name
	row   catalog.Row
}

// NewPlan starts an empty plan against the live model.
func (m *ML) NewPlan(ctx context.Context) (*Plan, error) {
	model, err := m.Model(ctx)
	if err != nil {
		return nil, err
	}
	if model.Schemas[MLSchema] == nil {
		return nil, fmt.Errorf("catalog has no %s schema: create it first (CreateMLSchema)", MLSchema)
	}
	view := &catalog.Model{Schemas: maps.Clone(model.Schemas)}
	return &Plan{m: m, view: view}, nil
}

// lookup resolves a table name against the live model and the plan.
func (p *Plan) lookup(name string) (*catalog.Table, error) {
	return resolveTable(p.view, p.m.domain, name)
}

func (p *Plan) exists(schema, name string) bool {
	return p.view.Table(catalog.TableRef{Schema: schema, Table: name}) != nil
}

// add records planned tables, adding the domain schema when it is new.
func (p *Plan) add(ts ...*catalog.Table) {
	for _, t := range ts {
		s := p.view.Schemas[t.SchemaName]
		if s == nil {
			p.schemas = append(p.schemas, catalog.SchemaDef{Name: t.SchemaName})
			s = &catalog.Schema{Name: t.SchemaName, Tables: map[string]*catalog.Table{}}
		} else {
			s = &catalog.Schema{Name: s.Name, Comment: s.Comment, Annotations: s.Annotations, Tables: maps.Clone(s.Tables)}
		}
		s.Tables[t.Name] = t
		p.view.Schemas[t.SchemaName] = s
		p.tables = append(p.tables, t)
	}
}

// Table plans a domain table (schema defaults to the domain schema).
func (p *Plan) Table(def catalog.TableDef) (*catalog.Table, error) {
	if def.Schema == "" {
		def.Schema = p.m.domain
	}
	if p.exists(def.Schema, def.Name) {
		return nil, fmt.Errorf("Table %s already exists.", def.Name)
	}
	t := catalog.DefineTable(def)
	p.add(t)
	return t, nil
}

// Vocabulary plans a vocabulary in the domain schema with terms whose ID
// defaults to "<project>:{RID}" (create_vocabulary).
func (p *Plan) Vocabulary(name, comment string) (*catalog.Table, error) {
	if p.exists(p.m.domain, name) {
		return nil, fmt.Errorf("Table %s already exist", name)
	}
	t, err := catalog.DefineVocabulary(catalog.VocabularyDef{Schema: p.m.domain, Name: name,
		CurieTemplate: p.m.ProjectName() + ":{RID}", Comment: comment})
	if err != nil {
		return nil, err
	}
	p.add(t)
	return t, nil
}

// AssetOptions are the optional parts of an asset table.
type AssetOptions struct {
	Columns     []catalog.ColumnDef // extra columns after URL, Filename, Description, Length, MD5
	Keys        []catalog.KeyDef
	ForeignKeys []catalog.ForeignKeyDef
	Comment     string
}

// AssetTypeDescription is the description create_asset gives the
// Asset_Type term named after a new asset table.
func AssetTypeDescription(table string) string { return "A " + table + " asset" }

// AssetTable plans an asset table with its <name>_Asset_Type and
// <name>_Execution association tables, as DerivaML's create_asset does:
// the URL column gets deriva-py's default upload pattern
// ("/hatrac/{{$catalog.id}}/<schema>/<name>/…", create_asset passes no
// template) and an Asset_Type term named after the table is added, since
// assets are tagged with their table's name by default.
func (p *Plan) AssetTable(name string, opts AssetOptions) (*catalog.Table, error) {
	for _, n := range []string{name, name + "_Asset_Type", name + "_Execution"} {
		if p.exists(p.m.domain, n) {
			return nil, fmt.Errorf("Table %s already exist", n)
		}
	}
	var refs [3]*catalog.Table
	for i, n := range []string{TableExecution, TableAssetType, TableAssetRole} {
		t, err := mlTable(p.view, n)
		if err != nil {
			return nil, err
		}
		refs[i] = t
	}
	def := catalog.AssetDef{Schema: p.m.domain, Name: name,
		Columns: opts.Columns, Keys: opts.Keys, ForeignKeys: opts.ForeignKeys, Comment: opts.Comment}
	ts, err := defineAssetTables(def, refs[0], refs[1], refs[2])
	if err != nil {
		return nil, err
	}
	p.add(ts...)
	p.terms = append(p.terms, plannedTerm{TableAssetType,
		catalog.Row{"Name": name, "Description": AssetTypeDescription(name), "Synonyms": []any{}}})
	return ts[0], nil
}

// ElementType plans the association Dataset_<table> that lets rows of a
// domain table be dataset members (add_dataset_element_type). A table that
// is already an element type is left as it is.
func (p *Plan) ElementType(table string) (*catalog.Table, error) {
	target, err := p.lookup(table)
	if err != nil {
		return nil, err
	}
	if !isDomainSchema(target.SchemaName) {
		return nil, &TableTypeError{Type: "domain", Table: target.Name}
	}
	dataset, err := mlTable(p.view, TableDataset)
	if err != nil {
		return nil, err
	}
	def := catalog.AssociationDef{Schema: p.m.domain, Associates: []catalog.Reference{
		{Table: dataset, KeyColumns: []string{catalog.ColRID}}, associateRef(target)}}
	t, err := catalog.DefineAssociation(def)
	if err != nil {
		return nil, err
	}
	if existing := p.view.Table(catalog.TableRef{Schema: p.m.domain, Table: t.Name}); existing != nil {
		return existing, nil
	}
	p.add(t)
	return t, nil
}

// associateRef is DerivaML's vocab-aware key choice: vocabularies are
// referenced by Name, every other table by RID.
func associateRef(t *catalog.Table) catalog.Reference {
	if IsVocabulary(t) {
		return catalog.Reference{Table: t}
	}
	return catalog.Reference{Table: t, KeyColumns: []string{catalog.ColRID}}
}

// Apply creates everything planned in one atomic model change. The
// Feature_Name and Asset_Type terms the tables need are inserted first, as
// DerivaML does (terms already present are kept), and the ones added are
// removed again when the model change fails. A write whose answer was lost
// is read back first (see settle): a model change that took effect keeps
// its terms, and one whose outcome cannot be learned removes nothing.
func (p *Plan) Apply(ctx context.Context) error {
	if len(p.tables) == 0 && len(p.terms) == 0 {
		return nil
	}
	var added []addedTerms
	for _, vocab := range []string{TableFeatureName, TableAssetType} {
		ref := catalog.TableRef{Schema: MLSchema, Table: vocab}
		var rows []catalog.Row
		var names []string
		for _, t := range p.terms {
			if t.vocab == vocab {
				rows = append(rows, t.row)
				names = append(names, t.row.String("Name"))
			}
		}
		if len(rows) == 0 {
			continue
		}
		rids, err := p.m.insertTerms(ctx, ref, rows)
		if err != nil {
			ok, err := settle(ctx, fmt.Errorf("add %s terms: %w", vocab, err),
				fmt.Sprintf("whether %s has the term(s) %s", vocab, strings.Join(names, ", ")),
				func(ctx context.Context) (bool, error) { return p.m.termsExist(ctx, ref, names) })
			if !ok {
				return p.undoTerms(ctx, err, added)
			}
			// They are there, but which were there before is unknown:
			// none is removed should the model change fail.
			added = append(added, addedTerms{vocab: vocab, names: names})
			continue
		}
		added = append(added, addedTerms{vocab: vocab, names: names, rids: rids, known: true})
	}
	if len(p.tables) == 0 {
		return nil
	}
	if err := p.m.create(ctx, catalog.ModelChange{Schemas: p.schemas, Tables: p.tables}); err != nil {
		ok, err := settle(ctx, fmt.Errorf("create %d table(s): %w", len(p.tables), err),
			"whether the table(s) "+p.tableNames()+" exist", p.created)
		if !ok {
			return p.undoTerms(ctx, err, added)
		}
	}
	return nil
}

// addedTerms are the terms of one vocabulary Apply inserted: rids are the
// rows it added (known), or, when the insert's answer was lost, unknown.
type addedTerms struct {
	vocab string
	names []string
	rids  []string
	known bool
}

// undoTerms removes the terms Apply added after err, unless err's outcome
// is unknown (then they stay, named in err; see rollBack). Terms whose
// insert's answer was lost stay too, since they may have been there
// before.
func (p *Plan) undoTerms(ctx context.Context, err error, added []addedTerms) error {
	var sure []addedTerms
	var names []string
	for _, a := range added {
		change := fmt.Sprintf("the %s term(s) %s", a.vocab, strings.Join(a.names, ", "))
		switch {
		case a.known && len(a.rids) == 0:
			continue // every term was there before
		case !a.known && outcomeUnknown(err):
			err = leftInPlace(err, change)
		case !a.known:
			err = leftAnswerLost(err, change, "so whether they were there before is unknown (remove the ones nothing uses)")
		default:
			sure = append(sure, a)
			names = append(names, change)
		}
	}
	if len(sure) == 0 {
		return err
	}
	return rollBack(ctx, err, strings.Join(names, ", "), func(ctx context.Context) error {
		var errs []error
		for _, a := range sure {
			errs = append(errs, p.m.deleteRIDs(ctx, catalog.TableRef{Schema: MLSchema, Table: a.vocab}, a.rids))
		}
		return errors.Join(errs...)
	})
}

// termsExist reports whether a vocabulary has every one of names (an
// insert of them is atomic: all or none).
func (m *ML) termsExist(ctx context.Context, vocab catalog.TableRef, names []string) (bool, error) {
	rows, err := m.rowsAt(ctx, vocab, anyOf("Name", names))
	if err != nil {
		return false, err
	}
	return len(rows) == len(uniq(names)), nil
}

// created reads the live model back and reports whether the planned
// tables exist. A model change is atomic, so some but not all of them
// existing says someone else changed the model: that is no answer.
func (p *Plan) created(ctx context.Context) (bool, error) {
	model, err := p.m.Refresh(ctx)
	if err != nil {
		return false, err
	}
	var missing []string
	for _, t := range p.tables {
		if model.Table(t.Ref()) == nil {
			missing = append(missing, t.Ref().String())
		}
	}
	switch len(missing) {
	case 0:
		return true, nil
	case len(p.tables):
		return false, nil
	}
	return false, fmt.Errorf("some of the tables exist but not %s, which one model change cannot leave", strings.Join(missing, ", "))
}

// tableNames names the planned tables, schema-qualified.
func (p *Plan) tableNames() string {
	names := make([]string, len(p.tables))
	for i, t := range p.tables {
		names[i] = t.Ref().String()
	}
	return strings.Join(names, ", ")
}

// insertTerms inserts vocabulary rows that are not there yet and returns
// the RIDs of those it added.
func (m *ML) insertTerms(ctx context.Context, vocab catalog.TableRef, terms []catalog.Row) ([]string, error) {
	if len(terms) == 0 {
		return nil, nil
	}
	rows, err := m.store.Insert(ctx, vocab, terms, catalog.InsertOptions{Defaults: []string{"ID", "URI"}, OnConflictSkip: true})
	if err != nil {
		return nil, err
	}
	return rowRIDs(rows), nil
}

// deleteRIDs removes rows by RID (a no-op for none).
func (m *ML) deleteRIDs(ctx context.Context, table catalog.TableRef, rids []string) error {
	if len(rids) == 0 {
		return nil
	}
	return m.store.Delete(ctx, table, anyOf(catalog.ColRID, rids))
}

// CreateTable creates one domain table.
func (m *ML) CreateTable(ctx context.Context, def catalog.TableDef) (*catalog.Table, error) {
	return applyOne(ctx, m, func(p *Plan) (*catalog.Table, error) { return p.Table(def) })
}

// CreateVocabulary creates a vocabulary in the domain schema.
func (m *ML) CreateVocabulary(ctx context.Context, name, comment string) (*catalog.Table, error) {
	return applyOne(ctx, m, func(p *Plan) (*catalog.Table, error) { return p.Vocabulary(name, comment) })
}

// CreateAssetTable creates an asset table with its _Asset_Type and
// _Execution tables.
func (m *ML) CreateAssetTable(ctx context.Context, name string, opts AssetOptions) (*catalog.Table, error) {
	return applyOne(ctx, m, func(p *Plan) (*catalog.Table, error) { return p.AssetTable(name, opts) })
}

// AddDatasetElementType registers a domain table as a dataset member type
// by creating Dataset_<table>; registering twice is not an error.
func (m *ML) AddDatasetElementType(ctx context.Context, table string) (*catalog.Table, error) {
	return applyOne(ctx, m, func(p *Plan) (*catalog.Table, error) { return p.ElementType(table) })
}

func applyOne(ctx context.Context, m *ML, step func(*Plan) (*catalog.Table, error)) (*catalog.Table, error) {
	p, err := m.NewPlan(ctx)
	if err != nil {
		return nil, err
	}
	t, err := step(p)
	if err != nil {
		return nil, err
	}
	if err := p.Apply(ctx); err != nil {
		return nil, err
	}
	return t, nil
}
