package derivaml

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// FeatureSpec describes a feature to create (create_feature).
type FeatureSpec struct {
	Target string   // the table the feature annotates, e.g. "Image"
	Name   string   // the feature name, e.g. "Diagnosis"
	Terms  []string // vocabulary tables whose terms are values
	Assets []string // asset tables whose rows are values
	// Metadata columns, e.g. Confidence float4. A column is required
	// (NOT NULL) unless its NullOK is set or it is listed in Optional.
	Metadata []catalog.ColumnDef
	Optional []string // columns (term, asset or metadata) that may be NULL
	Comment  string
}

// ColumnKind says what a feature column holds.
type ColumnKind string

// Kinds of feature columns.
const (
	KindTerm  ColumnKind = "term"  // a vocabulary term Name
	KindAsset ColumnKind = "asset" // an asset RID
	KindValue ColumnKind = "value" // a plain value
)

// FeatureColumn is one value column of a feature table.
type FeatureColumn struct {
	Name     string
	Kind     ColumnKind
	Type     catalog.Type
	Required bool
	// References is the vocabulary or asset table a term or asset column
	// points at.
	References catalog.TableRef
}

// Feature is a feature definition discovered in the model.
type Feature struct {
	Name    string
	Target  catalog.TableRef
	Table   catalog.TableRef // Execution_<Target>_<Name>
	Columns []FeatureColumn  // term, asset and value columns, in table order
	// targetColumn holds the target RID; normally the target table's name.
	targetColumn string
}

// FeatureTableName returns a feature table's name, Execution_<target>_<feature>.
func FeatureTableName(target, feature string) string {
	return "Execution_" + target + "_" + feature
}

// Feature plans a feature table Execution_<Target>_<Name> in the domain
// schema: Execution → Execution.RID, <Target> → target, Feature_Name →
// Feature_Name.Name (default: the feature name), one column per term
// vocabulary (→ Name) and asset table (→ RID), then the metadata columns;
// the feature name is added to the Feature_Name vocabulary.
func (p *Plan) Feature(spec FeatureSpec) (*catalog.Table, error) {
	target, err := p.lookup(spec.Target)
	if err != nil {
		return nil, err
	}
	assets, badAssets := p.typedTables(spec.Assets, IsAsset)
	if len(badAssets) > 0 {
		return nil, fmt.Errorf("Invalid create_feature asset table(s): %s. "+
			"Each entry of `assets` must be a registered asset table.", pyList(badAssets))
	}
	terms, badTerms := p.typedTables(spec.Terms, IsVocabulary)
	if len(badTerms) > 0 {
		return nil, fmt.Errorf("Invalid create_feature vocabulary table(s): %s. "+
			"Each entry of `terms` must be a controlled vocabulary table.", pyList(badTerms))
	}
	name := FeatureTableName(target.Name, spec.Name)
	if p.exists(p.m.domain, name) {
		return nil, fmt.Errorf("Table %s already exists.", name)
	}
	execution, err := mlTable(p.view, TableExecution)
	if err != nil {
		return nil, err
	}
	featureName, err := mlTable(p.view, TableFeatureName)
	if err != nil {
		return nil, err
	}
	var refs []catalog.Reference
	for _, t := range append(assets, terms...) {
		refs = append(refs, associateRef(t))
	}
	t, err := catalog.DefineAssociation(catalog.AssociationDef{
		Schema: p.m.domain,
		Name:   name,
		Associates: []catalog.Reference{
			{Table: execution, KeyColumns: []string{catalog.ColRID}}, associateRef(target), {Table: featureName}},
		MetadataRefs: refs,
		Metadata:     spec.Metadata,
		Comment:      spec.Comment,
	})
	if err != nil {
		return nil, fmt.Errorf("define feature %s: %w", name, err)
	}
	if err := checkColumnNames(t); err != nil {
		return nil, fmt.Errorf("define feature %s: %w", name, err)
	}
	for _, opt := range spec.Optional {
		c := t.Column(opt)
		if c == nil {
			return nil, fmt.Errorf("define feature %s: optional column %s is not one of its columns", name, opt)
		}
		c.NullOK = true
	}
	fn := t.Column("Feature_Name")
	fn.Default, _ = json.Marshal(spec.Name)
	p.add(t)
	p.terms = append(p.terms, plannedTerm{TableFeatureName,
		catalog.Row{"Name": spec.Name, "Description": spec.Comment, "Synonyms": []any{}}})
	return t, nil
}

