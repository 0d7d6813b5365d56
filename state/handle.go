package state

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// Errors callers branch on (errors.Is).
var (
	// ErrReadOnly is returned by Save on a handle opened read-only.
	ErrReadOnly = errors.New("session is open read-only")
	// ErrNotFound means the slug has no session in the state dir.
	ErrNotFound = errors.New("no such session")
	// ErrExists means Create found a session with that slug already.
	ErrExists = errors.New("session already exists")
	// ErrClosed is returned by Save after Close.
	ErrClosed = errors.New("session handle is closed")
)

// Handle is an open session: its document and, unless it is read-only, the
// lock that makes this process its only writer. Its methods are safe for
// concurrent use.
type Handle struct {
	mu       sync.Mutex
	stateDir string
	slug     string
	lock     *flock.Flock // nil when read-only
	reason   string       // why read-only
	sess     *Session
	info     os.FileInfo // the document as we last read or wrote it
	from     int         // schema version the document was stored in
	closed   bool
}

// Create starts a new session for s.Slug and returns it open for writing.
// It sets SchemaVersion, CreatedAt and UpdatedAt, creates the per-session
// directory and any missing parents durably (a power cut cannot lose a
// repository's first session with its new directories), and fails with
// ErrExists if the slug already has a session (even a damaged one: nothing
// is ever overwritten). A document deleted by hand whose backup loads is
// a session too: the error then also matches *OnlyBackupError, with the
// command that restores it. A session Load would refuse (no catalog, say)
// is refused here too.
func Create(stateDir string, s *Session) (*Handle, error) {
	if s == nil {
		return nil, errors.New("create session: nil session")
	}
	if err := ValidateSlug(s.Slug); err != nil {
		return nil, err
	}
	if err := mkdirAllSync(SessionDir(stateDir, s.Slug), dirMode); err != nil {
		err = inTheWay(stateDir, SessionDir(stateDir, s.Slug), true, err)
		return nil, fmt.Errorf("create session %q: %w", s.Slug, err)
	}
	fl, reason, err := tryLock(LockPath(stateDir, s.Slug))
	if err != nil {
		err = inTheWay(stateDir, LockPath(stateDir, s.Slug), false, err)
		return nil, fmt.Errorf("create session %q: %w", s.Slug, err)
	}
	if fl == nil {
		return nil, fmt.Errorf("create session %q: %s", s.Slug, reason)
	}
	path := SessionPath(stateDir, s.Slug)
	if _, err := os.Lstat(path); !errors.Is(err, os.ErrNotExist) {
		_ = unlock(fl)
		return nil, fmt.Errorf("%w: %q at %s — resume it with: cyclezero resume %s, or choose another slug",
			ErrExists, s.Slug, path, s.Slug)
	}
	// A document deleted by hand whose backup loads is a session still:
	// the new one's second save would rotate that backup away.
	if backup := BackupPath(stateDir, s.Slug); backupLoads(backup, s.Slug) {
		_ = unlock(fl)
		return nil, fmt.Errorf("%w: %w", ErrExists, &OnlyBackupError{Path: path, Backup: backup})
	}
	// After ErrExists: that a slug is taken is the answer whatever the new
	// session holds.
	if err := check(s, ""); err != nil {
		_ = unlock(fl)
		return nil, fmt.Errorf("create session %q: %w", s.Slug, err)
	}
	removeStaleTemps(SessionsDir(stateDir), s.Slug)

	now := time.Now().UTC().Round(0)
	s.SchemaVersion = SchemaVersion
	s.CreatedAt, s.UpdatedAt = now, now
	data, err := encode(onDisk(s, stateDir))
	if err == nil {
		var info os.FileInfo
		if info, err = writeAtomic(path, "", tempPattern(s.Slug), data); err == nil {
			leaveBreadcrumb(stateDir)
			return &Handle{stateDir: stateDir, slug: s.Slug, lock: fl, sess: s, info: info, from: SchemaVersion}, nil
		}
	}
	_ = unlock(fl)
	return nil, fmt.Errorf("create session %q: %w", s.Slug, err)
}

