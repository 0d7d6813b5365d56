package ui

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/state"
)

func TestDescribeCatalog(t *testing.T) {
	t.Parallel()
	local := state.CatalogLocation{Kind: state.CatalogLocal, Path: "/x/catalog.db"}
	server := state.CatalogLocation{Kind: state.CatalogERMrest, Host: "https://h.org", CatalogID: "1"}
	assert.Equal(t, "local catalog", DescribeCatalog(local))
	assert.Equal(t, "https://h.org · catalog 1", DescribeCatalog(server))
	assert.Equal(t, "local catalog", DescribeCatalogInWords(local))
	assert.Equal(t, "https://h.org catalog 1", DescribeCatalogInWords(server), "no middle dot to be read out")
}
