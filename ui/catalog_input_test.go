package ui

import (
	"testing"

	"github.com/cyclezero/cyclezero/state"
)

func TestDescribeCatalog(t *testing.T) {
	t.Parallel()
	eq(t, "local catalog", DescribeCatalog(state.CatalogLocation{Kind: state.CatalogLocal, Path: "/x/catalog.db"}))
	eq(t, "https://h.org · catalog 1", DescribeCatalog(state.CatalogLocation{Kind: state.CatalogERMrest, Host: "https://h.org", CatalogID: "1"}))
}
