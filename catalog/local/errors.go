package local

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dbErr turns an SQLite failure into a typed catalog error.
func (s *Store) dbErr(op string, err error) error {
	var ce *catalog.Error
	if errors.As(err, &ce) {
		return withOp(err, op)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	kind, fix := errFile, "try again; if it fails again, the embedded catalog file "+s.path+" may be damaged: restore it from a backup"
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return damagedFile(s.path, op, sqliteWords(se))
		case sqlite3.SQLITE_IOERR:
			fix = "reading or writing " + s.path + " failed; check the disk it is on (and its free space), then try again"
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			// Nothing was written: a write takes the file's write lock
			// at BEGIN IMMEDIATE, before its first change, and any
			// failure rolls the whole transaction back. Marking it lets
			// a caller retry or undo without reading it back first, as
			// it would for a server's lost answer.
			return &catalog.Error{Kind: catalog.ErrUnavailable, Op: op, Detail: err.Error(), NotApplied: true,
				Fix: "another process holds the local catalog busy; try again"}
		case sqlite3.SQLITE_CONSTRAINT:
			kind, fix = catalog.ErrConflict, "the change breaks a key, not-null or foreign-key rule of the model"
		case sqlite3.SQLITE_FULL:
			fix = "the disk is full; free some space"
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN:
			fix = "check that " + s.path + " and its directory are writable"
		}
	}
	return &catalog.Error{Kind: kind, Op: op, Detail: err.Error(), Fix: fix}
}

// errFile is the kind of an SQLite failure that none of the catalog kinds
// name (an I/O error, a full disk, a file that cannot be opened). It is an
// internal failure, as catalog.ErrServer is for a server, and errors.Is
// matches ErrServer; but its words are about the file, since the embedded
// catalog has no server.
var errFile error = fileKind{}

type fileKind struct{}

func (fileKind) Error() string        { return "embedded catalog file error" }
func (fileKind) Is(target error) bool { return target == catalog.ErrServer }

// sqliteWords is SQLite's message without the driver's " (11)" code suffix.
func sqliteWords(se *sqlite.Error) string {
	msg := se.Error()
	if i := strings.LastIndex(msg, " ("); i > 0 && strings.HasSuffix(msg, ")") {
		if _, err := strconv.Atoi(msg[i+2 : len(msg)-1]); err == nil {
			return msg[:i]
		}
	}
	return msg
}

// withOp sets the operation of a catalog error that lacks one.
func withOp(err error, op string) error {
	var ce *catalog.Error
	if errors.As(err, &ce) && ce.Op == "" {
		ce.Op = op
	}
	return err
}

// sqliteCode returns the extended result code of an SQLite error, or 0.
func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

// isConstraint reports whether err is an SQLite constraint violation.
func isConstraint(err error) bool { return sqliteCode(err)&0xff == sqlite3.SQLITE_CONSTRAINT }

// constraintColumns parses the physical columns out of SQLite's
// "UNIQUE constraint failed: t1.c2, t1.c3" message.
func constraintColumns(err error) []string {
	msg := err.Error()
	i := strings.Index(msg, "constraint failed: ")
	if i < 0 {
		return nil
	}
	rest := msg[i+len("constraint failed: "):]
	if j := strings.Index(rest, " ("); j >= 0 {
		rest = rest[:j]
	}
	var out []string
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if k := strings.LastIndex(part, "."); k >= 0 {
			part = part[k+1:]
		}
		out = append(out, part)
	}
	return out
}

// conflict builds the 409 for a constraint violation on table ti. vals maps
// column names to the values written (for the error's detail).
func (w *wtx) conflict(ctx context.Context, ti *tableInfo, err error, vals map[string]any) error {
	detail := err.Error()
	switch sqliteCode(err) {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		detail = uniqueDetail(ti, constraintColumns(err), vals)
	case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		if cols := constraintColumns(err); len(cols) == 1 {
			name := physToName(ti, cols[0])
			detail = fmt.Sprintf("null value in column %q of relation %q violates not-null constraint", name, ti.ref.Table)
		}
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		d, _ := w.fkeyDetail(ctx, ti, vals)
		detail = "Input data violates model. ERROR:  " + d
	}
	return &catalog.Error{Kind: catalog.ErrConflict, Op: w.op, Detail: detail,
		Fix: "the rows break a key, not-null or foreign-key rule of " + ti.ref.String() + "; fix the values and retry"}
}

func physToName(ti *tableInfo, phys string) string {
	for _, c := range ti.cols {
		if c.phys == quoteIdent(phys) {
			return c.name
		}
	}
	return phys
}

func uniqueDetail(ti *tableInfo, physCols []string, vals map[string]any) string {
	names := make([]string, len(physCols))
	for i, p := range physCols {
		names[i] = physToName(ti, p)
	}
	keyName := catalog.ServerConstraintName(ti.ref.Table, names, "key")
	for _, k := range ti.t.Keys {
		if sameColumns(k.UniqueColumns, names) && len(k.Names) > 0 {
			keyName = k.Names[0][1]
		}
	}
	quoted, shown := make([]string, len(names)), make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
		shown[i] = fmt.Sprint(vals[n])
	}
	return fmt.Sprintf("Input data violates model. ERROR:  duplicate key value violates unique constraint %q\nDETAIL:  Key (%s)=(%s) already exists.",
		keyName, strings.Join(quoted, ", "), strings.Join(shown, ", "))
}

func sameColumns(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]bool{}
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			return false
		}
	}
	return true
}

// pyTimestamp renders a time as Python's isoformat(' ') does for ERMrest's
// deleted_at: "2026-11-25 16:49:15.617149+00:00".
func pyTimestamp(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02 15:04:05+00:00")
	}
	return t.Format("2006-01-02 15:04:05.000000+00:00")
}

func microTime(us int64) time.Time { return time.UnixMicro(us).UTC() }
