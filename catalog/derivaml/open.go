package derivaml

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// Open returns a DerivaML view of an existing DerivaML catalog. With
// domainSchema "" it picks the catalog's only domain schema (DerivaML's
// default_schema rule), and fails when there are none or several.
func Open(ctx context.Context, store catalog.Store, domainSchema string) (*ML, error) {
	model, err := store.Model(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("open DerivaML catalog %s: %w", store.Describe(), err)
	}
	if model.Schemas[MLSchema] == nil {
		return nil, fmt.Errorf("%s has no %s schema: it is not a DerivaML catalog (create one with CreateMLSchema)",
			store.Describe(), MLSchema)
	}
	if domainSchema == "" {
		domains := DomainSchemas(model)
		switch len(domains) {
		case 0:
			return nil, fmt.Errorf("%s has no domain schema: name the one to create", store.Describe())
		case 1:
			domainSchema = domains[0]
		default:
			return nil, fmt.Errorf("%s has several domain schemas (%s): name the one to use",
				store.Describe(), strings.Join(domains, ", "))
		}
	}
	m := New(store, domainSchema)
	m.model = model
	return m, nil
}

// DomainSchemas lists a model's domain schemas: all but deriva-ml and the
// system schemas public, www and WWW.
func DomainSchemas(model *catalog.Model) []string {
	var out []string
	for name := range model.Schemas {
		if isDomainSchema(name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
