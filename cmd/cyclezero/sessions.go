package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/ui"
)

// sessions opens, creates and saves sessions of one workspace for the TUI,
// holding the open session's lock until close. The UI calls its methods only
// from tea.Cmds, one at a time, but a mutex keeps that an assumption we do
// not depend on.
type sessions struct {
	ws     workspace
	mu     sync.Mutex
	handle *state.Handle
	// unwritable says why the open session is read-only because its
	// files cannot be written (not because another cyclezero has it);
	// "" otherwise. Set with the session it describes, when it is adopted.
	unwritable string
	// releaseErrs are the errors releasing the locks of sessions this
	// instance moved away from, kept for close to report: they happen
	// while the wizard is on screen, and the next session opened anyway.
	releaseErrs []error
	// upgraded says, a line each, which sessions opened to write were
	// stored in an older schema and rewritten in the current one. They
	// are said once the wizard is off the screen (see tellPending):
	// opened while it is up, on its alternate screen, a line would be lost.
	upgraded []string
	// note is the workspace's note (ws.Note: sessions from before
	// `git init` left elsewhere, with the command that moves them), said
	// once, with the upgrades, by tellPending; "" once said.
	note string
	// freed is the open session's lock as released last found it let go
	// (see released); reset with the session it describes.
	freed *freedLock
}

func newSessions(ws workspace) *sessions { return &sessions{ws: ws, note: ws.Note} }

// adopt makes h the open session (closing any previous one).
func (m *sessions) adopt(h *state.Handle) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.adoptLocked(h, "")
}

// adoptLocked is adopt with m.mu held; unwritable is the open session's
// reason it cannot be written ("" when it can, or is read-only only
// because another cyclezero has it).
func (m *sessions) adoptLocked(h *state.Handle, unwritable string) {
	if m.handle != nil && m.handle != h {
		if err := m.handle.Close(); err != nil {
			m.releaseErrs = append(m.releaseErrs, fmt.Errorf("release session %s: %w", m.handle.Slug(), err))
		}
	}
	m.handle, m.unwritable, m.freed = h, unwritable, nil
}

// adoptUnlessAbandoned adopts h, just opened, unless ctx ended while it
// was opened: the user left a slow open (esc), and has perhaps opened
// another session since. Then h is closed instead and ctx's error
// returned, so an abandoned open never replaces the session on screen nor
// releases its lock.
func (m *sessions) adoptUnlessAbandoned(ctx context.Context, h *state.Handle, unwritable string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return closeAfter(h, fmt.Errorf("open session %s: %w", h.Slug(), err))
	}
	m.adoptLocked(h, unwritable)
	return nil
}

// readOnlyReason says why h, opened read-only, could not be written:
// another cyclezero holds its lock, or nobody does and the lock itself
// could not be taken (a read-only or foreign state dir), when unwritable
// is that reason too ("" otherwise).
func (m *sessions) readOnlyReason(h *state.Handle) (reason, unwritable string) {
	reason = h.ReadOnlyReason()
	if state.LockHolder(m.ws.StateDir, h.Slug()) == "" {
		reason = m.lockUnwritable(h.Slug(), reason)
		return reason, reason
	}
	return reason, ""
}

// open takes the session's lock, or opens it read-only when another
// cyclezero holds it or its files cannot be written. Opened to write, a
// session whose own embedded catalog is missing gets it again (see
// restoreCatalog). When ctx ends before it is done, the session is not
// adopted (see adoptUnlessAbandoned).
func (m *sessions) open(ctx context.Context, slug string) (*state.Session, bool, string, error) {
	h, err := state.Open(m.ws.StateDir, slug)
	if err != nil {
		// Open's errors name the session (or its file) already.
		return nil, false, "", m.ws.sessionErr(slug, err)
	}
	if h.ReadOnly() {
		reason, unwritable := m.readOnlyReason(h)
		if err := m.adoptUnlessAbandoned(ctx, h, unwritable); err != nil {
			return nil, false, "", err
		}
		return h.Session(), true, reason, nil
	}
	// A catalog moved aside (damaged) or deleted is made again here,
	// which is what the catalog commands' fixes say. It comes before the
	// stamp below, so an open abandoned while it runs (a reseed takes
	// seconds) leaves the session as it was, not the "most recent" one.
	if err := m.restoreCatalog(ctx, h.Session()); err != nil {
		return nil, false, "", closeAfter(h, err) // it names the session already
	}
	if err := ctx.Err(); err != nil {
		return nil, false, "", closeAfter(h, fmt.Errorf("open session %s: %w", slug, err))
	}
	// Opening is using: the save stamps updated_at, so "the most recent
	// session" (resume, status) is the one last used, even when it is quit
	// without a move.
	if err := stampOnOpen(h); err != nil {
		reason, ok := unwritableReason(state.SessionsDir(m.ws.StateDir), err)
		if ok {
			// The lock worked (its file existed) but the disk refuses
			// writes: the session can still be read, so it opens
			// read-only, as when another cyclezero has it, and lets
			// go of a lock it cannot use.
			if err := m.adoptUnlessAbandoned(ctx, h, reason); err != nil {
				return nil, false, "", err
			}
			if cerr := h.Close(); cerr != nil {
				m.mu.Lock()
				m.releaseErrs = append(m.releaseErrs, fmt.Errorf("release session %s: %w", slug, cerr))
				m.mu.Unlock()
			}
			return h.Session(), true, reason, nil
		}
		return nil, false, "", closeAfter(h, fmt.Errorf("open session %s: record that it was opened: %w", slug, err))
	}
	// The save wrote the current schema: that is said even when the open
	// then fails or is abandoned, since the file was rewritten all the same.
	m.noteUpgrade(h)
	if err := m.adoptUnlessAbandoned(ctx, h, ""); err != nil {
		return nil, false, "", err
	}
	return h.Session(), false, "", nil
}

