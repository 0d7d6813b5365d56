package state

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// SchemaCopyPath is where the document of slug's session, as it was stored
// in schema version (older than SchemaVersion), is kept when a save first
// rewrites it in the current schema: <slug>.json.schema<version>. The .bak
// holds it only until the next save; this copy stays, so the session can
// be taken back to the older cyclezero that wrote it (copy it over the
// document). Neither List nor the lock and backup code take it for a
// session file.
func SchemaCopyPath(stateDir, slug string, version int) string {
	return SessionPath(stateDir, slug) + ".schema" + strconv.Itoa(version)
}

// keepOldSchema keeps the document at path, when it is stored in an older
// schema than this build writes, as SchemaCopyPath for its version, written
// atomically and durably. An existing copy is never replaced: it is the
// first file of that version this session was upgraded from. A missing or
// undecodable document has nothing worth keeping (the save's own checks
// deal with it).
func keepOldSchema(stateDir, slug, path string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("keep the old-schema copy of %s: %w", path, err)
	}
	doc, err := decodeObject(bytes.TrimPrefix(data, utf8BOM))
	if err != nil {
		return nil
	}
	version, err := docVersion(doc)
	if err != nil || version >= SchemaVersion {
		return nil
	}
	dst := SchemaCopyPath(stateDir, slug, version)
	if found, err := pathExists(dst); found || err != nil {
		return nil // kept already (or cannot tell: never risk replacing it)
	}
	dir := filepath.Dir(dst)
	tmp, err := os.CreateTemp(dir, tempPattern(slug))
	if err != nil {
		return fmt.Errorf("keep the old-schema copy of %s: %w", path, err)
	}
	name := tmp.Name()
	defer func() { _ = os.Remove(name) }() // after the link, dst holds the data
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		// A link never replaces an existing file; without hard links a
		// rename does, but we hold the session's lock and checked above.
		if lerr := os.Link(name, dst); lerr != nil && !errors.Is(lerr, os.ErrExist) {
			err = os.Rename(name, dst)
		}
	}
	if err == nil {
		err = syncDir(dir)
	}
	if err != nil {
		return fmt.Errorf("keep the old-schema copy of %s as %s: %w", path, dst, err)
	}
	return nil
}
