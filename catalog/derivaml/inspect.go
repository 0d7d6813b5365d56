package derivaml

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// IsVocabulary reports whether t has DerivaML's vocabulary shape: columns
// ID, URI, Name, Description and Synonyms (names compared case-insensitively).
func IsVocabulary(t *catalog.Table) bool {
	have := map[string]bool{}
	for _, c := range t.Columns {
		have[strings.ToUpper(c.Name)] = true
	}
	for _, want := range []string{"NAME", "URI", "SYNONYMS", "DESCRIPTION", "ID"} {
		if !have[want] {
			return false
		}
	}
	return true
}

// IsAsset reports whether t has DerivaML's asset shape: columns URL,
// Filename, Length, MD5 and Description.
func IsAsset(t *catalog.Table) bool {
	for _, want := range []string{"Filename", "URL", "Length", "MD5", "Description"} {
		if t.Column(want) == nil {
			return false
		}
	}
	return true
}

// IsFeatureTable applies DerivaML's discovery rule: a table with both a
// Feature_Name and an Execution column holds feature values.
func IsFeatureTable(t *catalog.Table) bool {
	return t.Column("Feature_Name") != nil && t.Column("Execution") != nil
}

// association is one result of find_associations: the association table,
// its foreign key to the table asked about, and its other foreign keys.
type association struct {
	table  *catalog.Table
	self   catalog.ForeignKey
	others []catalog.ForeignKey
}

// assocRule holds deriva-py's is_association parameters.
type assocRule struct {
	minArity, maxArity int
	pure               bool
}

var binaryPure = assocRule{minArity: 2, maxArity: 2, pure: true}

// associationFKeys implements deriva-py's Table.is_association (unqualified
// and non-overlapping): the foreign keys covered by the table's longest
// composite non-system key, or nil when t is not such an association.
func associationFKeys(t *catalog.Table, rule assocRule) []catalog.ForeignKey {
	nonSys := map[string]bool{}
	for _, c := range t.Columns {
		if !catalog.IsSystemColumn(c.Name) {
			nonSys[c.Name] = true
		}
	}
	var rowKey []string
	for _, k := range t.Keys {
		if len(k.UniqueColumns) > 1 && allIn(k.UniqueColumns, nonSys) && len(k.UniqueColumns) > len(rowKey) {
			rowKey = k.UniqueColumns
		}
	}
	if rowKey == nil {
		return nil
	}
	inKey := map[string]bool{}
	for _, c := range rowKey {
		inKey[c] = true
	}
	var covered []catalog.ForeignKey
	for _, fk := range t.ForeignKeys {
		if allIn(fkColumns(fk), inKey) {
			covered = append(covered, fk)
		}
	}
	if len(covered) < rule.minArity || (rule.maxArity > 0 && len(covered) > rule.maxArity) {
		return nil
	}
	coveredCols := map[string]bool{}
	for _, fk := range covered {
		for _, c := range fkColumns(fk) {
			if coveredCols[c] {
				return nil // overlapping
			}
			coveredCols[c] = true
		}
	}
	if len(coveredCols) != len(rowKey) {
		return nil // qualified
	}
	if rule.pure && len(nonSys) != len(rowKey) {
		return nil // impure
	}
	return covered
}

// findAssociations implements deriva-py's Table.find_associations.
func findAssociations(model *catalog.Model, target catalog.TableRef, rule assocRule) []association {
	var out []association
	for _, peer := range model.SortedTables() {
		if !slices.ContainsFunc(peer.ForeignKeys, func(fk catalog.ForeignKey) bool { return fkTarget(fk) == target }) {
			continue
		}
		fks := associationFKeys(peer, rule)
		for i, fk := range fks {
			if fkTarget(fk) == target {
				others := slices.Delete(slices.Clone(fks), i, i+1)
				out = append(out, association{table: peer, self: fk, others: others})
				break
			}
		}
	}
	return out
}

func fkColumns(fk catalog.ForeignKey) []string {
	out := make([]string, len(fk.Columns))
	for i, c := range fk.Columns {
		out[i] = c.Column
	}
	return out
}

func fkTarget(fk catalog.ForeignKey) catalog.TableRef {
	if len(fk.Referenced) == 0 {
		return catalog.TableRef{}
	}
	return catalog.TableRef{Schema: fk.Referenced[0].Schema, Table: fk.Referenced[0].Table}
}

func allIn(cols []string, set map[string]bool) bool {
	for _, c := range cols {
		if !set[c] {
			return false
		}
	}
	return true
}

// ElementType is a table registered as a dataset member type: its rows can
// be added to datasets through the association table Dataset_<Table>.
type ElementType struct {
	Table       catalog.TableRef
	Association catalog.TableRef
	Column      string // the association's column naming the member
	// Key is the member table's column that Column references: RID, or
	// Name for a vocabulary (define_association prefers a Name key).
	Key string
}

// elementTypes lists the Dataset associations to domain tables or to
// Dataset itself (list_dataset_element_types); withFile also keeps File,
// which list_dataset_members reads.
func elementTypes(model *catalog.Model, withFile bool) []ElementType {
	dsRef := catalog.TableRef{Schema: MLSchema, Table: TableDataset}
	var out []ElementType
	for _, a := range findAssociations(model, dsRef, binaryPure) {
		if len(a.others) != 1 {
			continue
		}
		target := fkTarget(a.others[0])
		if !isDomainSchema(target.Schema) && target != dsRef && (!withFile || target.Table != TableFile) {
			continue
		}
		fk := a.others[0]
		out = append(out, ElementType{Table: target, Association: a.table.Ref(), Column: fk.Columns[0].Column,
			Key: fk.Referenced[0].Column})
	}
	return out
}

// Inventory is what DerivaML sees in a catalog's model.
type Inventory struct {
	HasMLSchema  bool
	DomainTables []catalog.TableRef // domain tables that are none of the kinds below
	Vocabularies []catalog.TableRef
	Assets       []catalog.TableRef
	Features     []Feature
	Associations []catalog.TableRef // pure binary associations (incl. element types)
	ElementTypes []ElementType
}

// Inspect classifies the live model's tables the way DerivaML does.
func (m *ML) Inspect(ctx context.Context) (Inventory, error) {
	model, err := m.Model(ctx)
	if err != nil {
		return Inventory{}, err
	}
	return InspectModel(model), nil
}

// InspectModel classifies a model's tables: vocabularies and assets in any
// schema, and in domain schemas features, associations and plain tables.
func InspectModel(model *catalog.Model) Inventory {
	inv := Inventory{HasMLSchema: model.Schemas[MLSchema] != nil}
	for _, t := range model.SortedTables() {
		switch {
		case !isDomainSchema(t.SchemaName) && t.SchemaName != MLSchema:
			continue
		case IsVocabulary(t):
			inv.Vocabularies = append(inv.Vocabularies, t.Ref())
		case IsAsset(t):
			inv.Assets = append(inv.Assets, t.Ref())
		case IsFeatureTable(t):
			if f, ok := featureFromTable(model, t); ok {
				inv.Features = append(inv.Features, f)
			}
		case associationFKeys(t, binaryPure) != nil:
			inv.Associations = append(inv.Associations, t.Ref())
		case isDomainSchema(t.SchemaName):
			inv.DomainTables = append(inv.DomainTables, t.Ref())
		}
	}
	if inv.HasMLSchema {
		inv.ElementTypes = elementTypes(model, false)
	}
	return inv
}

// jsonString decodes a column default that is a JSON string ("" otherwise).
func jsonString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return ""
	}
	return s
}