// Open loads slug's session and takes its lock. When another process or
// another handle holds the lock, or the state dir is not writable, it still
// returns a handle, with ReadOnly() true and ReadOnlyReason() saying why.
// A damaged document gives a *DamagedError, a newer one ErrNewerSchema, a
// missing one ErrNotFound, or an *OnlyBackupError when its backup is there.
func Open(stateDir, slug string) (*Handle, error) {
	if err := ValidateSlug(slug); err != nil {
		return nil, err
	}
	path := SessionPath(stateDir, slug)
	if _, err := os.Stat(path); err != nil {
		return nil, notFound(stateDir, slug, err)
	}
	fl, reason, err := tryLock(LockPath(stateDir, slug))
	var denied *lockDeniedError
	switch {
	case errors.As(err, &denied):
		reason = denied.reason() // the session can still be read
	case err != nil:
		return nil, inTheWay(stateDir, LockPath(stateDir, slug), false, err)
	}
	h := &Handle{stateDir: stateDir, slug: slug, lock: fl}
	if fl == nil {
		h.reason = reason
	} else {
		removeStaleTemps(SessionsDir(stateDir), slug)
	}
	if err := h.load(); err != nil {
		if fl != nil {
			_ = unlock(fl)
		}
		return nil, err
	}
	if fl != nil {
		leaveBreadcrumb(stateDir)
	}
	return h, nil
}

// Load reads slug's session without taking the lock and without writing
// anything, for views that must never block or write (the status
// dashboard). Errors are as for Open. Like Open, it runs `git worktree
// list` (bounded by GitTimeout) only when migrating a schema-1 document, so
// it takes no context.
func Load(stateDir, slug string) (*Session, error) {
	if err := ValidateSlug(slug); err != nil {
		return nil, err
	}
	s, _, err := readDoc(SessionPath(stateDir, slug), BackupPath(stateDir, slug), slug)
	if err != nil {
		return nil, notFound(stateDir, slug, err)
	}
	return s, nil
}

// notFound turns a failure to read slug's document into ErrNotFound with
// a hint when it is missing, and into an *InTheWayError when a file or
// directory stands where cyclezero's own should be. A *DamagedError or
// *NewerSchemaError is returned as it is: it names the file already.
func notFound(stateDir, slug string, err error) error {
	var damaged *DamagedError
	var newer *NewerSchemaError
	if errors.As(err, &damaged) || errors.As(err, &newer) {
		return err
	}
	path := SessionPath(stateDir, slug)
	if err := inTheWay(stateDir, path, false, err); errors.As(err, new(*InTheWayError)) {
		return fmt.Errorf("open session %q: %w", slug, err)
	}
	if errors.Is(err, os.ErrNotExist) {
		if backup := BackupPath(stateDir, slug); backupLoads(backup, slug) {
			return &OnlyBackupError{Path: path, Backup: backup}
		}
		return fmt.Errorf("%w: %q in %s — start one with: cyclezero new", ErrNotFound, slug, SessionsDir(stateDir))
	}
	return fmt.Errorf("open session %q: %w", slug, ExplainPermission(stateDir, err))
}

// OnlyBackupError is a session whose document is gone (deleted by hand)
// while its backup, the previous save, is there and loads. It is not
// ErrNotFound: starting the session over would overwrite that backup on
// its second save, so the fix is to restore it.
type OnlyBackupError struct {
	Path   string // the missing document
	Backup string // its backup
}

// Error implements error; it says how to restore the backup.
func (e *OnlyBackupError) Error() string {
	return fmt.Sprintf("session file %s is missing, but its last good copy %s is there — restore it with: cp %s %s",
		e.Path, e.Backup, ShellQuote(e.Backup), ShellQuote(e.Path))
}

// load reads the document into h.
func (h *Handle) load() error {
	path := h.Path()
	info, err := os.Stat(path)
	if err != nil {
		return notFound(h.stateDir, h.slug, err)
	}
	s, from, err := readDoc(path, BackupPath(h.stateDir, h.slug), h.slug)
	if err != nil {
		return notFound(h.stateDir, h.slug, err)
	}
	h.sess, h.info, h.from = s, info, from
	return nil
}

// Session returns the session as last loaded or saved. Callers change it
// and pass it to Save.
func (h *Handle) Session() *Session {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.sess
}

// Path is the session document's file.
func (h *Handle) Path() string { return SessionPath(h.stateDir, h.slug) }

// Slug is the session's slug.
func (h *Handle) Slug() string { return h.slug }

// StateDir is the state directory the session lives in.
func (h *Handle) StateDir() string { return h.stateDir }

// ReadOnly reports whether Save is refused because this handle does not hold
// the lock.
func (h *Handle) ReadOnly() bool { return h.lock == nil }

