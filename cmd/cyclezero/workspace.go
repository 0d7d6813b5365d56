package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
	"github.com/cyclezero/cyclezero/ui"
)

// workspace is the working tree a command runs in and where its sessions live.
type workspace struct {
	state.Location
	// hint is the -C argument the commands in hints need: "" when the
	// command ran in the current directory, else the repository root.
	hint string
	// accessible is set when --accessible was given: hints keep the flag,
	// so following one comes back the same way.
	accessible bool
	// headless is set by commands run where the form cannot run (no
	// terminal, outside accessible mode): hints that would start it
	// suggest the form of new that needs none.
	headless bool
}

func locate(ctx context.Context, g *globalFlags) (workspace, error) {
	if err := checkRepoFlag(g.repo); err != nil {
		return workspace{}, err
	}
	loc, err := state.Locate(ctx, g.repo)
	if err != nil {
		return workspace{}, err // "locate session state for DIR: …", or what is in the way
	}
	ws := workspace{Location: loc, accessible: g.accessible}
	if hintDir(g.repo) != "" {
		ws.hint = loc.RepoRoot
	}
	return ws, nil
}

// checkRepoFlag refuses a -C that is not a directory as a usage error,
// said plainly rather than as the stat error deep in locating sessions.
func checkRepoFlag(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return usagef("-C %s: no such directory; give the model's working tree, or leave -C out to use the current directory", dir)
	case err != nil:
		return usagef("-C %s: %v", dir, errors.Unwrap(err))
	case !fi.IsDir():
		return usagef("-C %s is a file, not a directory; give the model's working tree", dir)
	}
	return nil
}

// command spells a cyclezero command on this workspace for a hint.
func (w workspace) command(args ...string) string {
	return commandLine(w.hint, withAccessible(w.accessible, args)...)
}

// withAccessible puts --accessible before args when on is set.
func withAccessible(on bool, args []string) []string {
	if !on {
		return args
	}
	return append([]string{"--accessible"}, args...)
}

// designPath is the model design doc of slug, relative to the repo root.
func designPath(slug string) string {
	return filepath.Join("docs", "design", "model", slug+".md")
}

// errNoSessions is returned when a command needs a session and the repo has none.
var errNoSessions = errors.New("no cyclezero sessions")

// noSessions is errNoSessions, said for where they would be, with the
// commands that make one (without a terminal, the one that needs none).
func (w workspace) noSessions() error {
	start := w.command("new")
	if w.headless {
		start = w.headlessNew(nil)
	}
	// The demo makes its own workspace, so no -C; --accessible is kept.
	demo := commandLine("", withAccessible(w.accessible, []string{"demo"})...)
	return fmt.Errorf("%w in %s; start one with: %s\n  or try the demo: %s", errNoSessions, w.where(), start, demo)
}

// headlessNew spells the new command that creates a session without a
// terminal: with the slug the form would suggest (the repository's name)
// when it is valid and not in taken, else with a SLUG placeholder.
func (w workspace) headlessNew(taken map[string]bool) string {
	slug := state.SuggestSlug(filepath.Base(w.RepoRoot))
	if slug == "" || state.ValidateSlug(slug) != nil || taken[slug] {
		slug = "SLUG"
	}
	return w.command("new", slug, "--local")
}

// pickSlug returns slug when given, else the most recently updated readable
// session of the workspace. Newer sessions it skips because they cannot be
// read are reported on warn, with the fix, so a damaged file is never
// passed over in silence.
func (w workspace) pickSlug(slug string, warn io.Writer) (string, error) {
	if slug != "" {
		if err := state.ValidateSlug(slug); err != nil {
			return "", usageError{err}
		}
		return slug, nil
	}
	sum, ok, err := w.newestSession(warn, nil)
	switch {
	case err != nil:
		return "", err
	case ok:
		return sum.Slug, nil
	}
	sums, err := state.List(w.StateDir)
	if err == nil && len(sums) > 0 {
		return "", fmt.Errorf("no session in %s can be read: %w", w.StateDir, w.sessionErr(sums[0].Slug, sums[0].Err))
	}
	return "", w.noSessions()
}

