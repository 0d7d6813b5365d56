package local_test

import (
	"testing"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/catalog/local/localtest"
	"github.com/cyclezero/cyclezero/catalog/storetest"
)

func TestContract(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) catalog.Store {
		return localtest.Open(t, local.Options{Client: catalog.Identity{ID: "testuser", DisplayName: "Test User"}})
	})
}
