package local

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/cyclezero/cyclezero/catalog"
	sqlite3 "modernc.org/sqlite/lib"
)

// A catalog on a read-only medium (a CD, a read-only mount, a directory
// the user cannot write) cannot be read as usual: the file is in WAL mode,
// and SQLite's readers share a -shm index file beside it, which it cannot
// create there. A read-only Store then opens the file immutable instead:
// SQLite reads it without the -shm and without locks, trusting that no one
// changes it meanwhile — which holds where no one can write. Nothing else
// about the Store changes.

// openImmutable retries the first read of a read-only Store, which failed
// with err, as immutable when the catalog's directory cannot be written;
// otherwise it returns err. A catalog whose -wal file still holds commits
// is refused instead: immutable reading ignores the -wal, and would show
// the catalog as it was before them.
func (s *Store) openImmutable(err error) error {
	retry, refusal := immutableRetry(s.path, err, s.readOnlyDir)
	if refusal != nil {
		return refusal
	}
	if !retry {
		return err
	}
	db, oerr := openDB(immutableDSN(s.path))
	if oerr != nil {
		return oerr
	}
	s.db.Close()
	s.db = db
	return nil
}

// immutableRetry decides what a read-only open of path that failed with err
// does next: retry immutable (SQLite could not open or make the -shm file
// because the directory cannot be written), refuse (the same, with commits
// waiting in the -wal file), or neither (report err as it is).
func immutableRetry(path string, err error, readOnlyDir func(dir string) bool) (retry bool, refusal error) {
	switch sqliteCode(err) & 0xff {
	case sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY:
	default:
		return false, nil
	}
	if !readOnlyDir(filepath.Dir(path)) {
		return false, nil
	}
	if st, serr := os.Stat(path + "-wal"); serr == nil && st.Size() > 0 {
		return false, &catalog.Error{Kind: errFile, Op: "open local catalog",
			Detail: fmt.Sprintf("%s has changes in %s-wal that are not merged into it yet, and SQLite cannot read them "+
				"where the directory cannot be written (%v)", path, path, err),
			Fix: fmt.Sprintf("copy %s and %s together to a directory you can write, and use the copy; "+
				"or open it once where its directory can be written, which merges them", shellQuote(path), shellQuote(path+"-wal"))}
	}
	return true, nil
}

// immutableDSN opens path read-only and immutable, with the pragmas of a
// read-only Store.
func immutableDSN(path string) string {
	return "file:" + uriPath(path) + "?mode=ro&immutable=1&" + dsnParams(true, busyTimeout)
}
