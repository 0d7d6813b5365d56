package derivaml_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

// localBusyFix is the local Store's own fix for a write refused while
// another process held the file.
const localBusyFix = "another process holds the local catalog busy; try again"

// sharedML is a DerivaML view of a fresh catalog file at path, with the
// deriva-ml and "demo" schemas, whose writes wait only briefly for another
// process's lock.
func sharedML(t *testing.T, path string) *derivaml.ML {
	t.Helper()
	s, err := local.Open(path, local.Options{BusyTimeout: 20 * time.Millisecond})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	ml := derivaml.New(s, "demo")
	require.NoError(t, ml.CreateMLSchema(context.Background()))
	require.NoError(t, ml.CreateDomainSchema(context.Background(), "test domain"))
	return ml
}

// lockAtStore takes the file's write lock, as another process's write
// does, for the duration of its write call number at (1-based).
type lockAtStore struct {
	catalog.Store
	t     *testing.T
	path  string
	at    int32
	calls atomic.Int32
}

func (s *lockAtStore) locked() func() {
	if s.calls.Add(1) == s.at {
		return localtest.HoldWriteLock(s.t, s.path)
	}
	return func() {}
}

func (s *lockAtStore) Insert(ctx context.Context, t catalog.TableRef, rows []catalog.Row, o catalog.InsertOptions) ([]catalog.Row, error) {
	defer s.locked()()
	return s.Store.Insert(ctx, t, rows, o)
}

func (s *lockAtStore) Update(ctx context.Context, t catalog.TableRef, u catalog.UpdateSpec, rows []catalog.Row) ([]catalog.Row, error) {
	defer s.locked()()
	return s.Store.Update(ctx, t, u, rows)
}

// A write the embedded catalog refused because another process held its
// lock was surely not applied: it is not read back as a lost answer would
// be, and keeps the Store's own fix ("try again") instead of one saying
// the answer was lost. What the call wrote before it is undone.
func TestLocalBusyWriteKeepsItsOwnFix(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "catalog.db")
	ml := sharedML(t, path)
	images := imageDomain(t, ml, 3)
	ds, err := ml.CreateDataset(ctx, derivaml.NewDataset{Types: []string{"Training"}})
	require.NoError(t, err)
	members := map[string][]string{"Image": images[:2]}

	for _, tc := range []struct {
		name string
		at   int32 // the write that meets the lock: 1 the member rows, 2 the dev version
	}{{"first write", 1}, {"after the member rows", 2}} {
		ls := &lockAtStore{Store: ml.Store(), t: t, path: path, at: tc.at}
		err := derivaml.New(ls, "demo").AddDatasetMembers(ctx, ds.RID, members, derivaml.MemberOptions{})
		require.ErrorIs(t, err, catalog.ErrUnavailable, tc.name)
		var unknown *derivaml.OutcomeUnknownError
		assert.False(t, errors.As(err, &unknown), "%s: %v", tc.name, err)
		assert.Equal(t, localBusyFix, catalog.Hint(err), "%s: %v", tc.name, err)
		if tc.at == 2 {
			assert.Regexp(t, `rolled back`, err.Error())
		}

		got, err := ml.ListMembers(ctx, ds.RID, "")
		require.NoError(t, err)
		assert.Empty(t, got["Image"], "%s: nothing of the refused call remains", tc.name)
		h, err := ml.DatasetHistory(ctx, ds.RID)
		require.NoError(t, err)
		assert.Len(t, h, 1, "%s: no dev version was made", tc.name)
	}
	require.NoError(t, ml.AddDatasetMembers(ctx, ds.RID, members, derivaml.MemberOptions{}), "retrying works")
}

// A long-lived ML sees a vocabulary another process (here another Store
// on the same file) created after it cached the model: the name is looked
// up again in a fresh model before it is reported missing. A name that
// is still missing says what to do.
func TestVocabularyMadeByAnotherProcessIsFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "catalog.db")
	wizard := sharedML(t, path)
	_, err := wizard.ListTerms(ctx, "Dataset_Type") // caches the model
	require.NoError(t, err)

	other, err := local.Open(path, local.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = other.Close() })
	trainer := derivaml.New(other, "demo")
	_, err = trainer.CreateVocabulary(ctx, "Species", "kinds of subject")
	require.NoError(t, err)
	_, err = trainer.AddTerm(ctx, "Species", "Homo sapiens", "Human", nil)
	require.NoError(t, err)

	terms, err := wizard.ListTerms(ctx, "Species")
	require.NoError(t, err)
	require.Len(t, terms, 1)
	assert.Equal(t, "Homo sapiens", terms[0].Name)
	mouse, err := wizard.AddTerm(ctx, "Species", "Mus musculus", "Mouse", nil)
	require.NoError(t, err)
	assert.NotEmpty(t, mouse.RID)

	_, err = wizard.ListTerms(ctx, "Nope")
	var missing *derivaml.TableNotFoundError
	require.True(t, errors.As(err, &missing), "%v", err)
	assert.EqualError(t, err, "Table Nope not found in the catalog model.")
	assert.Contains(t, catalog.Hint(err), "check the table's name")
}
