package ermrest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
)

// collatedServer answers keyset reads of table s:T (whole rows holding only
// a RID) ordering RIDs as a database collation that ignores punctuation
// does (en_US.UTF-8 compares "1-ZZ" as "1ZZ", after "10"; bytes put it
// before). It logs each request's RID list and @after value.
type collatedServer struct {
	rids []string
	mu   sync.Mutex
	log  []pageRequest
}

type pageRequest struct {
	list  string // the RID=any(...) list as sent
	after string // "" on a chunk's first page
	rows  []string
}

var pageURL = regexp.MustCompile(`^/ermrest/catalog/1/entity/s:T/RID=(?:any\(([^)]*)\)|([^@/]*))@sort\(RID\)(?:@after\(([^)]*)\))?$`)

func collationKey(rid string) string { return strings.ReplaceAll(rid, "-", "") + "\x00" + rid }

func (s *collatedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path, query, _ := strings.Cut(r.RequestURI, "?")
	if path == "/ermrest/catalog/1/schema" {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"schemas":{}}`))
		return
	}
	m := pageURL.FindStringSubmatch(path)
	limit, err := strconv.Atoi(strings.TrimPrefix(query, "limit="))
	if m == nil || err != nil {
		http.Error(w, "Request malformed. Detail: unexpected "+r.RequestURI, http.StatusBadRequest)
		return
	}
	list := m[1] + m[2]
	want := strings.Split(list, ",")
	var rows []string
	for _, rid := range s.rids {
		if slices.Contains(want, rid) && (m[3] == "" || collationKey(rid) > collationKey(m[3])) {
			rows = append(rows, rid)
		}
	}
	slices.SortFunc(rows, func(a, b string) int { return strings.Compare(collationKey(a), collationKey(b)) })
	rows = rows[:min(limit, len(rows))]
	s.mu.Lock()
	s.log = append(s.log, pageRequest{list: list, after: m[3], rows: rows})
	s.mu.Unlock()
	out := make([]map[string]any, len(rows))
	for i, rid := range rows {
		out[i] = map[string]any{"RID": rid}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// QueryAll over an any(...) list split into several requests pages each
// request on its own, after the last RID the server sent for it: a server
// whose collation orders RIDs unlike bytes skips no row.
func TestQueryAllPagesEachChunkOnItsOwn(t *testing.T) {
	t.Parallel()
	var rids []any
	s := &collatedServer{}
	for i := range 12 {
		for _, rid := range []string{fmt.Sprintf("1%d", i), fmt.Sprintf("1-Z%c", 'A'+i)} {
			s.rids = append(s.rids, rid)
			rids = append(rids, rid)
		}
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: t.TempDir(), MaxURLBytes: 130})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })

	var got []string
	var sizes []int
	err = catalog.QueryAll(t.Context(), c, catalog.Query{Table: catalog.TableRef{Schema: "s", Table: "T"},
		Where: catalog.AnyOf{Column: "RID", Values: rids}}, 5, func(rows []catalog.Row) error {
		sizes = append(sizes, len(rows))
		for _, r := range rows {
			got = append(got, r.RID())
		}
		return nil
	})
	require.NoError(t, err)
	assert.ElementsMatch(t, s.rids, got, "every row once")
	assert.Equal(t, []int{5, 5, 5, 5, 4}, sizes, "full pages across chunks, the last one shorter")

	lists := map[string]bool{}
	last := map[string]string{} // chunk list → last RID the server sent for it
	for _, p := range s.log {
		lists[p.list] = true
		assert.Equal(t, last[p.list], p.after, "a chunk continues after its own last RID, never another chunk's")
		if len(p.rows) > 0 {
			last[p.list] = p.rows[len(p.rows)-1]
		}
	}
	assert.Greater(t, len(lists), 1, "the list was split into several requests")
}

// The chunks of a list split for paging by RID leave room for @after: with
// a URL bound the whole list barely fits on its own, every request of a
// read spanning several pages still fits.
func TestQueryAllPagesFitTheURLBound(t *testing.T) {
	t.Parallel()
	s := &collatedServer{}
	var rids []any
	for i := range 12 {
		rid := fmt.Sprintf("1-A%02d", i)
		s.rids = append(s.rids, rid)
		rids = append(rids, rid)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	q := catalog.Query{Table: catalog.TableRef{Schema: "s", Table: "T"}, Where: catalog.AnyOf{Column: "RID", Values: rids}}
	read := func(maxURL int) (urls []string, got []string) {
		var mu sync.Mutex
		c, err := ermrest.New(srv.URL, "1", ermrest.Options{HomeDir: t.TempDir(), MaxURLBytes: maxURL,
			Observe: func(a ermrest.Attempt) {
				mu.Lock()
				defer mu.Unlock()
				if strings.Contains(a.URL, "/entity/") {
					urls = append(urls, a.URL)
				}
			}})
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		err = catalog.QueryAll(t.Context(), c, q, 5, func(rows []catalog.Row) error {
			for _, r := range rows {
				got = append(got, r.RID())
			}
			return nil
		})
		require.NoError(t, err)
		return urls, got
	}

	urls, _ := read(10000)
	require.NotEmpty(t, urls)
	require.NotContains(t, urls[0], "@after", "the first request of a read")
	bound := len(urls[0]) + 2 // the list fits, the list and an @after(RID) do not
	urls, got := read(bound)
	assert.ElementsMatch(t, s.rids, got, "every row once")
	assert.Greater(t, len(urls), 3, "several pages")
	for _, u := range urls {
		assert.LessOrEqual(t, len(u), bound, "request %s", u)
	}
}
