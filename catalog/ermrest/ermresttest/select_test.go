package ermresttest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/catalog"
)

// A table in SelectRefused answers every data read with ERMrest's
// refusal of its select right (403, or 401 to an anonymous caller); the
// model still lists it, and the other tables read as before.
func TestSelectRefused(t *testing.T) {
	t.Parallel()
	image := catalog.TableRef{Schema: "cell-imaging", Table: "Image"}
	s, _ := fixture(t, Options{SelectRefused: []catalog.TableRef{image}, AnonymousReads: true})
	for _, uri := range []string{
		"/ermrest/catalog/1/entity/cell-imaging:Image",
		"/ermrest/catalog/1/aggregate/cell-imaging:Image/n:=cnt(*)",
		"/ermrest/catalog/1/attributegroup/Image/Stain;n:=cnt(*)",
		"/ermrest/catalog/1/attribute/A:=cell-imaging:Image/Filename=a.png/RID",
	} {
		a := do(t, s, http.MethodGet, uri, "")
		assert.Equal(t, http.StatusForbidden, a.status, uri)
		assert.Equal(t, "text/plain", a.ctype, uri)
		assert.Equal(t, "Access forbidden. Detail: select access on :cell-imaging:Image\n", a.body, uri)
	}
	a := do(t, s, http.MethodGet, "/ermrest/catalog/1/entity/cell-imaging:Image", "", anonymous...)
	assert.Equal(t, http.StatusUnauthorized, a.status)
	assert.Equal(t, "Access requires authentication. Detail: select access on :cell-imaging:Image\n", a.body)

	assert.Equal(t, http.StatusOK, do(t, s, http.MethodGet, "/ermrest/catalog/1/aggregate/cell-imaging:Stain/n:=cnt(*)", "").status)
	assert.Equal(t, http.StatusOK, do(t, s, http.MethodGet, "/ermrest/catalog/1/schema/cell-imaging/table/Image", "").status)
}

func TestPyQuote(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "cell-imaging", pyQuote("cell-imaging"))
	assert.Equal(t, "a%20b%3Ac%2Bd/e_f.g", pyQuote("a b:c+d/e_f.g"))
	assert.Equal(t, "%C3%A9", pyQuote("é"))
}