// typedTables resolves names and splits them into tables passing ok and the
// names failing it (missing tables fail too).
func (p *Plan) typedTables(names []string, ok func(*catalog.Table) bool) ([]*catalog.Table, []string) {
	var good []*catalog.Table
	var bad []string
	for _, n := range names {
		t, err := p.lookup(n)
		if err != nil || !ok(t) {
			bad = append(bad, n)
			continue
		}
		good = append(good, t)
	}
	return good, bad
}

func checkColumnNames(t *catalog.Table) error {
	seen := map[string]bool{}
	for _, c := range t.Columns {
		if seen[c.Name] {
			return fmt.Errorf("column %s is defined twice", c.Name)
		}
		seen[c.Name] = true
	}
	return nil
}

// CreateFeature creates a feature (see Plan.Feature) and returns it.
func (m *ML) CreateFeature(ctx context.Context, spec FeatureSpec) (Feature, error) {
	t, err := applyOne(ctx, m, func(p *Plan) (*catalog.Table, error) { return p.Feature(spec) })
	if err != nil {
		return Feature{}, err
	}
	model, err := m.Model(ctx)
	if err != nil {
		return Feature{}, err
	}
	if live := model.Table(t.Ref()); live != nil {
		if f, ok := featureFromTable(model, live); ok {
			return f, nil
		}
	}
	return Feature{}, fmt.Errorf("feature table %s was created but does not read back as a feature", t.Ref())
}

// FindFeatures lists the features defined on a table, or on every table
// when target is "".
func (m *ML) FindFeatures(ctx context.Context, target string) ([]Feature, error) {
	var model *catalog.Model
	var want *catalog.Table
	var err error
	if target != "" {
		model, want, err = m.resolve(ctx, target)
	} else {
		model, err = m.Model(ctx)
	}
	if err != nil {
		return nil, err
	}
	var out []Feature
	for _, t := range model.SortedTables() {
		if !IsFeatureTable(t) {
			continue
		}
		f, ok := featureFromTable(model, t)
		if ok && (want == nil || f.Target == want.Ref()) {
			out = append(out, f)
		}
	}
	return out, nil
}

// LookupFeature returns the named feature of a table.
func (m *ML) LookupFeature(ctx context.Context, target, name string) (Feature, error) {
	fs, err := m.FindFeatures(ctx, target)
	if err != nil {
		return Feature{}, err
	}
	for _, f := range fs {
		if f.Name == name {
			return f, nil
		}
	}
	return Feature{}, fmt.Errorf("Feature %s doesn't exist in %s.", name, target)
}

// featureFromTable reads a feature table as DerivaML's Feature class does:
// the association of Execution, a target and Feature_Name; the other
// foreign keys are term or asset columns, the remaining columns values.
func featureFromTable(model *catalog.Model, t *catalog.Table) (Feature, bool) {
	fks := associationFKeys(t, assocRule{minArity: 3, maxArity: 3})
	if fks == nil {
		return Feature{}, false
	}
	f := Feature{Table: t.Ref()}
	structural := map[string]bool{"Feature_Name": true, "Execution": true}
	for _, fk := range fks {
		col := fk.Columns[0].Column
		if !structural[col] {
			f.Target = fkTarget(fk)
			f.targetColumn = col
			structural[col] = true
		}
	}
	if f.Target.Table == "" {
		return Feature{}, false
	}
	f.Name = jsonString(t.Column("Feature_Name").Default)
	if f.Name == "" {
		f.Name = strings.TrimPrefix(t.Name, FeatureTableName(f.Target.Table, ""))
	}
	refs := map[string]catalog.TableRef{}
	for _, fk := range t.ForeignKeys {
		if len(fk.Columns) == 1 && !slices.ContainsFunc(fks, func(a catalog.ForeignKey) bool { return a.Names[0] == fk.Names[0] }) {
			refs[fk.Columns[0].Column] = fkTarget(fk)
		}
	}
	for _, c := range t.Columns {
		if catalog.IsSystemColumn(c.Name) || structural[c.Name] {
			continue
		}
		fc := FeatureColumn{Name: c.Name, Kind: KindValue, Type: c.Type, Required: !c.NullOK}
		if ref, ok := refs[c.Name]; ok {
			if rt := model.Table(ref); rt != nil {
				switch {
				case IsAsset(rt):
					fc.Kind, fc.References = KindAsset, ref
				case IsVocabulary(rt):
					fc.Kind, fc.References = KindTerm, ref
				}
			}
		}
		f.Columns = append(f.Columns, fc)
	}
	return f, true
}

// TargetColumn is the feature table's column holding the target RID.
func (f Feature) TargetColumn() string { return f.targetColumn }

// Column returns the named value column, or nil.
func (f Feature) Column(name string) *FeatureColumn {
	for i := range f.Columns {
		if f.Columns[i].Name == name {
			return &f.Columns[i]
		}
	}
	return nil
}
