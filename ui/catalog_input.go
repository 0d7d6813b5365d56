package ui

import "github.com/cyclezero/cyclezero/state"

// DescribeCatalog says where a catalog is, in a few words for a header:
// "local catalog" or "https://host · catalog 1".
func DescribeCatalog(c state.CatalogLocation) string {
	switch c.Kind {
	case state.CatalogERMrest:
		host := c.Host
		if host == "" {
			host = "(no host)"
		}
		return host + " · catalog " + c.CatalogID
	case state.CatalogLocal, "":
		return "local catalog"
	}
	return string(c.Kind) + " catalog"
}
