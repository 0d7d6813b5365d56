package steps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
)

// ErrNoGit is the cause of every error that comes from git not being
// installed (not found on PATH).
var ErrNoGit = errors.New("git is not installed (not found on PATH)")

// RequireGit returns an error saying that git is missing, that it is
// needed to do what (a phrase like "create the demo workspace") and how to
// get it, when git is not on PATH; nil when it is. It matches ErrNoGit. Check before writing
// anything, so a missing git leaves nothing half made.
func RequireGit(what string) error {
	if _, err := exec.LookPath("git"); err != nil {
		return noGit(what)
	}
	return nil
}

// noGit is RequireGit's error.
func noGit(what string) error {
	return fmt.Errorf("%w, and it is needed to %s; install git (https://git-scm.com/downloads) and try again", ErrNoGit, what)
}

// runGit runs git in root and returns its stdout. GIT_OPTIONAL_LOCKS=0 keeps
// read-only commands (status refreshes the index otherwise) from taking
// index.lock, so a read-only dashboard never collides with the user's git.
func runGit(ctx context.Context, root string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", root}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, noGit("work with the model's repository")
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("git %s: %w", args[0], ctx.Err())
		}
		return stdout.Bytes(), &gitError{args: args, root: root, err: err, stderr: strings.TrimSpace(stderr.String())}
	}
	return stdout.Bytes(), nil
}

type gitError struct {
	args   []string
	root   string
	err    error
	stderr string
}

func (e *gitError) Error() string {
	msg := fmt.Sprintf("git %s in %s: %v", strings.Join(e.args, " "), e.root, e.err)
	if e.stderr != "" {
		msg += ": " + e.stderr
	}
	return msg
}

func (e *gitError) Unwrap() error { return e.err }

