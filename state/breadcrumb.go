package state

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// Sessions kept in an XDG state dir after `git init` (see Location.Fallback)
// are found by the name of the directory they were started in, and by the
// repo_root they record: both name where the repository was. Moved
// elsewhere, it would lose them. So a repository using such a dir says so
// in its own git dir, which moves with it: a breadcrumb file naming the XDG
// dir and the top levels the repository had while using it.
//
// Create and Open (given the lock) have only the state dir, not the
// Location. Locate therefore notes in this process which state dirs it
// gave out as fallbacks (usedFallbacks), and they write the breadcrumb for
// a dir noted there: the sessions were then created or opened for writing
// through such a Location. The note also carries the repository's former
// top levels, so loading a session there gives a repo_root that was inside
// one of them, gone since, its place in the repository as it is now.

// breadcrumbName is the breadcrumb's file name in a repository's git state
// dir (<git common dir>/cyclezero), next to where sessions/ would be: it is
// never taken for a session.
const breadcrumbName = "pre-git-state"

// breadcrumbPath is the breadcrumb of the git state dir gitStateDir.
func breadcrumbPath(gitStateDir string) string { return filepath.Join(gitStateDir, breadcrumbName) }

// breadcrumb is the breadcrumb's content.
type breadcrumb struct {
	// StateDir is the XDG state dir holding the repository's sessions.
	StateDir string `json:"state_dir"`
	// RepoRoots are the top levels the repository had while using it,
	// oldest first.
	RepoRoots []string `json:"repo_roots"`
}

// readBreadcrumb reads gitStateDir's breadcrumb; ok is false when there is
// none, it cannot be read or it does not name an absolute path (a
// breadcrumb is a hint: a bad one is passed over quietly).
func readBreadcrumb(gitStateDir string) (breadcrumb, bool) {
	data, err := os.ReadFile(breadcrumbPath(gitStateDir))
	if err != nil {
		return breadcrumb{}, false
	}
	var b breadcrumb
	if json.Unmarshal(data, &b) != nil || !filepath.IsAbs(b.StateDir) {
		return breadcrumb{}, false
	}
	b.StateDir = filepath.Clean(b.StateDir)
	roots := b.RepoRoots[:0]
	for _, r := range b.RepoRoots {
		if filepath.IsAbs(r) {
			roots = append(roots, filepath.Clean(r))
		}
	}
	b.RepoRoots = roots
	return b, true
}

// breadcrumbDir is the XDG state dir gitStateDir's breadcrumb names, when
// it is there and has sessions, with the breadcrumb; ok is false otherwise.
func breadcrumbDir(gitStateDir string) (breadcrumb, bool) {
	b, ok := readBreadcrumb(gitStateDir)
	if !ok || b.StateDir == filepath.Clean(gitStateDir) {
		return breadcrumb{}, false
	}
	if found, err := hasSessions(b.StateDir); !found || err != nil {
		return breadcrumb{}, false
	}
	return b, true
}

// fallbackUse is a state dir Locate gave out as a repository's fallback.
type fallbackUse struct {
	gitStateDir string   // the repository's own state dir, for the breadcrumb
	top         string   // the repository's top level now
	movedFrom   []string // top levels it had before, from the breadcrumb
}

// usedFallbacks maps a fallback state dir to its use, for this process.
var usedFallbacks struct {
	sync.Mutex
	m map[string]fallbackUse
}

// noteFallback records that Locate gave out stateDir as a fallback.
func noteFallback(stateDir string, use fallbackUse) {
	usedFallbacks.Lock()
	defer usedFallbacks.Unlock()
	if usedFallbacks.m == nil {
		usedFallbacks.m = map[string]fallbackUse{}
	}
	usedFallbacks.m[filepath.Clean(stateDir)] = use
}

// fallbackOf is the use of stateDir noted by Locate, if any.
func fallbackOf(stateDir string) (fallbackUse, bool) {
	usedFallbacks.Lock()
	defer usedFallbacks.Unlock()
	use, ok := usedFallbacks.m[filepath.Clean(stateDir)]
	return use, ok
}

// leaveBreadcrumb writes the breadcrumb of the repository using stateDir
// as its fallback, when Locate noted one and the breadcrumb does not say
// so already. It is best effort: a git dir that cannot be written costs
// only the finding of the sessions after a move, not the session at hand.
func leaveBreadcrumb(stateDir string) {
	use, ok := fallbackOf(stateDir)
	if !ok {
		return
	}
	b := breadcrumb{StateDir: filepath.Clean(stateDir)}
	if old, ok := readBreadcrumb(use.gitStateDir); ok && old.StateDir == b.StateDir {
		if slices.Contains(old.RepoRoots, use.top) {
			return
		}
		b.RepoRoots = old.RepoRoots
	}
	b.RepoRoots = append(b.RepoRoots, use.top)
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return
	}
	if mkdirAllSync(use.gitStateDir, dirMode) != nil {
		return
	}
	_, _ = writeAtomic(breadcrumbPath(use.gitStateDir), "", "."+breadcrumbName+".tmp-*", append(data, '\n'))
}

// movedRoot is root, a session's repo_root in stateDir, in the repository
// as it is now: when Locate found stateDir through a breadcrumb naming
// former top levels of the repository, a root inside one of them that is
// gone is the same place under the top level now. Any other root is
// returned as it is.
func movedRoot(stateDir, root string) string {
	use, ok := fallbackOf(stateDir)
	if !ok || len(use.movedFrom) == 0 || !filepath.IsAbs(root) {
		return root
	}
	root = filepath.Clean(root)
	for _, from := range use.movedFrom {
		if !within(root, from) {
			continue
		}
		if _, err := os.Lstat(root); err == nil {
			return root // still there: a copy, not a move
		}
		rel, err := filepath.Rel(from, root)
		if err != nil {
			return root
		}
		return filepath.Join(use.top, rel)
	}
	return root
}
