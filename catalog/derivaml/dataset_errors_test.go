package derivaml_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// An unknown dataset is reported in DerivaML's own sentence, with nothing
// appended after its full stop, and is still a not-found error.
func TestDatasetNotFoundReadsAsDerivaML(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	for name, op := range map[string]func() error{
		"lookup": func() error { _, err := ml.LookupDataset(ctx, "1-ZZZZ"); return err },
		"delete": func() error { return ml.DeleteDataset(ctx, "1-ZZZZ") },
		"types":  func() error { return ml.AddDatasetTypes(ctx, "1-ZZZZ", "Training") },
	} {
		err := op()
		require.Error(t, err, name)
		assert.EqualError(t, err, "Dataset 1-ZZZZ not found.", name)
		assert.NotContains(t, err.Error(), ".:", name)
		assert.ErrorIs(t, err, catalog.ErrNotFound, name)
		var nf *derivaml.DatasetNotFoundError
		require.True(t, errors.As(err, &nf), name)
		assert.Equal(t, "1-ZZZZ", nf.RID, name)
	}
}
