package state

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// editedDoc is a good session document after a hand edit that sets the
// top-level key to the raw JSON value.
func editedDoc(t *testing.T, key, value string) []byte {
	t.Helper()
	s := sampleSession("m", "A", 0)
	s.SchemaVersion = SchemaVersion
	data, err := encode(s)
	require.NoError(t, err)
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &doc))
	doc[key] = json.RawMessage(value)
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

// A hand-edited session with values no backend or phase can use is damaged,
// named with its file and what is wrong, rather than opened as if fine.
func TestBadValuesAreDamaged(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, key, value, want string }{
		{"unknown kind", "catalog", `{"kind":"martian"}`, `its catalog kind "martian" is not one cyclezero knows`},
		{"no kind", "catalog", `{"host":"https://h","catalog_id":"1"}`, "it names no catalog"},
		{"no catalog", "catalog", `null`, "it names no catalog"},
		{"no host", "catalog", `{"kind":"ermrest","catalog_id":"1"}`, "its Deriva server has no host"},
		{"bare host", "catalog", `{"kind":"ermrest","host":"example.org","catalog_id":"1"}`,
			`its catalog host "example.org" is not a server URL`},
		{"ftp host", "catalog", `{"kind":"ermrest","host":"ftp://example.org","catalog_id":"1"}`, "is not a server URL"},
		{"host with path", "catalog", `{"kind":"ermrest","host":"https://example.org/ermrest","catalog_id":"1"}`, "is not a server URL"},
		{"host with user", "catalog", `{"kind":"ermrest","host":"https://me:pw@example.org","catalog_id":"1"}`, "is not a server URL"},
		{"no catalog id", "catalog", `{"kind":"ermrest","host":"https://example.org"}`, "its Deriva catalog has no id"},
		{"bad catalog id", "catalog", `{"kind":"ermrest","host":"https://example.org","catalog_id":"1/../2"}`,
			`its catalog id "1/../2" has '/'`},
		{"relative path", "catalog", `{"kind":"local","path":"catalog.sqlite"}`, `its local catalog path "catalog.sqlite" is not absolute`},
		{"bad phase", "current", `"Nonsense Phase"`, `its current phase "Nonsense Phase" is not a phase id`},
		{"phase path", "current", `"../tier1"`, "is not a phase id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			data := editedDoc(t, c.key, c.value)
			writeRaw(t, dir, "m", data)
			_, err := Load(dir, "m")
			d := mustDamaged(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.Contains(t, err.Error(), SessionPath(dir, "m"))
			assert.Contains(t, err.Error(), ".damaged && cyclezero new m", "the fix")
			assert.Equal(t, SessionPath(dir, "m"), d.Path)

			_, err = Open(dir, "m")
			mustDamaged(t, err)
			assert.Equal(t, string(data), string(readFile(t, SessionPath(dir, "m"))), "file after Open")

			list, err := List(dir)
			require.NoError(t, err)
			require.Len(t, list, 1)
			assert.ErrorContains(t, list[0].Err, c.want, "List reports it")
		})
	}
}

// Values sessions legitimately hold load.
func TestGoodValuesLoad(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, key, value string }{
		{"https host", "catalog", `{"kind":"ermrest","host":"https://deriva.example.org","catalog_id":"1"}`},
		{"local server", "catalog", `{"kind":"ermrest","host":"http://127.0.0.1:8080","catalog_id":"my_alias-2"}`},
		{"trailing slash", "catalog", `{"kind":"ermrest","host":"https://example.org/","catalog_id":"1"}`},
		// A catalog file outside the state dir: a person may point a
		// session at another file, and the state dir can move.
		{"local elsewhere", "catalog", `{"kind":"local","path":"/srv/catalogs/shared.sqlite"}`},
		{"no current phase", "current", `""`},
		// Only the shape is checked here; package steps knows the phases.
		{"unknown phase of the right shape", "current", `"nonsense-phase"`},
	}
	for _, c := range cases {
		dir := t.TempDir()
		writeRaw(t, dir, "m", editedDoc(t, c.key, c.value))
		_, err := Load(dir, "m")
		assert.NoError(t, err, c.name)
	}
}

// cyclezero never writes a session it would refuse to load.
func TestCreateAndSaveRefuseBadValues(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := sampleSession("m", "A", 0)
	bad.Catalog = CatalogLocation{Kind: "martian"}
	_, err := Create(dir, bad)
	require.ErrorContains(t, err, `create session "m": its catalog kind "martian"`)
	assert.False(t, exists(SessionPath(dir, "m")), "a refused session was written")

	h, err := Create(dir, sampleSession("m", "A", 0))
	require.NoError(t, err)
	defer func() { require.NoError(t, h.Close()) }()
	before := readFile(t, SessionPath(dir, "m"))
	s := h.Session()
	s.Current = "Tier 1"
	err = h.Save(s)
	require.ErrorContains(t, err, `its current phase "Tier 1" is not a phase id`)
	assert.ErrorContains(t, err, "nothing was saved")
	assert.Equal(t, string(before), string(readFile(t, SessionPath(dir, "m"))), "file after a refused save")
}
