package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/state"
)

func TestDescribeCatalog(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "local catalog", DescribeCatalog(state.CatalogLocation{Kind: state.CatalogLocal, Path: "/x/catalog.db"}))
	assert.Equal(t, "https://h.org · catalog 1", DescribeCatalog(state.CatalogLocation{Kind: state.CatalogERMrest, Host: "https://h.org", CatalogID: "1"}))
}