// ReadOnlyReason says why the handle is read-only, for the user; "" when
// it is not.
func (h *Handle) ReadOnlyReason() string { return h.reason }

// MigratedFrom returns the schema version the document was stored in and
// whether it was older than SchemaVersion (migrated in memory; the next Save
// writes the new version and keeps the old file as the backup, and for good
// as SchemaCopyPath of that version unless a copy is there already).
func (h *Handle) MigratedFrom() (int, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.from, h.from < SchemaVersion
}

// Save writes s as the session atomically, keeping the previous document as
// the .bak (and, when it is in an older schema, as SchemaCopyPath), and
// bumps s.UpdatedAt. Top-level keys of the document this build
// does not know (from a newer build, or added by hand) are written back. It
// returns ErrReadOnly on a read-only handle, ErrClosed after Close, and a
// *DamagedError (writing nothing) if the document on disk was replaced by a
// damaged one since it was loaded. A session Load would refuse (an unknown
// catalog kind, say) is not written.
func (h *Handle) Save(s *Session) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case h.closed:
		return fmt.Errorf("save session %q: %w", h.slug, ErrClosed)
	case h.lock == nil:
		return fmt.Errorf("save session %q: %w (%s)", h.slug, ErrReadOnly, h.reason)
	case s == nil:
		return fmt.Errorf("save session %q: nil session", h.slug)
	case s.Slug != h.slug:
		return fmt.Errorf("save session %q: the session's slug is %q", h.slug, s.Slug)
	}
	if err := check(s, h.slug); err != nil {
		return fmt.Errorf("save session %q: %w; nothing was saved", h.slug, err)
	}
	path := h.Path()
	backup := BackupPath(h.stateDir, h.slug)
	if err := h.checkUnchanged(path, backup); err != nil {
		return err
	}
	if h.from < SchemaVersion {
		// The first save in the current schema: the older file is kept
		// for good, not only as the .bak the next save replaces.
		if err := keepOldSchema(h.stateDir, h.slug, path); err != nil {
			return fmt.Errorf("save session %q: %w; nothing was saved", h.slug,
				inTheWay(h.stateDir, path, false, err))
		}
	}

	if s.extra == nil && h.sess != nil {
		// A session built afresh rather than changed from the loaded one
		// still keeps the keys this build does not know.
		s.extra = h.sess.extra
	}
	prevVersion, prevUpdated := s.SchemaVersion, s.UpdatedAt
	s.SchemaVersion = SchemaVersion
	s.UpdatedAt = time.Now().UTC().Round(0)
	data, err := encode(onDisk(s, h.stateDir))
	if err != nil {
		s.SchemaVersion, s.UpdatedAt = prevVersion, prevUpdated
		return err
	}
	info, err := writeAtomic(path, backup, tempPattern(h.slug), data)
	if err != nil {
		return fmt.Errorf("save session %q: %w", h.slug, inTheWay(h.stateDir, path, false, err))
	}
	h.sess, h.info = s, info
	return nil
}

// checkUnchanged makes sure the document about to become the .bak is good.
// It is, when it is still the file we last read or wrote; if someone
// replaced it (a hand edit) it is decoded again, and a damaged one stops
// the save so it is neither overwritten nor rotated over the good backup.
func (h *Handle) checkUnchanged(path, backup string) error {
	cur, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // deleted by hand: nothing to keep, write afresh
	}
	if err != nil {
		return fmt.Errorf("save session %q: %w", h.slug, inTheWay(h.stateDir, path, false, err))
	}
	if sameVersion(cur, h.info) {
		return nil
	}
	if _, _, err := readDoc(path, backup, h.slug); err != nil {
		var newer *NewerSchemaError
		var damaged *DamagedError
		if errors.As(err, &newer) || errors.As(err, &damaged) {
			return err
		}
		return fmt.Errorf("save session %q: %w", h.slug, inTheWay(h.stateDir, path, false, err))
	}
	return nil
}

// sameVersion reports whether two stats are of the same, unmodified file.
func sameVersion(a, b os.FileInfo) bool {
	return a != nil && b != nil && os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// Close releases the lock. The handle cannot save afterwards; closing twice
// is harmless.
func (h *Handle) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil
	}
	h.closed = true
	if h.lock == nil {
		return nil
	}
	return unlock(h.lock)
}
