package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/cyclezero/cyclezero/catalog"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// Options configure a local catalog.
type Options struct {
	// Client is who the catalog records in RCB/RMB. Default: the OS user,
	// as "local:<user>".
	Client catalog.Identity
	// Now is the clock for snapshots and RCT/RMT (tests); default time.Now.
	Now func() time.Time
	// ReadOnly makes the Store refuse writes (ErrForbidden), for commands
	// that only read; only OpenExisting takes it, since creating writes.
	// The connection is still SQLite's read-write one with query_only set,
	// not mode=ro: a read-only connection would leave the -wal and -shm
	// files behind, and reads keep seeing other processes' commits either way.
	// Only where the catalog's directory cannot be written (a read-only
	// medium) is the file opened mode=ro and immutable (readonly.go).
	ReadOnly bool
	// BusyTimeout is how long a statement waits for another process's
	// lock to end before failing with ErrUnavailable (at least that long;
	// see busyTimeout). Default, or zero: busyTimeout. A caller that must
	// answer soon (tab completion) and tests shorten it.
	BusyTimeout time.Duration

	// readOnlyDir tells whether a directory cannot be written; tests set
	// it, default readOnlyDir.
	readOnlyDir func(dir string) bool
}

// Store is an embedded ERMrest-shaped catalog in one SQLite file. It is safe
// for concurrent use, and several Stores (or processes) may share a file.
type Store struct {
	db       *sql.DB
	path     string
	client   catalog.Identity
	now      func() time.Time
	readOnly bool
	busy     time.Duration // see Options.BusyTimeout

	readOnlyDir func(dir string) bool // see Options.readOnlyDir

	writeMu    sync.Mutex // one writer per Store; SQLite serializes Stores
	clientDone bool       // the client row is known to be current (under writeMu)
	models     modelCache
}

var _ catalog.Store = (*Store)(nil)

// busyTimeout is the default of Options.BusyTimeout: the time SQLite's
// busy handler spends sleeping between tries while another writer
// (another Store or process) holds the file, before the write fails with
// ErrUnavailable. It is the least a write waits, not a deadline: the
// handler adds up the sleeps it planned, not the time that passed, so
// with slow tries and sleeps that overrun on a loaded machine a write
// waits longer (11 to 29 s were seen beside a busy training process).
const busyTimeout = 10 * time.Second

// Open opens the local catalog in the file at path, creating it (with
// ERMrest's built-in public schema) when the file does not exist yet, is
// empty, or is an SQLite database without tables. Anything else that is
// not a catalog of this layout version — a directory, a file that is not
// SQLite, another program's database — is refused with a *FileError
// before anything is written to it.
func Open(path string, opts Options) (*Store, error) {
	if opts.ReadOnly {
		return nil, fmt.Errorf("open local catalog %s: a read-only catalog must exist already: use OpenExisting", path)
	}
	return open(path, opts, true)
}

// OpenExisting opens the local catalog already in the file at path. It
// creates and migrates nothing: a path that holds no catalog of this
// layout version (missing, empty, not SQLite, another program's database,
// another layout) is refused with a *FileError, the file left as it was.
// It is what commands that only read use, with opts.ReadOnly.
func OpenExisting(path string, opts Options) (*Store, error) {
	return open(path, opts, false)
}

// open opens path as a catalog, creating one over nothing when create is
// set. The file is looked at, and its tables checked, before anything is
// written: the WAL journal mode, which rewrites the file's header, is only
// set on a catalog.
func open(path string, opts Options, create bool) (*Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open local catalog %q: the path must be a plain file name without '?' or '#'", path)
	}
	switch p, err := inspectFile(path); {
	case err != nil && errors.Is(err, fs.ErrPermission):
		return nil, refusedFile(path, err)
	case err != nil:
		return nil, fmt.Errorf("open local catalog %s: %w", path, err)
	case p == FileIsDirectory || p == FileNotSQLite || p != 0 && !create:
		return nil, newFileError(path, p, 0)
	}
	s := &Store{path: path, client: opts.Client, now: opts.Now, readOnly: opts.ReadOnly, readOnlyDir: opts.readOnlyDir,
		busy: opts.BusyTimeout}
	if s.busy <= 0 {
		s.busy = busyTimeout
	}
	if s.readOnlyDir == nil {
		s.readOnlyDir = readOnlyDir
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.client.ID == "" {
		s.client = osIdentity()
	}
	db, err := openDB(dsn(path, create, opts.ReadOnly, s.busy))
	if err != nil {
		return nil, fmt.Errorf("open local catalog %s: %w", path, err)
	}
	s.db = db
	if err := s.bootstrap(context.Background(), create); err != nil {
		s.db.Close() // bootstrap may have replaced db (readonly.go)
		var fe *FileError
		if errors.As(err, &fe) { // it names the path already
			fe.err.Op = "open local catalog"
			return nil, fe
		}
		return nil, fmt.Errorf("open local catalog %s: %w", path, err)
	}
	return s, nil
}