// noteUpgrade records that h, open to write and just saved, was migrated
// from an older schema: the save wrote the new one and kept the old file
// (see state.SchemaCopyPath), which an older cyclezero can still read.
// Read-only sessions are not rewritten, so there is nothing to say for
// them.
func (m *sessions) noteUpgrade(h *state.Handle) {
	from, migrated := h.MigratedFrom()
	if !migrated {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.upgraded = append(m.upgraded, fmt.Sprintf("session %s was upgraded from schema %d to %d; the old file is kept as %s "+
		"(for an older cyclezero: copy it back over %s)", h.Slug(), from, state.SchemaVersion,
		state.SchemaCopyPath(h.StateDir(), h.Slug(), from), filepath.Base(h.Path())))
}

// tellPending prints, once, the workspace's note and the upgrades noted
// since the last call.
func (m *sessions) tellPending(w io.Writer) {
	m.mu.Lock()
	note, lines := m.note, m.upgraded
	m.note, m.upgraded = "", nil
	m.mu.Unlock()
	if note != "" {
		fmt.Fprintf(w, "cyclezero: note: %s\n", note)
	}
	for _, l := range lines {
		fmt.Fprintf(w, "cyclezero: %s\n", l)
	}
}

// closeAfter releases h, a session that failed to open with err, and
// returns err with any error releasing it.
func closeAfter(h *state.Handle, err error) error {
	if cerr := h.Close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("release session %s: %w", h.Slug(), cerr))
	}
	return err
}

// save writes the open session. The write is local and short, so it does
// not watch ctx (an atomic save is not cut off half way).
func (m *sessions) save(_ context.Context, s *state.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.handle == nil || m.handle.Slug() != s.Slug {
		return fmt.Errorf("save session %s: it is not the open session", s.Slug)
	}
	if m.unwritable != "" {
		return fmt.Errorf("save session %s: %w (%s)", s.Slug, state.ErrReadOnly, m.unwritable)
	}
	return m.handle.Save(s)
}

// readOnly reports whether slug is the open session and this instance
// holds it read-only, why, and whether that is because it cannot be
// written (rather than open in another cyclezero).
func (m *sessions) readOnly(slug string) (reason string, unwritable, ro bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case m.handle == nil || m.handle.Slug() != slug:
		return "", false, false
	case m.unwritable != "":
		return m.unwritable, true, true
	case m.handle.ReadOnly():
		return m.handle.ReadOnlyReason(), false, true
	}
	return "", false, false
}

// close releases the open session's lock. It returns every error
// releasing a lock this instance held, which until now went unsaid.
func (m *sessions) close() error {
	m.adopt(nil)
	m.mu.Lock()
	defer m.mu.Unlock()
	err := errors.Join(m.releaseErrs...)
	m.releaseErrs = nil
	return err
}

// release closes m and warns on w when a lock could not be released. It is
// a warning, not a failure: the session is saved by then, and the system
// drops the lock anyway when cyclezero exits. What is still to be said
// (see tellPending) is said first: new SLUG without a terminal ends here.
func (m *sessions) release(w io.Writer) {
	m.tellPending(w)
	if err := m.close(); err != nil {
		fmt.Fprintf(w, "cyclezero: warning: %v\n", err)
	}
}

// choices lists the workspace's sessions for the picker.
func (m *sessions) choices() ([]ui.SessionChoice, error) {
	sums, err := state.List(m.ws.StateDir)
	if err != nil {
		return nil, err // "list sessions in DIR: …" already
	}
	out := make([]ui.SessionChoice, 0, len(sums))
	for _, s := range sums {
		c := ui.SessionChoice{Slug: s.Slug, Current: s.Current, UpdatedAt: s.UpdatedAt, Catalog: s.Catalog,
			InUse: state.LockHolder(m.ws.StateDir, s.Slug)}
		if s.Err != nil {
			c.Problem, c.Broken = m.ws.sessionErr(s.Slug, s.Err).Error(), brokenWord(s.Err)
		}
		out = append(out, c)
	}
	return out, nil
}

