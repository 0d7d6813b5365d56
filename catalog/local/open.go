package local

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/user"
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
}

// Store is an embedded ERMrest-shaped catalog in one SQLite file. It is safe
// for concurrent use, and several Stores (or processes) may share a file.
type Store struct {
	db     *sql.DB
	path   string
	client catalog.Identity
	now    func() time.Time

	writeMu    sync.Mutex // one writer per Store; SQLite serializes Stores
	clientDone bool       // the client row is known to be current (under writeMu)
	models     modelCache
}

var _ catalog.Store = (*Store)(nil)

// busyTimeout is how long a write waits for another writer (another Store or
// process) before failing with ErrUnavailable.
const busyTimeout = 10 * time.Second

// Open opens the local catalog in the file at path, creating it (with
// ERMrest's built-in public schema) when it does not exist yet.
func Open(path string, opts Options) (*Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open local catalog %q: the path must be a plain file name without '?' or '#'", path)
	}
	s := &Store{path: path, client: opts.Client, now: opts.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if s.client.ID == "" {
		s.client = osIdentity()
	}
	dsn := path + fmt.Sprintf("?_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)"+
		"&_pragma=synchronous(NORMAL)&_pragma=cache_size(-32768)&_pragma=temp_store(MEMORY)&_txlock=immediate", busyTimeout.Milliseconds())
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open local catalog %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	s.db = db
	if err := s.bootstrap(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("open local catalog %s: %w", path, err)
	}
	return s, nil
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

// errNotCatalog is returned for an SQLite file that holds other tables.
var errNotCatalog = errors.New("the file is an SQLite database but not a cyclezero local catalog; choose another path")
