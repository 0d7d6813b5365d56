package ermresttest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
)

func TestSessionsAndLogin(t *testing.T) {
	t.Parallel()
	who := catalog.Identity{ID: "https://auth.example.org/u1", DisplayName: "u1@example.org", Groups: []string{"g1"}}
	s, _ := fixture(t, Options{Users: map[string]User{"u1": {Password: "pw", Identity: who}}})
	form := []string{"Content-Type", "application/x-www-form-urlencoded"}
	a := do(t, s, "GET", "/ermrest/catalog/1", "", anonymous...)
	assert.Equal(t, 401, a.status)
	assert.Equal(t, "Access requires authentication. Detail: enumerate access on catalog/1\n", a.body)
	bad := do(t, s, "POST", "/authn/session", "username=u1&password=no", append(form, anonymous...)...)
	assert.Equal(t, 401, bad.status)
	ok := do(t, s, "POST", "/authn/session", "username=u1&password=pw", append(form, anonymous...)...)
	assert.Equal(t, 200, ok.status)
	cookie, _, _ := strings.Cut(ok.header.Get("Set-Cookie"), ";")
	assert.Len(t, cookie, 33, "webauthn=<24 characters>")
	sess := do(t, s, "GET", "/authn/session", "", "Cookie", cookie)
	assert.Equal(t, 200, sess.status)
	if !strings.HasPrefix(sess.body, `{"client": {"id": "https://auth.example.org/u1", "display_name": "u1@example.org"`) {
		t.Errorf("session %s", sess.body)
	}
	assert.Equal(t, 200, do(t, s, "GET", "/ermrest/catalog/1", "", "Cookie", cookie).status)
	again := do(t, s, "POST", "/authn/session", "username=u1&password=pw", append(form, "Cookie", cookie)...)
	assert.Equal(t, 409, again.status)
	// The database provider ignores bearer tokens: the caller stays anonymous.
	bearer := append([]string{"Authorization", "Bearer " + strings.TrimPrefix(cookie, "webauthn=")}, anonymous...)
	assert.Equal(t, 404, do(t, s, "GET", "/authn/session", "", bearer...).status)
	assert.Equal(t, 401, do(t, s, "GET", "/ermrest/catalog/1", "", bearer...).status, "capture catalog-bearer-cookieval")
}

// Like the captured server, the fake refuses anonymous callers with 401
// (captures catalog-get-anon, create-catalog-anon); AnonymousReads opens
// reads only. The service document stays open.
func TestAnonymousCallersGet401(t *testing.T) {
	t.Parallel()
	s, _ := fixture(t, Options{})
	assert.Equal(t, 200, do(t, s, "GET", "/ermrest/", "", anonymous...).status)
	for _, c := range []struct{ method, uri, body string }{
		{"GET", "/ermrest/catalog/1", ""},
		{"GET", "/ermrest/catalog/1/entity/cell-imaging:Image", ""},
		{"POST", "/ermrest/catalog/1/entity/cell-imaging:Stain?defaults=ID,URI", `[{"Name":"X","Description":"x"}]`},
		{"DELETE", "/ermrest/catalog/1/entity/cell-imaging:Image/Filename=a.png", ""},
	} {
		a := do(t, s, c.method, c.uri, c.body, anonymous...)
		assert.Equal(t, 401, a.status, "%s %s", c.method, c.uri)
		assert.Equal(t, "text/plain", a.ctype)
		assert.Equal(t, "Access requires authentication. Detail: enumerate access on catalog/1\n", a.body)
	}
	a := do(t, s, "GET", "/ermrest/catalog/9", "", anonymous...)
	assert.Equal(t, 404, a.status, "an unknown catalog is 404 before any access check")

	open, _ := fixture(t, Options{AnonymousReads: true})
	assert.Equal(t, 200, do(t, open, "GET", "/ermrest/catalog/1/entity/cell-imaging:Image", "", anonymous...).status)
	w := do(t, open, "POST", "/ermrest/catalog/1/entity/cell-imaging:Stain?defaults=ID,URI", `[{"Name":"X","Description":"x"}]`, anonymous...)
	assert.Equal(t, 401, w.status)
	assert.True(t, strings.HasPrefix(w.body, "Access requires authentication. Detail: "), w.body)
	n := do(t, open, "GET", "/ermrest/catalog/1/aggregate/cell-imaging:Stain/n:=cnt(*)", "")
	assert.Equal(t, "[{\"n\":3}]\n", n.body, "the anonymous insert changed nothing")
}

// The catalog document's rights say what the caller's writes would get:
// the owner (who may write) sees owner and create and the ACLs; an
// anonymous reader, a read-only client and any caller at a snapshot are
// refused writes, so see neither (reference ermrest.md §5.3).
func TestCatalogRightsMatchWhatWritesGet(t *testing.T) {
	t.Parallel()
	s, _ := fixture(t, Options{AnonymousReads: true})
	rights := func(a answer) (map[string]any, bool) {
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(a.body), &doc), a.body)
		r, _ := doc["rights"].(map[string]any)
		_, acls := doc["acls"]
		return r, acls
	}
	r, acls := rights(do(t, s, "GET", "/ermrest/catalog/1", ""))
	assert.Equal(t, map[string]any{"owner": true, "create": true}, r)
	assert.True(t, acls, "the owner sees the ACLs")
	r, acls = rights(do(t, s, "GET", "/ermrest/catalog/1", "", anonymous...))
	assert.Equal(t, map[string]any{"owner": false, "create": false}, r)
	assert.False(t, acls, "an anonymous reader sees no ACLs")
	snap := do(t, s, "GET", "/ermrest/catalog/1", "")
	var doc struct{ Snaptime string }
	require.NoError(t, json.Unmarshal([]byte(snap.body), &doc))
	r, _ = rights(do(t, s, "GET", "/ermrest/catalog/1@"+doc.Snaptime, ""))
	assert.Equal(t, map[string]any{"owner": false, "create": false}, r)

	ro, _ := fixture(t, Options{ReadOnly: []string{testUser.ID}})
	r, acls = rights(do(t, ro, "GET", "/ermrest/catalog/1", ""))
	assert.Equal(t, map[string]any{"owner": false, "create": false}, r)
	assert.False(t, acls)
}