// brokenWord says in a word or two why a listed session cannot be read.
func brokenWord(err error) string {
	switch {
	case errors.Is(err, state.ErrNewerSchema):
		return "from a newer cyclezero"
	case errors.As(err, new(*state.DamagedError)):
		return "damaged"
	case errors.As(err, new(*state.OnlyBackupError)):
		return "file deleted, backup kept"
	}
	return "unreadable"
}

// fingerprint is the UI's view of the repo (and, later, catalog) as it is now.
func (m *sessions) fingerprint(ctx context.Context) (state.Fingerprint, error) {
	m.mu.Lock()
	h := m.handle
	m.mu.Unlock()
	if h == nil {
		return state.Fingerprint{}, errors.New("no session is open")
	}
	return m.ws.fingerprint(ctx, h.Session())
}

// uiOptions wires the UI to this workspace's sessions. The UI gives each
// call its own context with a deadline.
func (m *sessions) uiOptions() ui.Options {
	program() // spelled now: Command runs in the UI's Update, which must not look up PATH
	return ui.Options{
		Env:           os.Environ(),
		SuggestedSlug: state.SuggestSlug(filepath.Base(m.ws.RepoRoot)),
		Create:        m.create,
		Open:          m.open,
		Save:          m.save,
		Fingerprint:   m.fingerprint,
		Command:       m.ws.command,
		// The full path, as demo shows it; the header shortens it in the
		// middle. A session's own worktree is shown instead (wizardOptions'
		// SessionRoot, SessionWorkspace): a session is judged against the
		// worktree it was started in, wherever cyclezero runs.
		Workspace:        m.ws.RepoRoot,
		SessionWorkspace: m.ws.rootOf,
		Released:         m.released,
		Holder: func(_ context.Context, slug string) string {
			return state.LockHolder(m.ws.StateDir, slug)
		},
		OutsideGit: !m.ws.InGit,
	}
}

// wizardOptions is uiOptions opening s, just opened (read-only with reason
// when ro), shown in the working tree it is judged against.
func (m *sessions) wizardOptions(ctx context.Context, s *state.Session, ro bool, reason string) ui.Options {
	opts := m.uiOptions()
	opts.Session, opts.ReadOnly, opts.ReadOnlyReason = s, ro, reason
	opts.SessionRoot = m.ws.rootOf(ctx, s)
	return opts
}

// freedLock is a session lock released found free: its slug, and the lock
// file's content then (empty after a clean exit, which truncates it; the
// owner record of a holder that crashed otherwise).
type freedLock struct {
	slug   string
	record []byte
}

// released tells the UI whether slug, open read-only here because another
// cyclezero held it, is free now. The lock is not taken: the user quits and
// resumes. watch is false only when slug is read-only because it cannot be
// written (or is not the open session), which no quit elsewhere changes;
// otherwise the UI keeps asking, so that a third cyclezero taking the
// session after the first quit turns the notice back.
//
// Probing the lock (SessionHolder's try-lock) holds it for an instant when
// it is free, which could make a cyclezero opening it just then read-only,
// so once it is found free it is not probed again: a holder writes its
// owner record once it has the lock, so while the file is empty or still
// says what it said when found free (a crashed holder's record), it stays
// free; other content is a new holder, and then it is held again.
func (m *sessions) released(_ context.Context, slug string) (released, watch bool) {
	if _, unwritable, ro := m.readOnly(slug); !ro || unwritable {
		return false, false
	}
	m.mu.Lock()
	freed := m.freed
	m.mu.Unlock()
	if freed != nil && freed.slug == slug {
		if record := state.LockRecord(m.ws.StateDir, slug); record == nil || bytes.Equal(record, freed.record) {
			return true, true
		}
		m.forget(freed) // a new holder wrote its owner record
		return false, true
	}
	// Read before the probe: a holder taking the lock after it writes a
	// record unlike this one, which the next call sees.
	record := state.LockRecord(m.ws.StateDir, slug)
	if _, held := state.SessionHolder(m.ws.StateDir, slug); held {
		return false, true
	}
	m.mu.Lock()
	if m.handle != nil && m.handle.Slug() == slug {
		m.freed = &freedLock{slug: slug, record: record}
	}
	m.mu.Unlock()
	return true, true
}

// forget drops f, the lock found free, unless the open session has changed
// since.
func (m *sessions) forget(f *freedLock) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.freed == f {
		m.freed = nil
	}
}
