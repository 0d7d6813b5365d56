package derivaml

import "github.com/cyclezero/cyclezero/catalog"

// TableKind is what a table is to DerivaML.
type TableKind string

// Table kinds, in the order KindOf tests for them.
const (
	TableVocabulary  TableKind = "vocabulary"
	TableAsset       TableKind = "asset"
	TableFeature     TableKind = "feature"
	TableAssociation TableKind = "association"
	TablePlain       TableKind = "table"
)

// anyAssociation is deriva-py's is_association with its defaults: at least
// two foreign keys covered by the row key, extra columns allowed (impure).
var anyAssociation = assocRule{minArity: 2, maxArity: 0, pure: false}

// KindOf classifies t the way DerivaML's discovery does: a vocabulary or
// asset by its columns, a feature table by its Feature_Name and Execution
// columns, an association by its composite key of foreign keys, else a
// plain table. A nil table is a plain table.
func KindOf(t *catalog.Table) TableKind {
	switch {
	case t == nil:
		return TablePlain
	case IsVocabulary(t):
		return TableVocabulary
	case IsAsset(t):
		return TableAsset
	case IsFeatureTable(t):
		return TableFeature
	case associationFKeys(t, anyAssociation) != nil:
		return TableAssociation
	}
	return TablePlain
}
