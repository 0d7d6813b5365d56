package ermresttest

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
)

// serviceDoc is GET /ermrest/ as the observed server answered it.
const serviceDoc = `{"version": "0.5.0", "features": {"trs": true, "tcrs": true, "history_control": true, ` +
	`"implicit_fkey_index": true, "catalog_post_input": true, "catalog_alias": true, "indexing_preferences": ` +
	`{"btree": true, "btree_column_list": true, "trgm": true, "gin_array": true}, "quantified_value_lists": true, ` +
	`"quantified_rid_lists": true, "rid_lease": true, "registry_catalog": true, "csv_array_json": true}}`

// call is one parsed ERMrest request with who sent it.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	rt    *route
	body  []byte
	who   catalog.Identity
	known bool
}

func (s *Server) serveERMrest(w http.ResponseWriter, r *http.Request, body []byte) {
	rt, err := parseURI(r.RequestURI)
	if err != nil {
		status, detail := statusOf(err)
		writeError(w, status, detail)
		return
	}
	who, known := s.caller(r)
	c := &call{w: w, r: r, rt: rt, body: body, who: who, known: known}
	if rt.service {
		if r.Method != http.MethodGet {
			writeError(w, http.StatusMethodNotAllowed, "")
			return
		}
		writeJSON(w, http.StatusOK, []byte(serviceDoc+"\n"))
		return
	}
	if rt.catalog != s.opts.CatalogID {
		writeError(w, http.StatusNotFound, "catalog "+rt.catalog)
		return
	}
	if !known && (r.Method != http.MethodGet || !s.opts.AnonymousReads) {
		detail := "enumerate access on catalog/" + rt.catalog
		if s.opts.AnonymousReads {
			// Not captured: the real detail names the right the write lacks.
			detail = "write access on catalog/" + rt.catalog
		}
		writeError(w, http.StatusUnauthorized, detail)
		return
	}
	if r.Method != http.MethodGet {
		if rt.snap != "" {
			writeError(w, http.StatusForbidden, "modification to catalog at previous revision")
			return
		}
		if known && s.readOnly(who.ID) {
			writeError(w, http.StatusForbidden, "write access on catalog/"+rt.catalog)
			return
		}
		s.write.Lock()
		defer s.write.Unlock()
		defer func() { _, _ = s.live(ctx(r)) }() // the snapshot this write made, if any
	}
	switch rt.api {
	case "":
		s.serveCatalog(c)
	case "schema":
		s.serveModel(c)
	case "entity_rid":
		s.serveRID(c)
	default:
		s.serveData(c)
	}
}

// fail answers err as ERMrest would.
func (c *call) fail(err error) {
	status, detail := statusOf(err)
	writeError(c.w, status, detail)
}

// preconditions applies If-Match and If-None-Match. It answers (and returns
// true) when they fail: 304 for a GET, 412 with the current ETag otherwise.
func (s *Server) preconditions(c *call, current string) bool {
	im, inm := c.r.Header.Get("If-Match"), c.r.Header.Get("If-None-Match")
	failed := im != "" && !etagMatches(im, current) || inm != "" && etagMatches(inm, current)
	if !failed {
		return false
	}
	c.w.Header().Set("ETag", current)
	if c.r.Method == http.MethodGet {
		c.w.WriteHeader(http.StatusNotModified)
		return true
	}
	writeError(c.w, http.StatusPreconditionFailed, "")
	return true
}

func (s *Server) serveCatalog(c *call) {
	if c.r.Method != http.MethodGet {
		writeError(c.w, http.StatusMethodNotAllowed, "")
		return
	}
	snap, version, err := s.catalogVersion(c)
	if err != nil {
		c.fail(err)
		return
	}
	current := etag(roles(c.who, c.known), "*", version)
	if s.preconditions(c, current) {
		return
	}
	// The rights say what this caller's writes would get: an anonymous or
	// read-only caller, or any at a snapshot, is refused, so is not the
	// owner and sees no ACLs (reference ermrest.md §5.3).
	owner := c.rt.snap == "" && c.known && !s.readOnly(c.who.ID)
	doc := pyJSON{
		{"snaptime", snap},
		{"annotations", pyJSON{}},
		{"rights", pyJSON{{"owner", owner}, {"create", owner}}},
		{"features", features},
	}
	if owner {
		// The captured owner's document lists the catalog ACLs; the fake
		// makes every logged-in caller the owner.
		none := []string{}
		doc = append(doc, pyField{"acls", pyJSON{{"enumerate", none}, {"write", none}, {"select", none},
			{"insert", none}, {"create", none}, {"update", none}, {"owner", []string{c.who.ID}}, {"delete", none}}})
	}
	doc = append(doc, pyJSON{
		{"id", c.rt.catalog},
		{"is_persistent", true},
	}...)
	b, _ := doc.MarshalJSON()
	c.w.Header().Set("ETag", current)
	writeJSON(c.w, http.StatusOK, append(b, '\n'))
}

