package ui

import "github.com/cyclezero/cyclezero/state"

// catalogSep parts a server's host from its catalog id in DescribeCatalog.
const catalogSep = " · "

// DescribeCatalog says where a catalog is, in a few words for a header:
// "local catalog" or "https://host · catalog 1".
func DescribeCatalog(c state.CatalogLocation) string {
	return describeCatalog(c, catalogSep)
}

// DescribeCatalogInWords is DescribeCatalog for plain text and reading
// aloud, with no middle dot for a screen reader to name: "local catalog"
// or "https://host catalog 1", the words the ERMrest client's Describe
// uses, so every command and screen names a catalog alike.
func DescribeCatalogInWords(c state.CatalogLocation) string {
	return describeCatalog(c, " ")
}

func describeCatalog(c state.CatalogLocation, sep string) string {
	switch c.Kind {
	case state.CatalogERMrest:
		host := c.Host
		if host == "" {
			host = "(no host)"
		}
		return host + sep + "catalog " + c.CatalogID
	case state.CatalogLocal, "":
		return "local catalog"
	}
	return string(c.Kind) + " catalog"
}
