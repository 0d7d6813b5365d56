package ui

import (
	"context"
	"strings"
	"time"

	"github.com/cyclezero/cyclezero/state"
)

// Options is everything the UI needs from outside. cmd builds it; the
// bubbletea model calls its functions only from a tea.Cmd, never from
// Update (RunAccessible, which has no Update, calls them directly).
type Options struct {
	// Session is the session to open in the wizard. When nil the UI starts
	// with the picker if Sessions is non-empty, else with the new-session form.
	Session *state.Session
	// Sessions lists existing sessions for the picker. The new-session
	// form also refuses their slugs.
	Sessions []SessionChoice
	// StartNew opens the new-session form even when Sessions is non-empty
	// (`cyclezero new`); esc then goes back to the picker.
	StartNew bool
	// SuggestedSlug pre-fills the form's slug (for example the repository's
	// directory name in kebab-case). It is ignored when it is not a valid
	// slug or a session already uses it.
	SuggestedSlug string
	// Catalog, when set, is the catalog a new session is made on, chosen
	// before the UI started (`cyclezero --local`, `new --host H --catalog
	// ID`): the new-session form, and the picker's way to it, then ask only
	// the slug and show this catalog above it. Opening a saved session
	// ignores it: a session keeps the catalog it was made with.
	Catalog *state.CatalogLocation
	// ReadOnly opens Session without ever saving it (another instance holds
	// the lock, or the dashboard is read-only); ReadOnlyReason says why.
	ReadOnly       bool
	ReadOnlyReason string

	// Create makes a new session (and its catalog when needed) from the
	// new-session form's answers. A nil Create makes the form report that
	// sessions cannot be created here. ctx ends after createTimeout, or
	// when the user stops waiting (esc in the form, ctrl+c in accessible
	// mode): Create must then give up and leave nothing made behind.
	Create func(ctx context.Context, ns NewSession) (*state.Session, error)
	// Open loads the session the user picked. It says whether the session
	// must be opened read-only, and why. ctx ends after openTimeout.
	Open func(ctx context.Context, slug string) (sess *state.Session, readOnly bool, reason string, err error)
	// Save persists a session after the UI changed it (the current phase).
	// It receives a snapshot the UI never mutates afterwards. ctx ends
	// after saveTimeout.
	Save func(ctx context.Context, s *state.Session) error
	// SaveDelay is how long the phase selection must stay put before it is
	// saved (default 400ms), so holding j/k writes the session once, not
	// once per phase passed; quitting saves at once. Negative saves at
	// once on every move (for tests).
	SaveDelay time.Duration
	// Fingerprint computes the repo's and catalog's current fingerprint, from
	// which phase staleness is evaluated. Nil means "unknown" (no staleness).
	Fingerprint func(ctx context.Context) (state.Fingerprint, error)

	// Width and Height are an optional initial size; the terminal's
	// WindowSizeMsg replaces them.
	Width, Height int
	// Env is the process environment (os.Environ()), read once by New for
	// COLORFGBG, the background hint some terminals set ("15;0" is light on
	// dark, "0;15" dark on light); nil means no hint.
	Env []string
	// Now is the clock used for "updated 2 h ago"; nil means time.Now. Tests
	// fix it so rendered frames are stable.
	Now func() time.Time
	// Command spells a cyclezero command for the hints the UI prints, the
	// way the user runs it (the program, -C DIR, --accessible); nil means
	// "cyclezero" and args. It is called from Update (a refused slug's
	// hint), so it must not do I/O.
	Command func(args ...string) string
	// Workspace is the working tree cyclezero runs in (its path; "" for
	// none). The wizard's header names the open session's working tree
	// after the catalog when there is room, shortened in the middle to
	// fit: Workspace for a session made in the form, SessionRoot for
	// Session, SessionWorkspace's answer for one the picker opened. A
	// session is judged against the worktree it was started in, which for
	// one started in another git worktree of the repository is not this.
	// The header leaves the path out when it is Workspace and ends in the
	// slug ("fresh · local catalog · /home/me/fresh" says it twice); in
	// another worktree it stays, however it is named.
	Workspace string
	// SessionRoot is Session's working tree, the one its phases are judged
	// against; "" means Workspace.
	SessionRoot string
	// SessionWorkspace, when set, names the working tree of a session the
	// picker opened, as SessionRoot does for Session. It is called in the
	// tea.Cmd that opens the session, after Open, so it may do I/O (git);
	// "" or a nil SessionWorkspace means Workspace.
	SessionWorkspace func(ctx context.Context, s *state.Session) string
	// Released, when set, is asked every releasedEvery while the wizard
	// shows a session opened read-only: has the other cyclezero that held
	// it let it go? The read-only notice then says so, and to quit and
	// resume to make changes (this instance never takes the lock over).
	// Asked on after that, it turns the notice back when another takes
	// the session (without naming the one the open's reason named, which
	// has quit). watch is false when asking again is pointless (the
	// session is read-only because its files cannot be written, or is no
	// longer the one open): the UI then stops asking and keeps that
	// answer. It is called from a tea.Cmd, so it may do I/O.
	Released func(ctx context.Context, slug string) (released, watch bool)
	// Holder, when set, says who holds slug's session now ("" when nobody
	// does): the picker asks it every holdersEvery about the sessions it
	// marks in use, so a mark goes once the other cyclezero quits. It is
	// called from a tea.Cmd, so it may do I/O.
	Holder func(ctx context.Context, slug string) string
	// OutsideGit says the workspace is a directory in no git repository:
	// the UI then says "this directory", as cmd's messages do, where it
	// otherwise says "this repository".
	OutsideGit bool
}

