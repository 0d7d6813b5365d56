package state

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDamagedFile(t *testing.T) {
	t.Parallel()
	good := sampleSession("m", "A", 2)
	goodBytes, err := encode(good)
	require.NoError(t, err)
	cases := map[string][]byte{
		"empty":         {},
		"truncated":     goodBytes[:len(goodBytes)/2],
		"bad json":      []byte(`{"slug": "m",, }`),
		"array":         []byte(`[1, 2]`),
		"null":          []byte(`null`),
		"wrong type":    []byte(`{"schema_version": 1, "slug": "m", "runs": "many"}`),
		"no slug":       []byte(`{"schema_version": 1}`),
		"other slug":    []byte(`{"schema_version": 1, "slug": "n"}`),
		"bad slug":      []byte(`{"schema_version": 1, "slug": "../m"}`),
		"bad version":   []byte(`{"schema_version": "1", "slug": "m"}`),
		"neg version":   []byte(`{"schema_version": -1, "slug": "m"}`),
		"two docs":      append(append([]byte{}, goodBytes...), goodBytes...),
		"trailing junk": append(append([]byte{}, goodBytes...), "x"...),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, withBackup := range []bool{false, true} {
				dir := t.TempDir()
				path, bak := SessionPath(dir, "m"), BackupPath(dir, "m")
				writeRaw(t, dir, "m", data)
				if withBackup {
					require.NoError(t, os.WriteFile(bak, goodBytes, fileMode))
				}

				_, err := Load(dir, "m")
				d := mustDamaged(t, err)
				assert.Equal(t, path, d.Path, "DamagedError.Path")
				assert.Contains(t, err.Error(), path)
				if withBackup {
					assert.Equal(t, bak, d.Backup, "DamagedError.Backup")
					assert.Contains(t, err.Error(), "restore it with: cp "+bak+" "+path)
				} else {
					assert.Empty(t, d.Backup, "DamagedError.Backup without a backup")
					assert.Contains(t, err.Error(), "no good backup")
					assert.Contains(t, err.Error(), "&& cyclezero new m")
					assert.Equal(t, "m", d.Slug, "DamagedError.Slug")
				}
				assert.True(t, d.Unwrap() != nil, "DamagedError wraps no cause")

				// Open reports the same, writes nothing and releases the lock.
				_, err = Open(dir, "m")
				mustDamaged(t, err)
				assert.Equal(t, string(data), string(readFile(t, path)), "damaged file after Open")
				if withBackup {
					assert.Equal(t, string(goodBytes), string(readFile(t, bak)), "backup after Open")
				}
				fl, _, err := tryLock(LockPath(dir, "m"))
				require.NoError(t, err)
				assert.True(t, fl != nil, "a failed Open kept the lock")
				if fl != nil {
					require.NoError(t, unlock(fl))
				}

				// Following the advice recovers the session.
				if withBackup {
					require.NoError(t, os.WriteFile(path, readFile(t, bak), fileMode))
					s, err := Load(dir, "m")
					require.NoError(t, err)
					assert.True(t, sameContent(s, good), "restored session differs")
				}
			}
		})
	}
}

// A backup that is itself damaged is not offered as the last good copy.
func TestDamagedBackupNotOffered(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeRaw(t, dir, "m", []byte("{"))
	require.NoError(t, os.WriteFile(BackupPath(dir, "m"), []byte("also {"), fileMode))
	_, err := Load(dir, "m")
	d := mustDamaged(t, err)
	assert.Empty(t, d.Backup, "Backup when the backup is damaged too")
	assert.Contains(t, err.Error(), "empty or truncated")
}

func TestDamagedMessageQuotesPaths(t *testing.T) {
	t.Parallel()
	d := &DamagedError{Path: "/a b/m.json", Backup: "/a b/m.json.bak", Err: errors.New("boom")}
	assert.Contains(t, d.Error(), `cp '/a b/m.json.bak' '/a b/m.json'`)
	d.Backup = ""
	assert.Contains(t, d.Error(), `mv '/a b/m.json' '/a b/m.json.damaged'`)
	assert.True(t, strings.HasSuffix(d.Error(), ".damaged' && cyclezero new"), "without a slug: %s", d.Error())
	d.Slug = "m"
	assert.True(t, strings.HasSuffix(d.Error(), ".damaged' && cyclezero new m"), "with the slug: %s", d.Error())
	d.StartOverCommand = "go run ./cmd/cyclezero -C /r new m"
	assert.True(t, strings.HasSuffix(d.Error(), ".damaged' && go run ./cmd/cyclezero -C /r new m"),
		"the caller's spelling: %s", d.Error())
	assert.Equal(t, `'it'\''s'`, ShellQuote("it's"), "shellQuote with a quote")
}

func TestNewerSchema(t *testing.T) {
	t.Parallel()
	for name, doc := range map[string]string{
		"plain":       `{"schema_version": 3, "slug": "m", "current": "x"}`,
		"new shape":   `{"schema_version": 3, "slug": "m", "runs": {"by_id": {}}}`,
		"huge number": `{"schema_version": 99999, "slug": "m"}`,
	} {
		dir := t.TempDir()
		writeRaw(t, dir, "m", []byte(doc))
		_, err := Load(dir, "m")
		require.ErrorIs(t, err, ErrNewerSchema)
		var newer *NewerSchemaError
		if !errors.As(err, &newer) {
			t.Fatalf("%s: %T is not a *NewerSchemaError", name, err)
		}
		assert.Equal(t, SessionPath(dir, "m"), newer.Path, name+": Path")
		assert.Contains(t, err.Error(), fmt.Sprintf("this build reads up to %d — upgrade cyclezero", SchemaVersion))
		var damaged *DamagedError
		assert.Truef(t, !errors.As(err, &damaged), "%s: a newer document reported as damaged", name)

		_, err = Open(dir, "m")
		require.ErrorIs(t, err, ErrNewerSchema)
		assert.Equal(t, doc, string(readFile(t, SessionPath(dir, "m"))), name+": file after Open")
	}
	_, err := Load(t.TempDir(), "m")
	require.ErrorIs(t, err, ErrNotFound)

	dir := t.TempDir()
	writeRaw(t, dir, "m", []byte(`{"schema_version": 3, "slug": "m"}`))
	_, err = Load(dir, "m")
	assert.Contains(t, err.Error(), "newer cyclezero (schema 3)")
}

// A byte order mark, which some Windows editors put at the start of a file
// they save, does not make the session damaged; the next save drops it.
func TestByteOrderMark(t *testing.T) {
	t.Parallel()
	good := sampleSession("m", "A", 1)
	good.SchemaVersion = SchemaVersion
	goodBytes, err := encode(good)
	require.NoError(t, err)
	for name, doc := range map[string][]byte{
		"current": goodBytes,
		"v0":      []byte(v0Doc),
	} {
		dir := t.TempDir()
		writeRaw(t, dir, "m", append([]byte("\xef\xbb\xbf"), doc...))
		s, err := Load(dir, "m")
		require.NoError(t, err, name)
		assert.Equal(t, "m", s.Slug, name)

		h, err := Open(dir, "m")
		require.NoError(t, err, name)
		require.NoError(t, h.Save(h.Session()), name)
		require.NoError(t, h.Close())
		saved := readFile(t, SessionPath(dir, "m"))
		assert.Equal(t, byte('{'), saved[0], "%s: the saved file starts with the object", name)
	}
	// Only one, and only at the start.
	_, _, err = decode(append([]byte("\xef\xbb\xbf\xef\xbb\xbf"), goodBytes...), "m", "")
	assert.Error(t, err, "two byte order marks")
}
