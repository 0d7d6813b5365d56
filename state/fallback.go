package state

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// preGitFallback returns loc (a Location inside a git repository, for the
// absolute directory abs) moved to the XDG state dir that holds the
// repository's sessions from before `git init`, when its git dir has none.
//
// Outside git, sessions are keyed on the directory they were started in;
// once that directory becomes a repository, Locate would look only under
// the git dir and the sessions would seem gone. They are used in place
// rather than moved, since catalogs and runs inside them are recorded by
// absolute path. The candidates, first with sessions wins: the working
// tree's top level, the main worktree's (so linked worktrees agree), and
// abs itself when a session was started in a subdirectory.
func preGitFallback(loc Location, abs string) Location {
	// A git dir whose sessions cannot be read is kept: the error comes out
	// where it is used rather than the sessions being silently passed over.
	if found, err := hasSessions(loc.StateDir); found || err != nil {
		return loc
	}
	candidates := []string{loc.RepoRoot}
	// The common dir of a non-bare repository is <main worktree>/.git.
	if common := filepath.Dir(loc.StateDir); filepath.Base(common) == ".git" {
		candidates = append(candidates, filepath.Dir(common))
	}
	candidates = append(candidates, abs)
	seen := map[string]bool{}
	for _, c := range candidates {
		if seen[c] {
			continue
		}
		seen[c] = true
		dir, err := xdgStateDir(c)
		if err != nil {
			return loc // no home dir: there is no XDG state to find
		}
		if found, err := hasSessions(dir); found && err == nil {
			loc.Fallback = fmt.Sprintf("the sessions of %s from before `git init` are kept in %s; this repository's "+
				"sessions, new ones included, stay there rather than under %s", c, dir, loc.StateDir)
			loc.StateDir = dir
			return loc
		}
	}
	return loc
}

// hasSessions reports whether stateDir holds at least one session document
// (damaged or not: List lists those too). A missing sessions dir has none;
// one that cannot be read gives the error.
func hasSessions(stateDir string) (bool, error) {
	entries, err := os.ReadDir(SessionsDir(stateDir))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, e := range entries {
		if slug, ok := strings.CutSuffix(e.Name(), ".json"); ok && !e.IsDir() && ValidateSlug(slug) == nil {
			return true, nil
		}
	}
	return false, nil
}
