package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ErrNewerSchema is matched (errors.Is) when a session document was written
// by a newer cyclezero than this one.
var ErrNewerSchema = errors.New("session written by a newer cyclezero")

// NewerSchemaError is a session document whose schema version this build
// does not know. It is refused rather than downgraded, which would drop what
// the newer build recorded.
type NewerSchemaError struct {
	Path    string
	Version int
}

// Error implements error.
func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("session %s was written by a newer cyclezero (schema %d); this build reads up to %d — upgrade cyclezero",
		e.Path, e.Version, SchemaVersion)
}

// Is makes errors.Is(err, ErrNewerSchema) true.
func (e *NewerSchemaError) Is(target error) bool { return target == ErrNewerSchema }

// DamagedError is a session document that cannot be read: bad JSON, a
// truncated file, or the wrong shape. The file is left as it is.
type DamagedError struct {
	Path string
	// Slug is the session the file was read for ("" when not known), so
	// the fix can name the command that starts it over.
	Slug string
	// Backup is the last good copy, or "" when there is none that loads.
	Backup string
	Err    error
	// StartOverCommand, when not "", is the command the fix names to start
	// the session over, as the caller knows the user runs cyclezero; ""
	// says "cyclezero new <slug>".
	StartOverCommand string
}

// Error implements error; it names the file and says how to recover.
func (e *DamagedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "session file %s is damaged: %v", e.Path, e.Err)
	if e.Backup != "" {
		fmt.Fprintf(&b, "; the last good copy is %s — restore it with: cp %s %s",
			e.Backup, ShellQuote(e.Backup), ShellQuote(e.Path))
	} else {
		fmt.Fprintf(&b, "; there is no good backup copy — move the damaged file aside and start over with: mv %s %s && %s",
			ShellQuote(e.Path), ShellQuote(e.Path+".damaged"), e.StartOver())
	}
	return b.String()
}

// StartOver is the command that starts the session again once the damaged
// file is moved aside: StartOverCommand, else "cyclezero new <slug>".
func (e *DamagedError) StartOver() string {
	if e.StartOverCommand != "" {
		return e.StartOverCommand
	}
	if e.Slug == "" {
		return "cyclezero new"
	}
	return "cyclezero new " + ShellQuote(e.Slug)
}

// Unwrap returns the decoding error.
func (e *DamagedError) Unwrap() error { return e.Err }

// encode is the on-disk form of s: indented, so a person can read and
// repair it, with a final newline.
// Unknown top-level keys the session was read with follow the known ones.
func encode(s *Session) ([]byte, error) {
	data, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("encode session %q: %w", s.Slug, err)
	}
	if data, err = appendUnknown(data, s.extra); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.Grow(len(data) + len(data)/2)
	if err := json.Indent(&out, data, "", "  "); err != nil {
		return nil, fmt.Errorf("encode session %q: %w", s.Slug, err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// decode parses a session document, migrating older schema versions. It
// returns the version the document was stored in; a leading byte order mark
// is ignored. A *NewerSchemaError is returned for documents from the future;
// any other error means the bytes are damaged (callers wrap it in a
// DamagedError). wantSlug, when not "", must match the document's slug.
// stateDir is the state dir the document was read from: the session's own
// catalog, stored without a path, is given its path there (see
// CatalogLocation.Path); "" leaves it without one, which check refuses.
func decode(data []byte, wantSlug, stateDir string) (*Session, int, error) {
	// Editors on Windows may start a saved file with a UTF-8 byte order
	// mark, which JSON does not allow; the document after it is fine.
	data = bytes.TrimPrefix(data, utf8BOM)

	// Fast path: the current version decodes straight into a Session.
	var s Session
	err := json.Unmarshal(data, &s)
	if err == nil && s.SchemaVersion == SchemaVersion {
		if s.extra, err = unknownKeys(data); err != nil {
			return nil, SchemaVersion, err
		}
		resolvePaths(&s, stateDir)
		return &s, SchemaVersion, check(&s, wantSlug)
	}

	// Slow path: read the generic shape to learn the version, then migrate.
	doc, derr := decodeObject(data)
	if derr != nil {
		if err != nil && !errors.Is(derr, errTruncated) {
			return nil, 0, err // names the Go field that had the wrong type
		}
		return nil, 0, derr
	}
	from, verr := docVersion(doc)
	if verr != nil {
		return nil, 0, verr
	}
	if from > SchemaVersion {
		return nil, from, &NewerSchemaError{Version: from}
	}
	if err != nil && from == SchemaVersion {
		return nil, from, err
	}
	if err := migrate(doc, from, stateDir); err != nil {
		return nil, from, err
	}
	migrated, err := json.Marshal(doc)
	if err != nil {
		return nil, from, fmt.Errorf("re-encode migrated document: %w", err)
	}
	s = Session{}
	if err := json.Unmarshal(migrated, &s); err != nil {
		return nil, from, fmt.Errorf("after migrating from schema %d: %w", from, err)
	}
	if s.extra, err = unknownKeys(migrated); err != nil {
		return nil, from, fmt.Errorf("after migrating from schema %d: %w", from, err)
	}
	resolvePaths(&s, stateDir)
	return &s, from, check(&s, wantSlug)
}

// resolvePaths gives the paths stored relative to the state dir (see
// CatalogLocation.Path and Session.RepoRoot) their place under stateDir.
func resolvePaths(s *Session, stateDir string) {
	if stateDir == "" {
		return
	}
	if s.Catalog.Kind == CatalogLocal && s.Catalog.Path == "" && ValidateSlug(s.Slug) == nil {
		s.Catalog.Path = LocalCatalogPath(stateDir, s.Slug)
	}
	if s.RepoRoot == "" {
		s.RepoRoot = mainWorktreeOf(stateDir)
	} else {
		// Kept in a fallback dir of a repository moved since (see
		// breadcrumb.go): the root where the repository is now.
		s.RepoRoot = movedRoot(stateDir, s.RepoRoot)
	}
}

// mainWorktreeOf is the working tree whose .git holds stateDir
// (<root>/.git/cyclezero), or "" for a state dir elsewhere (the XDG one,
// a bare or separate git dir).
func mainWorktreeOf(stateDir string) string {
	gitDir := filepath.Dir(filepath.Clean(stateDir))
	if filepath.Base(stateDir) != stateSubdir || filepath.Base(gitDir) != ".git" {
		return ""
	}
	return filepath.Dir(gitDir)
}

// onDisk is s as it is stored in stateDir: the same session, but without
// the paths that are where they are because of stateDir: its own embedded
// catalog (the one under stateDir), and its repo_root when that is the main
// worktree whose .git holds stateDir. The document then stays right when
// the repository is moved or copied, .git and all.
func onDisk(s *Session, stateDir string) *Session {
	ownCat := s.Catalog.Kind == CatalogLocal && s.Catalog.Path != "" &&
		filepath.Clean(s.Catalog.Path) == LocalCatalogPath(stateDir, s.Slug)
	main := mainWorktreeOf(stateDir)
	ownRoot := s.RepoRoot != "" && main != "" && filepath.Clean(s.RepoRoot) == main
	if !ownCat && !ownRoot {
		return s
	}
	c := *s // shallow: only these fields differ, and extra is never changed
	if ownCat {
		c.Catalog.Path = ""
	}
	if ownRoot {
		c.RepoRoot = ""
	}
	return &c
}

// stateDirOf is the state dir of a session document or its backup
// (<state dir>/sessions/<slug>.json[.bak]).
func stateDirOf(docPath string) string { return filepath.Dir(filepath.Dir(docPath)) }

// utf8BOM is the UTF-8 encoding of U+FEFF, the byte order mark.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// errTruncated is the damage found in an empty or cut-short file.
var errTruncated = errors.New("the file is empty or truncated")

// decodeObject parses data as one JSON object, keeping numbers exact (a
// seed may not fit a float64).
func decodeObject(data []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errTruncated
		}
		return nil, err
	}
	if doc == nil {
		return nil, errors.New("not a JSON object")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON object")
	}
	return doc, nil
}

