package derivaml

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A rolled-back failure whose message is already a sentence gets a
// sentence of its own, not ".; rolled back"; the cause stays matchable.
func TestRolledBackPunctuation(t *testing.T) {
	t.Parallel()
	cause := errors.New("Dataset 1-AAAA has 2 dev rows; expected at most one.")
	err := rolledBack(cause, "the dev version row 1-BBBB (0.1.0.post1.dev1)", nil)
	assert.EqualError(t, err, "Dataset 1-AAAA has 2 dev rows; expected at most one. Rolled back the dev version row 1-BBBB (0.1.0.post1.dev1).")
	assert.ErrorIs(t, err, cause)

	clause := rolledBack(errors.New("add types to dataset 1-AAAA: injected"), "the type(s) Training added to dataset 1-AAAA", nil)
	assert.EqualError(t, clause, "add types to dataset 1-AAAA: injected; rolled back the type(s) Training added to dataset 1-AAAA")
}
