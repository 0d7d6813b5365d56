package derivaml_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

func TestNestingCyclesAreRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ml := newML(t)
	var ds []string
	for range 4 {
		d, err := ml.CreateDataset(ctx, derivaml.NewDataset{Description: "d"})
		require.NoError(t, err)
		ds = append(ds, d.RID)
	}
	a, b, c, d := ds[0], ds[1], ds[2], ds[3]
	nest := func(parent string, children ...string) error {
		return ml.AddDatasetMembers(ctx, parent, map[string][]string{"Dataset": children}, derivaml.MemberOptions{})
	}
	require.NoError(t, nest(a, b))
	require.NoError(t, nest(b, c))

	var cycle *derivaml.CycleError
	err := nest(b, a)
	require.True(t, errors.As(err, &cycle), "%v", err)
	assert.Equal(t, []string{b, a, b}, cycle.Nodes)
	assert.EqualError(t, err, "Creating cycle of datasets is not allowed: ['"+b+"', '"+a+"', '"+b+"'] (dataset "+a+
		" already contains "+b+", directly or through nested datasets, so "+b+" cannot contain "+a+")")

	err = ml.AddDatasetMemberRIDs(ctx, c, []string{d, a}, derivaml.MemberOptions{})
	require.True(t, errors.As(err, &cycle), "the RID form is checked too: %v", err)
	assert.Equal(t, []string{c, a, b, c}, cycle.Nodes)

	err = nest(a, a)
	require.True(t, errors.As(err, &cycle))
	assert.EqualError(t, err, "Creating cycle of datasets is not allowed: ['"+a+"', '"+a+"'] (dataset "+a+" cannot contain itself)")

	// Nothing was written by the refused calls; a diamond is no cycle.
	members, err := ml.ListMembers(ctx, c, "")
	require.NoError(t, err)
	assert.Empty(t, members["Dataset"])
	require.NoError(t, nest(a, c), "a dataset may be nested twice under the same ancestor")
	require.NoError(t, nest(d, a))
	err = nest(c, d)
	require.True(t, errors.As(err, &cycle))
	assert.Equal(t, []string{c, d, a, c}, cycle.Nodes, "the shortest way back is reported")
}
