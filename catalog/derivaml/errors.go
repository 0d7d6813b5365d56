package derivaml

import (
	"fmt"
	"strings"
)

// InvalidTermError is DerivaML's DerivaMLInvalidTerm: a term that is not in
// a vocabulary (or that already exists when asked to be new).
type InvalidTermError struct {
	Vocabulary string
	Term       string
	Msg        string // "" means "Term doesn't exist"
}

// Error renders DerivaML's message.
func (e *InvalidTermError) Error() string {
	msg := e.Msg
	if msg == "" {
		msg = "Term doesn't exist"
	}
	return fmt.Sprintf("Invalid term %s in vocabulary %s: %s.", e.Term, e.Vocabulary, msg)
}

// TableTypeError is DerivaML's DerivaMLTableTypeError: a table (or RID) is
// not of the kind an operation needs.
type TableTypeError struct {
	Type  string // "vocabulary", "asset", "Dataset", ...
	Table string
}

// Error renders DerivaML's message.
func (e *TableTypeError) Error() string {
	return fmt.Sprintf("Table %s is not of type %s.", e.Table, e.Type)
}

// TableNotFoundError says a named table does not exist in the catalog.
type TableNotFoundError struct{ Table string }

// Error names the missing table.
func (e *TableNotFoundError) Error() string {
	return fmt.Sprintf("Table %s not found in the catalog model.", e.Table)
}

// Hint says what to do (see catalog.Hint); the message is DerivaML's
// own and stays as it is.
func (e *TableNotFoundError) Hint() string {
	return "check the table's name (schema:table names one outside the domain schema); " +
		"if it is still to be made, create it first"
}

// InvalidTransitionError is DerivaML's InvalidTransitionError for an
// execution status change outside the allowed graph.
type InvalidTransitionError struct{ From, To ExecutionStatus }

// Error renders DerivaML's message.
func (e *InvalidTransitionError) Error() string {
	return fmt.Sprintf("Illegal execution transition %s → %s. See spec §2.2 for the allowed transition graph.", e.From, e.To)
}

// pyList renders strings as Python prints a list of str, the form DerivaML's
// messages embed: ['a', 'b'].
func pyList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = pyRepr(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// pySet renders strings as Python prints a set of str: {'a', 'b'}.
func pySet(items []string) string {
	l := pyList(items)
	return "{" + l[1:len(l)-1] + "}"
}

// pyRepr renders a string as Python's repr does for plain text: single
// quotes unless the text holds a single quote and no double quote.
func pyRepr(s string) string {
	q := "'"
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = `"`
	}
	s = strings.ReplaceAll(s, `\`, `\\`)
	if q == "'" {
		s = strings.ReplaceAll(s, "'", `\'`)
	}
	return q + s + q
}
