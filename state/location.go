package state

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// GitTimeout bounds each git invocation made to locate the state directory.
const GitTimeout = 10 * time.Second

// stateSubdir is the directory name used under the git common dir and under
// $XDG_STATE_HOME.
const stateSubdir = "cyclezero"

// Location says where a working tree's sessions are kept and why.
type Location struct {
	// StateDir is the state directory (see the package doc for its layout).
	StateDir string
	// RepoRoot is the git toplevel, or the directory itself outside git.
	RepoRoot string
	// InGit is true when the directory is inside a git repository. StateDir
	// is then under the repository's git common dir, unless Fallback is set.
	InGit bool
	// Note explains a fallback to the XDG state dir, e.g. that git is not
	// installed, and says where sessions from before `git init` were left
	// behind (LeftBehind) and how to move them; empty otherwise. Worth
	// showing the user once.
	Note string
	// Fallback is set when the directory is in a git repository but StateDir
	// is nevertheless an XDG state dir: the repository's git dir has no
	// sessions, and sessions were started there before `git init`. Those
	// sessions are used where they are (never moved: their catalogs' paths
	// point there), and new sessions for the repository go there too, so
	// the repository keeps one place. Creating or opening a session there
	// for writing leaves a breadcrumb in the git dir naming the XDG dir,
	// so the repository finds its sessions after it is moved, their
	// recorded roots read as where it is now. It is a sentence for people
	// saying this and where; empty otherwise.
	Fallback string
	// LeftBehind are other XDG state dirs with sessions started before
	// `git init` in this repository, which it does not use (its git dir
	// has sessions, or another pre-git dir was taken); Note says so, with
	// the command that moves them.
	LeftBehind []LeftBehind
}

// Dir returns the state directory for the working tree containing repoDir:
// <git common dir>/cyclezero inside a git repository (the same for every
// worktree and subdirectory), else $XDG_STATE_HOME/cyclezero/<name>-<hash>.
// A repository whose sessions were started before `git init` keeps them in
// the XDG dir (see [Location.Fallback]). It does not create the directory.
func Dir(repoDir string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), GitTimeout)
	defer cancel()
	loc, err := Locate(ctx, repoDir)
	return loc.StateDir, err
}

// RepoRoot returns the git toplevel of the working tree containing dir, or
// dir itself (made absolute) outside a git repository.
func RepoRoot(dir string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), GitTimeout)
	defer cancel()
	loc, err := Locate(ctx, dir)
	return loc.RepoRoot, err
}

// Locate works out the state directory and repository root for dir. A
// missing git binary is not an error: dir is then treated as outside a
// repository and Location.Note says so. Inside a repository whose git dir
// has no sessions yet, the XDG state dir its sessions were kept in before
// `git init` is used when it has some (Location.Fallback says so). A file
// where the state dir or its sessions directory goes, or (outside git)
// where the XDG state home or one of its parents goes, gives an
// *InTheWayError saying what to do, before any command trips on it half
// way. In a repository's git dir the main worktree's sessions are
// found; a bare repository gives a *BareRepoError (and a git dir whose
// working tree cannot be found a *GitDirError): both match ErrNoWorkTree.
func Locate(ctx context.Context, dir string) (Location, error) {
	loc, err := findLocation(ctx, dir)
	if err != nil {
		return loc, err
	}
	sessions := SessionsDir(loc.StateDir)
	if in := fileInTheWay(loc.StateDir, sessions,
		&os.PathError{Op: "use", Path: sessions, Err: syscall.ENOTDIR}); in != nil {
		return Location{}, in
	}
	return loc, nil
}

