package state

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withKeys returns the encoding of s with raw members added at the top
// level, as a newer build or a hand edit would leave it.
func withKeys(t *testing.T, s *Session, members string) []byte {
	t.Helper()
	s.SchemaVersion = SchemaVersion
	data, err := encode(s)
	require.NoError(t, err)
	text := strings.TrimRight(string(data), "\n")
	return []byte(strings.TrimSuffix(text, "}") + "," + members + "}\n")
}

// topLevel decodes a document's top-level members, keeping values raw.
func topLevel(t *testing.T, data []byte) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &m))
	return m
}

// Opening and saving a session keeps the keys this build does not know, in
// the file and, after the next save, in the backup too.
func TestUnknownKeysSurviveSaves(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	members := `"notes":"keep me","zz_future":{"b":[1,2.50,9007199254740993],"a":null},"a_flag":true`
	writeRaw(t, dir, "m", withKeys(t, sampleSession("m", "A", 1), members))

	h, err := Open(dir, "m")
	require.NoError(t, err)
	s := h.Session()
	s.Current = "tier3"
	require.NoError(t, h.Save(s))
	require.NoError(t, h.Save(h.Session()))
	require.NoError(t, h.Close())

	for _, path := range []string{SessionPath(dir, "m"), BackupPath(dir, "m")} {
		got := topLevel(t, readFile(t, path))
		assert.JSONEq(t, `"keep me"`, string(got["notes"]), path)
		assert.JSONEq(t, `true`, string(got["a_flag"]), path)
		// Numbers keep their digits (no float64 round trip) and key order.
		assert.Contains(t, string(readFile(t, path)), `"b": [`+"\n      1,\n      2.50,\n      9007199254740993", path)
		assert.JSONEq(t, `{"b":[1,2.50,9007199254740993],"a":null}`, string(got["zz_future"]), path)
	}
	loaded, err := Load(dir, "m")
	require.NoError(t, err)
	assert.Equal(t, "tier3", loaded.Current, "a known field still saves")

	// Unknown keys follow the known ones, sorted, so saves are stable.
	text := string(readFile(t, SessionPath(dir, "m")))
	iVerdicts, iFlag, iNotes, iFuture := strings.Index(text, `"verdicts"`), strings.Index(text, `"a_flag"`),
		strings.Index(text, `"notes"`), strings.Index(text, `"zz_future"`)
	assert.True(t, iVerdicts < iFlag && iFlag < iNotes && iNotes < iFuture, "order of keys:\n%s", text)
}

// A key encoding/json reads into a known field, whatever its case, is not
// kept beside it: the next save would write both, and the load after it
// would read the stale one.
func TestKnownKeyNotDuplicated(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeRaw(t, dir, "m", withKeys(t, sampleSession("m", "A", 0), `"CURRENT":"specify","Repo_Root":"/elsewhere"`))
	h, err := Open(dir, "m")
	require.NoError(t, err)
	s := h.Session()
	assert.Equal(t, "specify", s.Current, "a key in another case sets the field")
	assert.Empty(t, s.extra, "known keys kept as unknown")
	s.Current = "tier1"
	require.NoError(t, h.Save(s))
	require.NoError(t, h.Close())

	data := readFile(t, SessionPath(dir, "m"))
	got := topLevel(t, data)
	assert.NotContains(t, got, "CURRENT")
	assert.NotContains(t, got, "Repo_Root")
	assert.Equal(t, 1, strings.Count(strings.ToLower(string(data)), `"current"`), "current written once:\n%s", data)
	loaded, err := Load(dir, "m")
	require.NoError(t, err)
	assert.Equal(t, "tier1", loaded.Current)
	assert.Equal(t, "/elsewhere", loaded.RepoRoot)
}

// A session without unknown keys is written exactly as before they were kept.
func TestNoUnknownKeysSameEncoding(t *testing.T) {
	t.Parallel()
	s := sampleSession("m", "A", 2)
	want, err := json.MarshalIndent(s, "", "  ")
	require.NoError(t, err)
	got, err := encode(s)
	require.NoError(t, err)
	assert.Equal(t, string(want)+"\n", string(got))
}

// Save keeps the unknown keys when given a session built afresh rather than
// the loaded one; a migrated document keeps them too.
func TestUnknownKeysKeptAcrossFreshSessionAndMigration(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeRaw(t, dir, "m", withKeys(t, sampleSession("m", "A", 0), `"notes":"keep me"`))
	h, err := Open(dir, "m")
	require.NoError(t, err)
	fresh := sampleSession("m", "B", 0)
	require.NoError(t, h.Save(fresh))
	require.NoError(t, h.Close())
	assert.JSONEq(t, `"keep me"`, string(topLevel(t, readFile(t, SessionPath(dir, "m")))["notes"]))

	v0 := strings.Replace(v0Doc, `"slug": "m",`, `"slug": "m", "notes": "from v0",`, 1)
	s, from, err := decode([]byte(v0), "m", "")
	require.NoError(t, err)
	assert.Equal(t, 0, from)
	enc, err := encode(s)
	require.NoError(t, err)
	got := topLevel(t, enc)
	assert.JSONEq(t, `"from v0"`, string(got["notes"]))
	for _, legacy := range []string{"phase", "host", "catalog_id"} {
		assert.NotContains(t, got, legacy, "a migrated-away v0 key kept as unknown")
	}
}

// unknownKeys' walk over the bytes finds the same members, with the same
// values, as decoding the whole object into a map does, whatever the
// strings and nesting hold.
func TestUnknownKeysMatchesMapDecode(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{
		`{}`, ` { } `, `{"slug":"m"}`,
		`{"a":1,"b":"x"}`,
		" {\n \"a\" : [1, {\"b\":\"}]\"}] ,\t\"c\":{\"d\":{}} }\n",
		`{"q\"uote":"a\\","brace{":"x,y:z","e":"\"}"}`,
		`{"\u0063urrent":"tier1","CURRENT":"x","notes":null,"dup":1,"dup":2}`,
		`{"slug":"m","runs":[{"id":"a,b"},[[]],"]"],"zz":true}`,
	} {
		var all map[string]json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(doc), &all), doc)
		var want map[string]json.RawMessage
		for k, v := range all {
			if !isKnownKey(k) {
				if want == nil {
					want = map[string]json.RawMessage{}
				}
				want[k] = v
			}
		}
		got, err := unknownKeys([]byte(doc))
		require.NoError(t, err, doc)
		assert.Equal(t, want, got, doc)
	}
	_, err := unknownKeys([]byte(`[1]`))
	assert.Error(t, err, "an array is not an object")
}
