package derivaml_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// A write whose answer was lost, and which reading back proved was not
// applied, is undone as a refused one, and its fix no longer says "may or
// may not have been applied": it was checked, and the call can simply be
// retried. Its kind is kept.
func TestLostAnswerCheckedNotAppliedSaysRetry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, _, _, _ := memberCatalog(t)
	before, err := ml.FindDatasets(ctx, true)
	require.NoError(t, err)

	// CreateDataset's third write (the version row) is lost on its way in.
	ls := &lostAnswerStore{Store: ml.Store(), lostAt: 3, unapplied: true}
	_, err = derivaml.New(ls, "demo").CreateDataset(ctx, derivaml.NewDataset{Types: []string{"Training"}})
	require.ErrorIs(t, err, catalog.ErrUnavailable)
	var unknown *derivaml.OutcomeUnknownError
	require.False(t, errors.As(err, &unknown), "%v", err)
	assert.Regexp(t, `; rolled back the partly created dataset \S+$`, err.Error())
	assert.Equal(t, "the catalog's answer was lost, but reading it back showed the change was not applied: "+
		"it can simply be retried", catalog.Hint(err))
	after, err := ml.FindDatasets(ctx, true)
	require.NoError(t, err)
	assert.Len(t, after, len(before), "the dataset is removed")

	// If the undo then fails, retrying would leave what it did not undo.
	fs := &failingStore{Store: &lostAnswerStore{Store: ml.Store(), lostAt: 3, unapplied: true}, failAt: 4, sticky: true}
	_, err = derivaml.New(fs, "demo").CreateDataset(ctx, derivaml.NewDataset{Types: []string{"Training"}})
	require.ErrorIs(t, err, catalog.ErrUnavailable)
	require.ErrorIs(t, err, errInjected)
	assert.Contains(t, err.Error(), "could not roll back the partly created dataset")
	assert.Equal(t, "the catalog's answer was lost, but reading it back showed the change was not applied; "+
		"undoing the steps before it failed, so remove what the error says may remain before retrying", catalog.Hint(err))

	// A lost answer that reading back cannot settle keeps the client's fix.
	ls = &lostAnswerStore{Store: ml.Store(), lostAt: 3, blind: true}
	_, err = derivaml.New(ls, "demo").CreateDataset(ctx, derivaml.NewDataset{Types: []string{"Training"}})
	require.True(t, errors.As(err, &unknown), "%v", err)
	assert.Equal(t, "the change may or may not have been applied: check before retrying", catalog.Hint(err))
}

// typesReadOnce lets one read of Dataset_Dataset_Type through after the
// lost answer and fails the rest.
type typesReadOnce struct {
	*lostAnswerStore
	reads atomic.Int64
}

func (s *typesReadOnce) Query(ctx context.Context, q catalog.Query) ([]catalog.Row, error) {
	if s.lost.Load() && q.Table.Table == derivaml.TableDatasetDatasetTyp && s.reads.Add(1) > 1 {
		return nil, lostAnswer("GET " + q.Table.String())
	}
	return s.lostAnswerStore.Query(ctx, q)
}

// The type rows a lost answer's read-back found are the ones the undo
// would remove: AddDatasetTypes does not read them a second time.
func TestLostAnswerToTypesReadsThemOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, ds, _, _ := memberCatalog(t)
	s := &typesReadOnce{lostAnswerStore: &lostAnswerStore{Store: ml.Store(), lostAt: 1}}
	require.NoError(t, derivaml.New(s, "demo").AddDatasetTypes(ctx, ds, "Training", "Labeled"))
	assert.EqualValues(t, 1, s.reads.Load())
	got, err := ml.LookupDataset(ctx, ds)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"Training", "Labeled"}, got.Types)
	assert.Equal(t, "0.1.0.post1.dev1", got.Version)
}

// A release whose guarded update was lost on its way in is read back: the
// version row still holds its dev label, so the release failed and can
// simply be retried, and the dataset stays in its dev period.
func TestLostReleaseNotAppliedSaysRetry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml, ds, images, _ := memberCatalog(t)
	require.NoError(t, ml.AddDatasetMembers(ctx, ds, map[string][]string{"Image": images[:1]}, derivaml.MemberOptions{}))
	ls := &lostAnswerStore{Store: ml.Store(), lostAt: 1, unapplied: true}
	_, err := derivaml.New(ls, "demo").Release(ctx, ds, derivaml.Minor, "one image", "")
	require.ErrorIs(t, err, catalog.ErrUnavailable)
	var unknown *derivaml.OutcomeUnknownError
	require.False(t, errors.As(err, &unknown), "%v", err)
	assert.Equal(t, "the catalog's answer was lost, but reading it back showed the change was not applied: "+
		"it can simply be retried", catalog.Hint(err))
	got, err := ml.LookupDataset(ctx, ds)
	require.NoError(t, err)
	assert.Equal(t, "0.1.0.post1.dev1", got.Version, "still in the dev period")
}