var features = pyJSON{
	{"trs", true}, {"tcrs", true}, {"history_control", true}, {"implicit_fkey_index", true},
	{"catalog_post_input", true}, {"catalog_alias", true},
	{"indexing_preferences", pyJSON{{"btree", true}, {"btree_column_list", true}, {"trgm", true}, {"gin_array", true}}},
	{"quantified_value_lists", true}, {"quantified_rid_lists", true}, {"rid_lease", true},
	{"registry_catalog", true}, {"csv_array_json", true},
}

func (s *Server) serveRID(c *call) {
	if c.r.Method != http.MethodGet {
		writeError(c.w, http.StatusMethodNotAllowed, "")
		return
	}
	info, err := s.engine.ResolveRID(ctx(c.r), c.rt.rid, c.rt.snap)
	if err != nil {
		if status, _ := statusOf(err); status == http.StatusNotFound {
			writeError(c.w, http.StatusNotFound, "entity with RID="+c.rt.rid)
			return
		}
		c.fail(err)
		return
	}
	current := s.tag(c, false)
	if s.preconditions(c, current) {
		return
	}
	row := catalog.Row{"RID": info.RID, "schema_name": info.Table.Schema, "table_name": info.Table.Table}
	keys := []string{"RID", "schema_name", "table_name"}
	if info.Deleted() {
		row["deleted_at"] = info.DeletedAt
		row["last_visible_snaptime"] = info.LastVisibleSnaptime
		if t, err := catalog.SnaptimeTime(info.LastVisibleSnaptime); err == nil {
			row["last_visible_at"] = pyTime(t)
		}
		keys = append(keys, "deleted_at", "last_visible_at", "last_visible_snaptime")
	}
	body := rowsJSON([]catalog.Row{row}, untyped(keys...))
	c.w.Header().Set("ETag", current)
	writeJSON(c.w, http.StatusOK, append(body[1:len(body)-2], '\n')) // the object, not a list
}

// noSession is webauthn's answer to a session request without a session.
const noSession = "No existing login session found."

// serveSession is webauthn's /authn/session (reference ermrest.md §6.2).
func (s *Server) serveSession(w http.ResponseWriter, r *http.Request, body []byte) {
	who, known := s.caller(r)
	switch r.Method {
	case http.MethodGet, http.MethodPut:
		if !known {
			writeMessage(w, http.StatusNotFound, noSession)
			return
		}
		writeSession(w, who)
	case http.MethodDelete:
		if !known {
			writeMessage(w, http.StatusNotFound, noSession)
			return
		}
		b, _ := pyJSON{{"logout_url", "/"}}.MarshalJSON()
		writeJSON(w, http.StatusOK, append(b, '\n'))
	case http.MethodPost:
		if known {
			writeMessage(w, http.StatusConflict, "Login request conflicts with current client authentication state.")
			return
		}
		form, _ := url.ParseQuery(string(body))
		user, ok := s.opts.Users[form.Get("username")]
		if !ok || user.Password == "" || user.Password != form.Get("password") {
			writeError(w, http.StatusUnauthorized, "login failed")
			return
		}
		var raw [18]byte
		_, _ = rand.Read(raw[:])
		cookie := base64.RawURLEncoding.EncodeToString(raw[:]) // 24 characters, as webauthn's
		s.AddCookie(cookie, user.Identity)
		w.Header().Set("Set-Cookie", "webauthn="+cookie+"; Secure; Path=/")
		writeSession(w, user.Identity)
	default:
		writeError(w, http.StatusMethodNotAllowed, "")
	}
}

func writeSession(w http.ResponseWriter, who catalog.Identity) {
	name := who.DisplayName
	if name == "" {
		name = who.ID
	}
	client := pyJSON{{"id", who.ID}, {"display_name", name}}
	if who.FullName != "" {
		client = append(client, pyField{"full_name", who.FullName})
	}
	if who.Email != "" {
		client = append(client, pyField{"email", who.Email})
	}
	client = append(client, pyField{"identities", []string{who.ID}})
	attrs := []any{client}
	for _, g := range who.Groups {
		attrs = append(attrs, pyJSON{{"id", g}, {"display_name", g}})
	}
	now := time.Now()
	doc := pyJSON{{"client", client}, {"attributes", attrs}, {"since", pyTime(now)},
		{"expires", pyTime(now.Add(30 * time.Minute))}, {"seconds_remaining", 1800},
		{"vary_headers", []string{"cookie"}}, {"tracking", nil}}
	b, _ := doc.MarshalJSON()
	writeJSON(w, http.StatusOK, append(b, '\n'))
}