// findLocation is Locate without the check for a file in the way.
func findLocation(ctx context.Context, dir string) (Location, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Location{}, fmt.Errorf("locate session state for %s: %w", dir, err)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if fi, err := os.Stat(abs); err != nil {
		return Location{}, fmt.Errorf("locate session state: %w", err)
	} else if !fi.IsDir() {
		return Location{}, fmt.Errorf("locate session state: %s is not a directory", abs)
	}

	// --path-format=absolute (git ≥ 2.31) also fixes the path for
	// subdirectories; older gits echo the flag, so take the last line.
	out, err := runGit(ctx, abs, "rev-parse", "--is-bare-repository", "--is-inside-git-dir",
		"--path-format=absolute", "--git-common-dir")
	switch {
	case errors.Is(err, errNotRepo):
		return outsideGit(abs, "")
	case errors.Is(err, exec.ErrNotFound):
		return outsideGit(abs, "git is not installed (not found on PATH), so session state is kept in the XDG state directory")
	case err != nil:
		return Location{}, fmt.Errorf("locate session state for %s: %w", abs, err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	common := lastLine(out)
	if !filepath.IsAbs(common) {
		common = filepath.Join(abs, common)
	}
	common = filepath.Clean(common)
	loc := Location{StateDir: filepath.Join(common, stateSubdir), RepoRoot: abs, InGit: true}
	switch {
	case len(lines) >= 2 && strings.TrimSpace(lines[0]) == "true":
		return Location{}, &BareRepoError{Dir: abs}
	case len(lines) >= 2 && strings.TrimSpace(lines[1]) == "true":
		// In the git dir itself (repo/.git, or a linked worktree's
		// repo/.git/worktrees/x) there is no working tree: the
		// repository's sessions are the main worktree's.
		main := mainWorktree(ctx, common)
		switch {
		case ctx.Err() != nil:
			return Location{}, fmt.Errorf("locate repository root for %s: %w", abs, ctx.Err())
		case main == "":
			return Location{}, &GitDirError{Dir: abs}
		}
		loc.RepoRoot = main
		return preGitFallback(loc), nil
	}

	if top, err := runGit(ctx, abs, "rev-parse", "--show-toplevel"); err == nil && lastLine(top) != "" {
		loc.RepoRoot = filepath.Clean(lastLine(top))
	} else if ctx.Err() != nil {
		return Location{}, fmt.Errorf("locate repository root for %s: %w", abs, ctx.Err())
	}
	return preGitFallback(loc), nil
}

// mainWorktree is the working tree of the non-bare repository whose git
// common dir is common: its parent when common is named .git and git
// agrees; "" when there is none to be found (a separate git dir).
func mainWorktree(ctx context.Context, common string) string {
	if filepath.Base(common) != ".git" {
		return ""
	}
	top, err := runGit(ctx, filepath.Dir(common), "rev-parse", "--show-toplevel")
	if err != nil || lastLine(top) == "" {
		return ""
	}
	return filepath.Clean(lastLine(top))
}

// ErrNoWorkTree is matched (errors.Is) by a *BareRepoError and a
// *GitDirError: a directory of git's own, where no session can be kept.
var ErrNoWorkTree = errors.New("no working tree")

// BareRepoError is a bare repository: it has no working tree, so a
// session, which judges the model's code, has nothing to work on.
type BareRepoError struct{ Dir string }

// Error implements error.
func (e *BareRepoError) Error() string {
	return fmt.Sprintf("%s is a bare repository with no working tree: run cyclezero in a checkout of it", e.Dir)
}

// Is makes errors.Is(err, ErrNoWorkTree) true.
func (e *BareRepoError) Is(target error) bool { return target == ErrNoWorkTree }

// GitDirError is a git directory whose working tree cannot be found (a
// separate git dir, say).
type GitDirError struct{ Dir string }

// Error implements error.
func (e *GitDirError) Error() string {
	return fmt.Sprintf("%s is inside a git directory, not a working tree: run cyclezero in the repository's working tree", e.Dir)
}

// Is makes errors.Is(err, ErrNoWorkTree) true.
func (e *GitDirError) Is(target error) bool { return target == ErrNoWorkTree }

// outsideGit is the Location for a directory that is not in a git repository.
func outsideGit(abs, note string) (Location, error) {
	dir, err := xdgStateDir(abs)
	if err != nil {
		return Location{}, fmt.Errorf("locate session state for %s (not a git repository): %w", abs, err)
	}
	return Location{StateDir: dir, RepoRoot: abs, Note: note}, nil
}

// xdgStateDir is the state dir of the absolute directory abs when it is
// not in a git repository: $XDG_STATE_HOME/cyclezero/<name>-<hash of abs>.
func xdgStateDir(abs string) (string, error) {
	base, err := xdgStateHome()
	if err != nil {
		return "", err
	}
	name := SuggestSlug(filepath.Base(abs))
	if name == "" {
		name = "dir"
	}
	if len(name) > 40 {
		name = strings.TrimRight(name[:40], "-")
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(base, stateSubdir, name+"-"+hex.EncodeToString(sum[:6])), nil
}

// xdgStateHome is $XDG_STATE_HOME, or ~/.local/state when it is unset or
// not absolute (the XDG spec says to ignore relative values).
func xdgStateHome() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no home directory for the XDG state dir (set XDG_STATE_HOME): %w", err)
	}
	return filepath.Join(home, ".local", "state"), nil
}

// errNotRepo marks git's "not a git repository" answer.
var errNotRepo = errors.New("not a git repository")

// runGit runs git -C dir args… and returns its stdout. It returns an error
// matching exec.ErrNotFound when git is missing and errNotRepo when dir is
// not inside a repository.
func runGit(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	// Stable English messages to match on; never prompt for anything.
	cmd.Env = append(os.Environ(), "LC_ALL=C", "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err == nil {
		return stdout.String(), nil
	}
	if errors.Is(err, exec.ErrNotFound) {
		return "", fmt.Errorf("run git: %w", err)
	}
	if ctx.Err() != nil {
		return "", fmt.Errorf("git %s timed out: %w", strings.Join(args, " "), ctx.Err())
	}
	msg := strings.TrimSpace(stderr.String())
	if strings.Contains(msg, "not a git repository") {
		return "", errNotRepo
	}
	if msg == "" {
		msg = err.Error()
	}
	return "", fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
}

// lastLine is the last non-empty line of s, trimmed.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
