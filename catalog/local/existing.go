package local

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// Problem says why a file is not a local catalog this version can open.
type Problem int

// The problems OpenExisting (and, for the ones it cannot create over,
// Open) reports as a *FileError. Neither writes to the file first.
// FileDamaged may also come later, from any call that reads a page SQLite
// finds malformed.
const (
	FileMissing       Problem = iota + 1 // no file at the path
	FileIsDirectory                      // the path is a directory
	FileEmpty                            // zero bytes: no catalog yet (Open makes one)
	FileEmptyDatabase                    // an SQLite database without tables (Open makes it one)
	FileNotSQLite                        // not an SQLite database at all
	FileForeign                          // an SQLite database of another program
	FileOtherFormat                      // a local catalog of another layout version
	FileDamaged                          // SQLite cannot read the file: corrupt or truncated pages
)

// FileError is the refusal of a file that holds no catalog this version
// can open; the file is left as it was. errors.Is(err, catalog.ErrNotFound)
// holds for every problem but FileOtherFormat and FileDamaged (whose
// catalog exists, in a layout this version does not read, or in pages
// SQLite cannot read: catalog.ErrBadResponse), and catalog.Hint gives the
// fix. A FileDamaged fix says to restore or move the file aside; the
// command that creates the catalog again is the caller's to add, since it
// depends on where the path came from.
type FileError struct {
	Path    string
	Problem Problem
	Format  int    // FileOtherFormat: the file's layout version
	Cause   string // FileDamaged: SQLite's words, e.g. "database disk image is malformed"

	err *catalog.Error
}

// newFileError builds the refusal of path, with its message and fix.
func newFileError(path string, p Problem, format int) *FileError {
	q := shellQuote(path)
	seed := "cyclezero catalog seed-demo --db " + q
	detail, fix, kind := path+" "+p.what(), "", catalog.ErrNotFound
	switch p {
	case FileMissing, FileEmpty, FileEmptyDatabase:
		fix = "create it, with the demo domain, with: " + seed
	case FileIsDirectory, FileNotSQLite, FileForeign:
		fix = "choose another file; a new catalog is made with: cyclezero catalog seed-demo --db NEW.db"
	case FileOtherFormat:
		kind = catalog.ErrBadResponse
		if format > formatVersion {
			detail = fmt.Sprintf("%s is a local catalog of layout format %d, newer than this cyclezero reads (%d)", path, format, formatVersion)
			fix = "upgrade cyclezero"
		} else {
			detail = fmt.Sprintf("%s is a local catalog of layout format %d, older than this cyclezero reads (%d), "+
				"and there is no migration for it", path, format, formatVersion)
			fix = "open it with the cyclezero that wrote it, or move it aside and create it again with: " + seed
		}
	}
	return &FileError{Path: path, Problem: p, Format: format,
		err: &catalog.Error{Kind: kind, Op: "open local catalog", Detail: detail, Fix: fix}}
}

// damagedFile is the refusal of path, which SQLite found damaged (its
// words: cause) while doing op. It is not a server failure, and no retry
// helps: the fix is the user's backup, or a new catalog in its place.
func damagedFile(path, op, cause string) *FileError {
	q := shellQuote(path)
	return &FileError{Path: path, Problem: FileDamaged, Cause: cause, err: &catalog.Error{
		Kind: catalog.ErrBadResponse, Op: op,
		Detail: fmt.Sprintf("the embedded catalog file %s is damaged (%s)", path, cause),
		Fix:    fmt.Sprintf("restore it from a backup, or move it aside (mv %s %s) and create the catalog again", q, shellQuote(path+".damaged")),
	}}
}

// what describes the problem after the file's name.
func (p Problem) what() string {
	switch p {
	case FileMissing:
		return "does not exist"
	case FileIsDirectory:
		return "is a directory, not a local catalog"
	case FileEmpty:
		return "is an empty file, not a local catalog yet"
	case FileEmptyDatabase:
		return "is an empty SQLite database, not a local catalog yet"
	case FileNotSQLite:
		return "is not a local catalog (not an SQLite database)"
	case FileForeign:
		return "is an SQLite database of another program, not a cyclezero local catalog"
	case FileDamaged:
		return "is damaged"
	}
	return "is not a local catalog this cyclezero reads"
}

// Error says which file and what is wrong with it; the fix is catalog.Hint's.
func (e *FileError) Error() string { return e.err.Op + ": " + e.err.Detail }

// Unwrap gives the *catalog.Error, so errors.Is matches its kind and
// catalog.Hint finds the fix.
func (e *FileError) Unwrap() error { return e.err }

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// inspectFile finds the problems a look at the file's bytes can tell
// without SQLite opening it (0 when it could be a catalog).
func inspectFile(path string) (Problem, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return FileMissing, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if st.IsDir() {
		return FileIsDirectory, nil
	}
	if st.Size() == 0 {
		return FileEmpty, nil
	}
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return FileNotSQLite, nil
	} else if err != nil {
		return 0, err
	}
	if !bytes.Equal(head, sqliteHeader) {
		return FileNotSQLite, nil
	}
	return 0, nil
}

// shellQuote quotes s for a POSIX shell when it needs it, for fixes that
// name a command to run. It leaves the same characters bare as
// state.ShellQuote (which local cannot import), so every command cyclezero
// prints quotes a path alike.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+,:@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