// openDB opens the connection pool of a Store for the driver name dsn.
func openDB(dsn string) (*sql.DB, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	return db, nil
}

// dsn is the driver's name for the catalog at path. Every pragma in it is
// per connection and writes nothing. An existing catalog is opened by a
// file: URI with mode=rw, so SQLite itself never creates the file.
func dsn(path string, create, readOnly bool, busy time.Duration) string {
	params := dsnParams(readOnly, busy)
	if create {
		return path + "?" + params
	}
	return "file:" + uriPath(path) + "?mode=rw&" + params
}

// walSizeLimit is the size the WAL file is cut back to once a checkpoint
// has emptied it. Without it, a WAL that grew while readers in other
// processes kept checkpoints from restarting it (a training process and
// the wizard, say) keeps its largest size on disk until the last
// connection closes: hundreds of MB under heavy writes.
const walSizeLimit = 64 << 20

// dsnParams are the driver's parameters for every connection; busy is
// the busy timeout (see busyTimeout).
func dsnParams(readOnly bool, busy time.Duration) string {
	params := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"+
		"&_pragma=cache_size(-32768)&_pragma=temp_store(MEMORY)&_pragma=journal_size_limit(%d)&_txlock=immediate",
		busy.Milliseconds(), walSizeLimit)
	if readOnly {
		params += "&_pragma=query_only(1)"
	}
	return params
}

// uriPath is path as the path of an SQLite file: URI (absolute, so it
// cannot be read as an authority; '%', '?' and '#' escaped).
func uriPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	path = filepath.ToSlash(path)
	if !strings.HasPrefix(path, "/") {
		path = "/" + path // a Windows drive letter: file:/C:/…
	}
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
}

// osIdentity is the OS user as the local catalog's client.
func osIdentity() catalog.Identity {
	name, full := os.Getenv("USER"), ""
	if u, err := user.Current(); err == nil {
		name, full = u.Username, u.Name
	}
	if name == "" {
		name = "unknown"
	}
	return catalog.Identity{ID: "local:" + name, DisplayName: name, FullName: full}
}

// Close releases the database handle.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close local catalog %s: %w", s.path, err)
	}
	return nil
}

// Describe says where the catalog is.
func (s *Store) Describe() string { return "local catalog at " + s.path }

// Whoami returns the identity the catalog records as RCB/RMB.
func (s *Store) Whoami(context.Context) (catalog.Identity, error) { return s.client, nil }

// Snapshot returns the catalog's latest snapshot id.
func (s *Store) Snapshot(ctx context.Context) (string, error) {
	var ts sql.NullInt64
	if err := s.db.QueryRowContext(ctx, `SELECT max(ts) FROM _snapshots`).Scan(&ts); err != nil {
		return "", s.dbErr("read snapshot", err)
	}
	return catalog.EncodeRID(ts.Int64), nil
}

// SnapshotAt returns the latest snapshot at or before at, as ERMrest clamps
// a requested snaptime; a time before the catalog's history is ErrConflict.
func (s *Store) SnapshotAt(ctx context.Context, at string) (string, error) {
	var snap string
	err := s.read(ctx, "read snapshot", at, func(r *rtx) error {
		snap = catalog.EncodeRID(r.snap)
		return nil
	})
	return snap, err
}

// Model reads the model, live or as of a snapshot.
func (s *Store) Model(ctx context.Context, at string) (*catalog.Model, error) {
	var out *catalog.Model
	err := s.read(ctx, "read model", at, func(r *rtx) error {
		m, err := r.m.copyModel()
		out = m
		return err
	})
	return out, err
}

// refusedFile is the refusal, by the file system, to read path (or to look
// into its directory): what to check, since no retry or flag helps. It
// still matches fs.ErrPermission.
func refusedFile(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	dir := filepath.Dir(path)
	return fmt.Errorf("open local catalog %s: %w — check the owner and permissions of %s and its directory (ls -ld %s %s)",
		path, err, path, shellQuote(dir), shellQuote(path))
}