// SessionChoice is one existing session offered by the picker.
type SessionChoice struct {
	Slug      string
	Current   string                // phase id the user was last on, may be empty
	UpdatedAt time.Time             // zero when unknown
	Catalog   state.CatalogLocation // where the catalog is; zero when unknown
	// Problem is non-empty when the session file cannot be used as it
	// is: what is wrong and how to fix it. Broken says it in a word or two
	// for the list ("damaged", "from a newer cyclezero").
	Problem, Broken string
	// InUse is non-empty when another cyclezero holds the session's lock,
	// saying who ("in use by another cyclezero (pid 4242)"): opening it
	// gives a read-only session.
	InUse string
}

// NewSession is what the new-session form collects.
type NewSession struct {
	Slug    string
	Catalog state.CatalogLocation
}

// Outcome is how the program ended, for cmd to print the next step.
type Outcome struct {
	// Slug is the session that was open when the program ended ("" if none),
	// so cmd can print "Resume with: cyclezero resume <slug>".
	Slug string
	// Quit is true when the user quit (q or ctrl+c) or was made to leave
	// (LeaveMsg).
	Quit bool
	// Interrupted is true when the user quit with ctrl+c or a LeaveMsg
	// said so (a signal), so cmd can exit as an interrupted program does.
	Interrupted bool
	// Err is the last save error when the final state could not be saved.
	Err error
}

// Each call of an Options function gets a deadline, so a hung git, disk or
// server never leaves the UI waiting forever (the user can still leave).
const (
	// fingerprintTimeout bounds one Fingerprint call (git and the catalog).
	fingerprintTimeout = 20 * time.Second
	// createTimeout is the longest: Create may create and prepare an
	// embedded catalog, or reach a server to check the catalog exists. It
	// must exceed the ERMrest client's read budget (defaultReadBudget in
	// catalog/ermrest, 90s, which no package exports): a server that
	// accepts the connection but never answers then fails with the
	// client's "no answer from the catalog server … (3 attempts)" and its
	// fix, as on the command line, not with this deadline's bare "context
	// deadline exceeded". esc stops the wait sooner.
	createTimeout = 2 * time.Minute
	// openTimeout and saveTimeout bound local file work (the lock, the
	// session file), which takes milliseconds unless something is wrong.
	openTimeout = 20 * time.Second
	saveTimeout = 20 * time.Second
	// releasedEvery is how often Options.Released is asked while a session
	// is read-only: slow enough to cost nothing (it reads a lock file),
	// quick enough that the notice changes soon after the other quits.
	releasedEvery = 2 * time.Second
	// releasedTimeout bounds one Released call (local file work).
	releasedTimeout = 10 * time.Second
	// defaultSaveDelay is Options.SaveDelay's default: longer than the
	// gap between a held key's repeats, short enough that a move is saved
	// before anyone could notice it was not.
	defaultSaveDelay = 400 * time.Millisecond
)

// place is what the UI calls the workspace in sentences: "repository",
// or "directory" outside git.
func (o Options) place() string {
	if o.OutsideGit {
		return "directory"
	}
	return "repository"
}

// withDefaults fills the optional fields.
func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.SaveDelay == 0 {
		o.SaveDelay = defaultSaveDelay
	}
	if o.Command == nil {
		o.Command = func(args ...string) string { return strings.Join(append([]string{"cyclezero"}, args...), " ") }
	}
	return o
}
