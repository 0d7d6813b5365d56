package state

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
)

// MaxCatalogIDLen is the longest catalog id or alias a session may name.
const MaxCatalogIDLen = 128

// checkCatalog rejects a catalog location no backend can open: an unknown
// kind, a Deriva server without a usable host URL or catalog id, or an
// embedded catalog without an absolute file path. It checks the shape only;
// whether the server answers or the file exists is for package steps to say
// when it opens the catalog.
//
// A local path may lie outside the state dir: a session's own catalog
// (sessions/<slug>/catalog.sqlite) is stored without a path and resolved on
// load (see CatalogLocation.Path), but a person may point one at another
// catalog file by hand. That path must be absolute, since a relative one
// would depend on where cyclezero happens to run.
func checkCatalog(c CatalogLocation) error {
	switch c.Kind {
	case CatalogLocal:
		switch {
		case c.Path == "":
			return errors.New(`its local catalog names no file ("catalog"."path" is empty)`)
		case !filepath.IsAbs(c.Path):
			return fmt.Errorf("its local catalog path %q is not absolute", c.Path)
		}
	case CatalogERMrest:
		if err := checkHost(c.Host); err != nil {
			return err
		}
		if err := checkCatalogID(c.CatalogID); err != nil {
			return err
		}
	case "":
		return fmt.Errorf(`it names no catalog ("catalog"."kind" is missing; want %q or %q)`, CatalogLocal, CatalogERMrest)
	default:
		return fmt.Errorf("its catalog kind %q is not one cyclezero knows (%q or %q)", c.Kind, CatalogLocal, CatalogERMrest)
	}
	return nil
}

// checkHost accepts the server URLs sessions record: http or https, a
// server name, an optional port, and nothing after it. Which of these the
// server client accepts (plain http only to this machine) is its to say.
func checkHost(host string) error {
	if host == "" {
		return errors.New(`its Deriva server has no host ("catalog"."host" is empty)`)
	}
	u, err := url.Parse(host)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return fmt.Errorf("its catalog host %q is not a server URL like https://deriva.example.org", host)
	}
	return nil
}

// checkCatalogID accepts a catalog number or alias: letters, digits, '_'
// and '-', as the server client does.
func checkCatalogID(id string) error {
	if id == "" {
		return errors.New(`its Deriva catalog has no id ("catalog"."catalog_id" is empty)`)
	}
	if len(id) > MaxCatalogIDLen {
		return fmt.Errorf("its catalog id %.20q… is too long (at most %d bytes)", id, MaxCatalogIDLen)
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return fmt.Errorf("its catalog id %q has %q; an id is digits (like 1) or an alias of letters, digits, _ and -", id, c)
		}
	}
	return nil
}

// checkPhaseID accepts the shape of a phase id: lower-case letters and
// digits joined by single dashes, like "dev-dataset". Package state does not
// know the phases (package steps defines them), so an id of the right shape
// that no phase has is for steps to handle.
func checkPhaseID(id string) error {
	if ValidateSlug(id) != nil {
		return fmt.Errorf(`its current phase %q is not a phase id (lower-case letters and digits joined by single dashes, like "dev-dataset")`, id)
	}
	return nil
}
