package localtest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
)

func TestOpenIsFreshUsesOptionsAndClosesWhenTheTestEnds(t *testing.T) {
	t.Parallel()
	who := catalog.Identity{ID: "someone"}
	var s, other *local.Store
	t.Run("open", func(t *testing.T) {
		s = localtest.Open(t, local.Options{Client: who})
		other = localtest.Open(t, local.Options{})
		got, err := s.Whoami(t.Context())
		require.NoError(t, err)
		assert.Equal(t, who, got, "the options are used")
		assert.NotEqual(t, s.Describe(), other.Describe(), "each store is its own file")
		assert.True(t, strings.HasSuffix(s.Describe(), "catalog.db"), s.Describe())
		_, err = s.Snapshot(t.Context())
		require.NoError(t, err, "open while the test runs")
	})
	_, err := s.Snapshot(t.Context())
	assert.Error(t, err, "closed when the test that opened it ended")
}