// newestSession returns the most recently updated readable session that
// accept takes (nil takes any), and false when there is none. Sessions
// that cannot be read and are newer than the one returned (or any, when
// none is) are reported on warn with their fix.
func (w workspace) newestSession(warn io.Writer, accept func(state.Summary) bool) (state.Summary, bool, error) {
	sums, err := state.List(w.StateDir)
	if err != nil {
		return state.Summary{}, false, err // "list sessions in DIR: …" already
	}
	var skipped []state.Summary
	for _, s := range sums { // newest first
		switch {
		case s.Err != nil:
			skipped = append(skipped, s)
		case accept == nil || accept(s):
			for _, bad := range skipped {
				fmt.Fprintf(warn, "cyclezero: warning: skipped session %s, newer than %s, because it cannot be read: %v\n",
					bad.Slug, s.Slug, w.sessionErr(bad.Slug, bad.Err))
			}
			return s, true, nil
		}
	}
	if accept != nil {
		for _, bad := range skipped {
			fmt.Fprintf(warn, "cyclezero: warning: skipped session %s because it cannot be read: %v\n",
				bad.Slug, w.sessionErr(bad.Slug, bad.Err))
		}
	}
	return state.Summary{}, false, nil
}

// load reads a session without locking or writing anything.
func (w workspace) load(slug string) (*state.Session, error) {
	s, err := state.Load(w.StateDir, slug)
	if err != nil {
		return nil, w.sessionErr(slug, err)
	}
	return s, nil
}

// sessionErr says state's errors about slug's session for this command
// line: an unknown slug lists the sessions there are, a damaged file's fix
// names the program as the user runs it.
func (w workspace) sessionErr(slug string, err error) error {
	var damaged *state.DamagedError
	switch {
	case errors.As(err, &damaged):
		d := *damaged
		d.StartOverCommand = w.command("new", slug)
		return &d
	case errors.Is(err, state.ErrNotFound):
		// A slug named on the command line: a wrong argument, like
		// --session naming no session (exit 2).
		return usageError{w.unknownSession(slug)}
	}
	return err
}

// unknownSession is the error for a slug with no session: it names the
// sessions there are and the command that starts this one.
func (w workspace) unknownSession(slug string) error {
	var names []string
	if sums, err := state.List(w.StateDir); err == nil {
		for _, s := range sums {
			names = append(names, s.Slug)
		}
	}
	msg := fmt.Sprintf("no session %q in %s", slug, w.where())
	if len(names) > 0 {
		msg += " (its sessions: " + strings.Join(names, ", ") + ")"
	} else {
		msg += " (it has none yet)"
	}
	return notFoundError{msg + "; start it with: " + w.command("new", slug)}
}

// where names the place sessions belong to, for messages: the repository,
// or outside git the directory they were kept for.
func (w workspace) where() string {
	if w.InGit {
		return "this repository"
	}
	return "this directory (" + w.RepoRoot + ")"
}

// notFoundError is a missing session, said for people; it matches
// state.ErrNotFound.
type notFoundError struct{ msg string }

func (e notFoundError) Error() string { return e.msg }
func (e notFoundError) Unwrap() error { return state.ErrNotFound }

// judgement is what a session's phases are judged against now.
type judgement struct {
	// Root is the working tree judged: the session's own repo_root when it
	// is still a worktree of this repository, else the current one.
	Root string
	FP   state.Fingerprint
	// CodeUnknown is true outside git: code and config changes cannot be
	// seen, so the fingerprint has no git half.
	CodeUnknown bool
	// Notes say, for people, what is unusual about this judgement.
	Notes []string
}