// docVersion reads "schema_version"; absent means the legacy version 0.
func docVersion(doc map[string]any) (int, error) {
	raw, ok := doc["schema_version"]
	if !ok || raw == nil {
		return 0, nil
	}
	n, ok := raw.(json.Number)
	if !ok {
		return 0, fmt.Errorf("schema_version is %T, want a whole number", raw)
	}
	v, err := n.Int64()
	if err != nil || v < 0 || v > 1<<20 {
		return 0, fmt.Errorf("schema_version %s is not a valid version", n)
	}
	return int(v), nil
}

// check rejects a decoded document that is not a usable session: no valid
// slug, a catalog no backend can open, or a current phase that is not a
// phase id (see validate.go). Create and Save run it too, so cyclezero never
// writes a session it would refuse to load.
func check(s *Session, wantSlug string) error {
	if s.Slug == "" {
		return errors.New(`it has no "slug"`)
	}
	if err := ValidateSlug(s.Slug); err != nil {
		return fmt.Errorf("its slug is invalid: %w", err)
	}
	if wantSlug != "" && s.Slug != wantSlug {
		return fmt.Errorf("it holds session %q, not %q", s.Slug, wantSlug)
	}
	if err := checkCatalog(s.Catalog); err != nil {
		return err
	}
	if s.Current != "" {
		if err := checkPhaseID(s.Current); err != nil {
			return err
		}
	}
	return nil
}

// readDoc reads and decodes the session file at path, turning a decoding
// failure into a *DamagedError that points at backup when backup loads.
func readDoc(path, backup, wantSlug string) (*Session, int, error) {
	data, err := readFileFn(path)
	if err != nil {
		return nil, 0, err
	}
	return decodeFile(path, backup, wantSlug, data)
}

// decodeFile is readDoc after the read; FuzzLoad drives it directly.
func decodeFile(path, backup, wantSlug string, data []byte) (*Session, int, error) {
	s, from, err := decode(data, wantSlug, stateDirOf(path))
	if err == nil {
		return s, from, nil
	}
	var newer *NewerSchemaError
	if errors.As(err, &newer) {
		newer.Path = path
		return nil, from, newer
	}
	d := &DamagedError{Path: path, Slug: wantSlug, Err: err}
	if backup != "" && backupLoads(backup, wantSlug) {
		d.Backup = backup
	}
	return nil, from, d
}

// backupLoads reports whether the backup file exists and decodes.
func backupLoads(backup, wantSlug string) bool {
	data, err := os.ReadFile(backup)
	if err != nil {
		return false
	}
	_, _, err = decode(data, wantSlug, stateDirOf(backup))
	return err == nil
}

// ShellQuote quotes p for a POSIX shell when it needs quoting, so the
// commands printed in messages (fixes, resume hints) can be pasted as they are.
func ShellQuote(p string) string {
	safe := p != ""
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+,:@%", r)) {
			safe = false
			break
		}
	}
	if safe {
		return p
	}
	return "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
}
