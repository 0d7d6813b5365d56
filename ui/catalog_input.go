package ui

import (
	"strings"

	"github.com/cyclezero/cyclezero/state"
)

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

// minHostCells is the least of a server's host worth showing shortened in
// its middle ("deri…ple.org"); with less room the header keeps only
// "catalog ID".
const minHostCells = 12

// minShortCells is the least of a catalog id or a host's name worth
// showing after the text before it ("catalog ", "https://"): fewer cells,
// shortened in their middle, say too little to be worth the head.
const minShortCells = 8

// fitCatalog is DescribeCatalog in at most w cells. A server's host is
// shortened in its middle, as a path is, so that "· catalog ID", which
// says which catalog on it, stays: the id keeps all it can while leaving
// the host minHostCells, and at least half the room and minShortCells of
// the id (a very long alias is shortened in its middle too); a host that
// fits in what the id can spare stays whole, and cells the host does not
// use go to the id. With no room left for minHostCells of host the id alone is kept
// ("catalog 1").
func fitCatalog(c state.CatalogLocation, w int) string {
	full := DescribeCatalog(c)
	if displayWidth(full) <= w || c.Kind != state.CatalogERMrest {
		return truncate(full, w)
	}
	const label = "catalog "
	room := w - displayWidth(catalogSep) // for the host and the id
	idW := min(displayWidth(label+c.CatalogID), max(room-minHostCells, room/2, len(label)+minShortCells))
	if room-idW < minHostCells {
		return shortenAfter(label, c.CatalogID, w)
	}
	host := c.Host
	if host == "" {
		host = "(no host)"
	}
	// A short host stays whole when that still leaves the id its least
	// (the label and 8 cells); else it gets its share, and what it does
	// not use of it goes back to the id.
	h := host
	if room-displayWidth(host) < len(label)+minShortCells {
		h = shortenHost(host, room-idW)
	}
	return h + catalogSep + shortenAfter(label, c.CatalogID, room-displayWidth(h))
}

// shortenHost is a server's base URL in at most w cells, the name after
// the scheme shortened in its middle: the scheme stays whole while that
// leaves the name minShortCells, and goes first when it does not (the
// name alone, not the whole URL, is then shortened).
func shortenHost(host string, w int) string {
	scheme, name, ok := strings.Cut(host, "://")
	if !ok || displayWidth(host) <= w {
		return truncateMiddle(host, w)
	}
	head := scheme + "://"
	if w-displayWidth(head) < minShortCells {
		return truncateMiddle(name, w)
	}
	return keepHead(head, name, w, minShortCells)
}

// shortenAfter is head+s in at most w cells, s shortened in its middle
// and head kept whole when that leaves s minShortCells or more, else the
// whole shortened in its middle.
func shortenAfter(head, s string, w int) string {
	return keepHead(head, s, w, minShortCells)
}
