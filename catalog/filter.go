package catalog

// Filter is a predicate over a table's columns, in ERMrest's filter language.
// Build one from Eq, Cmp, IsNull, Regexp, AnyOf, And, Or and Not.
type Filter interface{ isFilter() }

// Eq is col=value. On an array column it means "the array contains value",
// as in ERMrest. A RID column also matches the normalized form of value.
type Eq struct {
	Column string
	Value  any
}

// CmpOp is an ordering comparison operator.
type CmpOp string

// Ordering operators, spelled as in ERMrest (col::lt::v).
const (
	Lt  CmpOp = "lt"
	Leq CmpOp = "leq"
	Gt  CmpOp = "gt"
	Geq CmpOp = "geq"
)

// Cmp is col::op::value.
type Cmp struct {
	Column string
	Op     CmpOp
	Value  any
}

// IsNull is col::null::.
type IsNull struct{ Column string }

// Regexp is col::regexp::pattern (col::ciregexp:: when IgnoreCase).
// Patterns use the common subset of PostgreSQL and RE2 syntax.
type Regexp struct {
	Column     string
	Pattern    string
	IgnoreCase bool
}

// AnyOf is col=any(v1,v2,...): the column equals one of the values.
type AnyOf struct {
	Column string
	Values []any
}

// And is p1&p2&...; an empty And is true.
type And []Filter

// Or is p1;p2;...; an empty Or is false.
type Or []Filter

// Not is !p.
type Not struct{ Filter Filter }

func (Eq) isFilter()     {}
func (Cmp) isFilter()    {}
func (IsNull) isFilter() {}
func (Regexp) isFilter() {}
func (AnyOf) isFilter()  {}
func (And) isFilter()    {}
func (Or) isFilter()     {}
func (Not) isFilter()    {}
