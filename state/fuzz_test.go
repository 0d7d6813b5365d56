package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the decoder Load uses. It must never
// panic, and must give either a usable session or a *DamagedError /
// *NewerSchemaError naming the file. A session it accepts must survive a
// save and load unchanged.
func FuzzLoad(f *testing.F) {
	good, err := encode(sampleSession("m", "A", 2))
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range [][]byte{
		good, good[:len(good)/3], []byte(v0Doc), []byte(`{"schema_version":2,"slug":"m"}`),
		[]byte(`{"slug":"m","phase":"x","host":"h","catalog_id":"1"}`), []byte(`null`), []byte(`[]`),
		[]byte(`{"slug":"m","schema_version":1,"created_at":"0000-01-01T00:00:00-23:59"}`),
		[]byte(`{"slug":"m","dev_dataset":{"seed":1e400}}`), {},
		[]byte(`{"schema_version":1,"slug":"m","notes":"keep","CURRENT":"tier1","x":{"y":[1.50,null]}}`),
		append([]byte("\xef\xbb\xbf"), good...),
	} {
		f.Add(seed)
	}
	path := filepath.Join(f.TempDir(), "sessions", "m.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		s, from, err := decodeFile(path, "", "", data)
		if err != nil {
			var damaged *DamagedError
			var newer *NewerSchemaError
			switch {
			case errors.As(err, &damaged):
				if damaged.Path != path || !strings.Contains(err.Error(), path) {
					t.Fatalf("damaged error does not name the file: %v", err)
				}
			case errors.As(err, &newer):
				if newer.Version <= SchemaVersion || from != newer.Version {
					t.Fatalf("newer-schema error for version %d (from %d)", newer.Version, from)
				}
			default:
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if s == nil || s.SchemaVersion != SchemaVersion || ValidateSlug(s.Slug) != nil || from > SchemaVersion {
			t.Fatalf("accepted an unusable session: %+v (from %d)", s, from)
		}
		// Saving what was loaded and loading it again changes nothing. A
		// session some field of which cannot be encoded (a year outside
		// 0-9999 after a time-zone shift) fails to save with an error,
		// which is fine.
		enc, err := encode(s)
		if err != nil {
			return
		}
		again, _, err := decode(enc, s.Slug, "")
		if err != nil {
			t.Fatalf("re-decoding a saved session: %v\n%s", err, enc)
		}
		enc2, err := encode(again)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("save/load is not stable: %v\n%s\n---\n%s", err, enc, enc2)
		}
		if from == SchemaVersion {
			checkUnknownKept(t, data, enc)
		}
	})
}

// checkUnknownKept fails unless every top-level key of the document in that
// no Session field takes is in saved with the same value, once.
func checkUnknownKept(t *testing.T, in, saved []byte) {
	t.Helper()
	var before, after map[string]json.RawMessage
	in = bytes.TrimPrefix(in, utf8BOM)
	if json.Unmarshal(in, &before) != nil || json.Unmarshal(saved, &after) != nil {
		t.Fatalf("a loaded or saved document is not a JSON object:\n%s\n---\n%s", in, saved)
	}
	for k, v := range before {
		if isKnownKey(k) {
			continue
		}
		var want, got bytes.Buffer
		if json.Compact(&want, v) != nil || json.Compact(&got, after[k]) != nil || !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Fatalf("unknown key %q: saved %s, want %s", k, after[k], v)
		}
	}
	var keys []string
	dec := json.NewDecoder(bytes.NewReader(saved))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		k := tok.(string)
		for _, seen := range keys {
			if strings.EqualFold(seen, k) {
				t.Fatalf("key %q written twice (as %q too):\n%s", k, seen, saved)
			}
		}
		keys = append(keys, k)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
}