// exitCode returns git's exit code from err, or -1.
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// repoPrefix returns root's path inside its repository ("" at the top,
// "sub/dir/" below it), and a clear error when root is not in a git repo.
func repoPrefix(ctx context.Context, root string) (string, error) {
	out, err := runGit(ctx, root, "rev-parse", "--show-prefix")
	if errors.Is(err, ErrNoGit) {
		return "", err // git is missing, not the repository
	}
	if err != nil {
		return "", fmt.Errorf("%s is not inside a git repository (DerivaML records provenance from git; run `git init` there): %w", root, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// GitHead returns the commit HEAD points at, or "" when the repository has
// no commits yet (that is not an error).
func GitHead(ctx context.Context, root string) (string, error) {
	if _, err := repoPrefix(ctx, root); err != nil {
		return "", err
	}
	return head(ctx, root)
}

// head is GitHead for a root already known to be in a repository.
func head(ctx context.Context, root string) (string, error) {
	out, err := runGit(ctx, root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
	if err != nil {
		if exitCode(err) == 1 {
			return "", nil // unborn branch: no commits yet
		}
		return "", fmt.Errorf("read git HEAD: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// StatusEntry is one entry of `git status --porcelain`: the two-letter
// code, the path relative to the repository's top, and for renames and
// copies the original path.
type StatusEntry struct {
	Code string
	Path string
	Orig string
}

// String formats the entry as a porcelain line, as DerivaML's dirty-tree
// error lists it.
func (e StatusEntry) String() string {
	if e.Orig != "" {
		return e.Code + " " + e.Orig + " -> " + e.Path
	}
	return e.Code + " " + e.Path
}

// gitStatus runs `git status --porcelain -z --untracked-files=all` (the
// flags DerivaML uses, plus -z so odd file names need no unquoting).
func gitStatus(ctx context.Context, root string) ([]StatusEntry, error) {
	out, err := runGit(ctx, root, "status", "--porcelain", "-z", "--untracked-files=all")
	if err != nil {
		return nil, fmt.Errorf("read git status: %w", err)
	}
	return parsePorcelainZ(out), nil
}

// parsePorcelainZ parses `git status --porcelain -z` output.
func parsePorcelainZ(out []byte) []StatusEntry {
	fields := strings.Split(string(out), "\x00")
	var entries []StatusEntry
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if len(f) < 4 {
			continue
		}
		e := StatusEntry{Code: f[:2], Path: f[3:]}
		if strings.ContainsAny(e.Code, "RC") && i+1 < len(fields) {
			i++
			e.Orig = fields[i]
		}
		entries = append(entries, e)
	}
	return entries
}

// IgnorePrefixes returns the prefixes DerivaML's dirty check skips: the
// defaults plus the colon-separated DERIVA_ML_DIRTY_CHECK_IGNORE (empty
// items dropped, so an empty variable adds nothing).
func IgnorePrefixes() []string {
	out := append([]string(nil), DefaultIgnorePrefixes...)
	for _, p := range strings.Split(os.Getenv("DERIVA_ML_DIRTY_CHECK_IGNORE"), ":") {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// FilterDirty drops the entries whose path (the destination, for a rename)
// starts with one of prefixes — a plain string prefix, as DerivaML's
// Workflow._filter_dirty_paths does.
func FilterDirty(entries []StatusEntry, prefixes []string) []StatusEntry {
	var kept []StatusEntry
	for _, e := range entries {
		ignored := false
		for _, p := range prefixes {
			if strings.HasPrefix(e.Path, p) {
				ignored = true
				break
			}
		}
		if !ignored {
			kept = append(kept, e)
		}
	}
	return kept
}

// DirtyEntries mirrors DerivaML's dirty-tree check: every entry of `git
// status --porcelain --untracked-files=all` for the whole repository,
// minus IgnorePrefixes. Empty means the tree is clean for provenance.
func DirtyEntries(ctx context.Context, repoRoot string) ([]StatusEntry, error) {
	if _, err := repoPrefix(ctx, repoRoot); err != nil {
		return nil, err
	}
	entries, err := gitStatus(ctx, repoRoot)
	if err != nil {
		return nil, err
	}
	return FilterDirty(entries, IgnorePrefixes()), nil
}

// DirtyPaths is DirtyEntries' paths (relative to the repository's top, as
// git status prints them).
func DirtyPaths(ctx context.Context, repoRoot string) ([]string, error) {
	entries, err := DirtyEntries(ctx, repoRoot)
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(entries))
	for i, e := range entries {
		paths[i] = e.Path
	}
	return paths, nil
}

// ChangedPaths lists the paths, relative to repoRoot, that differ between
// fromCommit and the working tree: the committed diff fromCommit..HEAD plus
// everything `git status` reports (staged, unstaged, untracked; both sides
// of a rename). An empty fromCommit means "before the first commit", so
// every committed file counts. Feed the result to ClassifyChange.
func ChangedPaths(ctx context.Context, repoRoot, fromCommit string) ([]string, error) {
	prefix, err := repoPrefix(ctx, repoRoot)
	if err != nil {
		return nil, err
	}
	headSHA, err := head(ctx, repoRoot)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	if headSHA != "" {
		from := fromCommit
		if from == "" {
			out, err := runGit(ctx, repoRoot, "hash-object", "-t", "tree", "--stdin")
			if err != nil {
				return nil, fmt.Errorf("compute the empty tree: %w", err)
			}
			from = strings.TrimSpace(string(out))
		} else if _, err := runGit(ctx, repoRoot, "rev-parse", "--verify", "--quiet", fromCommit+"^{commit}"); err != nil {
			return nil, fmt.Errorf("commit %s is not in this repository (was history rewritten?): %w", ShortSHA(fromCommit), err)
		}
		out, err := runGit(ctx, repoRoot, "diff", "--name-only", "-z", "--no-renames", "--relative", from, headSHA, "--")
		if err != nil {
			return nil, fmt.Errorf("list files changed since %s: %w", ShortSHA(from), err)
		}
		for _, p := range strings.Split(string(out), "\x00") {
			if p != "" {
				set[p] = true
			}
		}
	}
	entries, err := gitStatus(ctx, repoRoot)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		for _, p := range []string{e.Path, e.Orig} {
			if rel, ok := strings.CutPrefix(p, prefix); ok && p != "" {
				set[rel] = true
			}
		}
	}
	paths := make([]string, 0, len(set))
	for p := range set {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths, nil
}
