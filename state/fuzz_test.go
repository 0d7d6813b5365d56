package state

import (
	"bytes"
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
		again, _, err := decode(enc, s.Slug)
		if err != nil {
			t.Fatalf("re-decoding a saved session: %v\n%s", err, enc)
		}
		enc2, err := encode(again)
		if err != nil || !bytes.Equal(enc, enc2) {
			t.Fatalf("save/load is not stable: %v\n%s\n---\n%s", err, enc, enc2)
		}
	})
}