// judge computes the fingerprint s's phases are judged against: the
// repository as it is (the session's own worktree when it has one), and
// the catalog half as the session last recorded it. Outside git the code
// state is unknown, which is said, not an error.
func (w workspace) judge(ctx context.Context, s *state.Session) (judgement, error) {
	j := judgement{Root: w.RepoRoot}
	if root, note := w.sessionRoot(ctx, s); root != "" {
		j.Root = root
	} else if note != "" {
		j.Notes = append(j.Notes, note)
	}
	if !w.InGit {
		j.CodeUnknown = true
		j.Notes = append(j.Notes, fmt.Sprintf("code state unknown: %s is not in a git repository, so changes to "+
			"code and config since a phase was done cannot be seen (run `git init` there to track them)", j.Root))
		fp, err := steps.DesignHash(j.Root, designPath(s.Slug))
		if err != nil {
			return j, err // "read the design doc: …" with its path, which names the session
		}
		j.FP.DesignHash = fp
	} else {
		fp, err := steps.CurrentFingerprint(ctx, j.Root, designPath(s.Slug))
		if err != nil {
			return j, fmt.Errorf("read the repository's state: %w", err)
		}
		j.FP = fp
	}
	j.FP.SchemaHash, j.FP.DatasetVersion = lastCatalogFingerprint(s)
	return j, nil
}

// rootOf is the working tree s's phases are judged against (judge's Root),
// for where the session is shown: its own linked worktree when it has one.
func (w workspace) rootOf(ctx context.Context, s *state.Session) string {
	if root, _ := w.sessionRoot(ctx, s); root != "" {
		return root
	}
	return w.RepoRoot
}

// sessionRoot returns s's own working tree when it differs from the
// workspace's and is still a worktree of the same repository (a linked git
// worktree shares the sessions of the main one); "" and a note when it is
// gone, "" alone when there is nothing to say.
//
// A session started in the main worktree has its root resolved by package
// state to wherever the repository is now (moved or copied), so only a
// linked worktree that was removed (or an old session's root) comes here.
func (w workspace) sessionRoot(ctx context.Context, s *state.Session) (string, string) {
	if s.RepoRoot == "" || sameDir(s.RepoRoot, w.RepoRoot) {
		return "", ""
	}
	if fi, err := os.Stat(s.RepoRoot); err == nil && fi.IsDir() {
		if loc, err := state.Locate(ctx, s.RepoRoot); err == nil && sameDir(loc.StateDir, w.StateDir) {
			return loc.RepoRoot, ""
		}
	}
	return "", fmt.Sprintf("the session was started in %s, which is gone or no longer part of this repository; judged against %s",
		s.RepoRoot, w.RepoRoot)
}

// fingerprint is judge's fingerprint alone, for the TUI.
func (w workspace) fingerprint(ctx context.Context, s *state.Session) (state.Fingerprint, error) {
	j, err := w.judge(ctx, s)
	return j.FP, err
}

// evaluate computes the phase statuses of s against the repo as it is now.
func (w workspace) evaluate(ctx context.Context, s *state.Session) ([]steps.PhaseState, judgement, error) {
	j, err := w.judge(ctx, s)
	if err != nil {
		return nil, j, err
	}
	return steps.Evaluate(s, j.FP), j, nil
}

// lastCatalogFingerprint returns the catalog half of the fingerprint as the
// session last saw it (the newest phase record that has one).
func lastCatalogFingerprint(s *state.Session) (schema, dataset string) {
	for _, p := range steps.Phases {
		rec := s.Phases[string(p.ID)]
		if rec == nil {
			continue
		}
		if rec.Fingerprint.SchemaHash != "" {
			schema = rec.Fingerprint.SchemaHash
		}
		if rec.Fingerprint.DatasetVersion != "" {
			dataset = rec.Fingerprint.DatasetVersion
		}
	}
	return schema, dataset
}

// describeCatalog renders a catalog location for plain text in the words
// the catalog's own Describe uses, so new, status, ls, whoami and errors
// name a catalog alike: "local catalog at /path" (the UI header shows it
// without the file), and "https://host catalog 1", with no symbol for a
// screen reader to name.
func describeCatalog(c state.CatalogLocation) string {
	return withCatalogPath(ui.DescribeCatalogInWords(c), c)
}

// describeCatalogStyled is describeCatalog for the styled status, which
// parts host and catalog as the wizard's header does.
func describeCatalogStyled(c state.CatalogLocation) string {
	return withCatalogPath(ui.DescribeCatalog(c), c)
}

// withCatalogPath adds where an embedded catalog's file is to described.
func withCatalogPath(described string, c state.CatalogLocation) string {
	if c.Kind == state.CatalogLocal && c.Path != "" {
		return described + " at " + c.Path
	}
	return described
}
