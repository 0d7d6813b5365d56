package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// LeftBehind is a state dir holding sessions started before `git init`
// somewhere in this repository that the repository does not use: its git
// dir has sessions of its own, or another pre-git dir was taken.
type LeftBehind struct {
	// Dir is the XDG state dir the sessions are in.
	Dir string
	// Slugs are its sessions, in name order.
	Slugs []string
	// Move is the shell command that moves the sessions whose slugs are
	// free into the repository's state dir (documents, backups, copies
	// kept on upgrade and per-session directories); "" when every slug is
	// taken there.
	Move string
	// Taken are the slugs left out of Move: the repository has sessions
	// of the same names.
	Taken []string
}

// preGitFallback returns loc (a Location inside a git repository) moved to
// the XDG state dir that holds the repository's sessions from before
// `git init`, when its git dir has none, with any other such dirs listed
// in loc.LeftBehind and said in loc.Note.
//
// Outside git, sessions are keyed on the directory they were started in;
// once that directory becomes a repository, Locate would look only under
// the git dir and the sessions would seem gone. They are used in place
// rather than moved. A pre-git dir belongs to the repository when the
// repo_root its sessions record (the directory they were started in) is
// the repository's top level or inside it, whichever directory of it
// cyclezero runs in; the top level's own dir is preferred. The dir named
// by the breadcrumb in the git dir (see breadcrumb.go) comes before both:
// it is the one the repository used, wherever the repository was then.
func preGitFallback(loc Location) Location {
	// A git dir whose sessions cannot be read is kept: the error comes out
	// where it is used rather than the sessions being silently passed over.
	gitHas, err := hasSessions(loc.StateDir)
	if err != nil {
		return loc
	}
	top := loc.RepoRoot
	// The common dir of a non-bare repository is <main worktree>/.git, so
	// linked worktrees agree on it.
	if common := filepath.Dir(loc.StateDir); filepath.Base(common) == ".git" {
		top = filepath.Dir(common)
	}
	dirs := preGitDirs(top)
	// The dir the breadcrumb names is the one the repository used: first,
	// even when its name and recorded roots say the repository was
	// elsewhere (it was moved since).
	crumb, crumbOK := breadcrumbDir(loc.StateDir)
	var movedFrom []string
	if crumbOK {
		movedFrom = slices.DeleteFunc(slices.Clone(crumb.RepoRoots), func(r string) bool { return r == top })
		d := preGitState{dir: crumb.StateDir}
		if i := slices.IndexFunc(dirs, func(d preGitState) bool { return d.dir == crumb.StateDir }); i >= 0 {
			d = dirs[i] // found by its name or roots too: where it was started is known
			dirs = slices.Delete(dirs, i, i+1)
		} else if len(movedFrom) > 0 {
			d.wasAt = movedFrom[len(movedFrom)-1]
		}
		dirs = slices.Insert(dirs, 0, d)
	}
	if len(dirs) == 0 {
		return loc
	}
	if !gitHas {
		loc.Fallback = fallbackSentence(dirs[0], loc.StateDir)
		noteFallback(dirs[0].dir, fallbackUse{gitStateDir: loc.StateDir, top: top, movedFrom: movedFrom})
		loc.StateDir = dirs[0].dir
		dirs = dirs[1:]
	}
	var notes []string
	for _, d := range dirs {
		lb := leftBehind(d.dir, loc.StateDir)
		if len(lb.Slugs) == 0 {
			continue
		}
		loc.LeftBehind = append(loc.LeftBehind, lb)
		notes = append(notes, lb.sentence(loc.StateDir))
	}
	if len(notes) > 0 {
		loc.Note = strings.Join(append([]string{loc.Note}, notes...), "; ")
		loc.Note = strings.TrimPrefix(loc.Note, "; ")
	}
	return loc
}

// preGitState is an XDG state dir with sessions, and the directory they were
// started in; for one found only by the breadcrumb, root is "" and wasAt is
// where the repository was when it last used the dir.
type preGitState struct{ dir, root, wasAt string }

// fallbackSentence is Location.Fallback for d, used by the repository
// instead of its git state dir gitState.
func fallbackSentence(d preGitState, gitState string) string {
	whose := "the sessions of " + d.root + " from before `git init`"
	switch {
	case d.wasAt != "":
		whose = "this repository's sessions from before `git init`, from when it was at " + d.wasAt + ","
	case d.root == "":
		whose = "this repository's sessions from before `git init`"
	}
	return fmt.Sprintf("%s are kept in %s; this repository's sessions, new ones included, stay there rather than under %s",
		whose, d.dir, gitState)
}

// preGitDirs lists the XDG state dirs whose sessions were started in top
// or a directory inside it (and not inside a nested repository), top's own
// first, then by path. Dirs without sessions, and ones none of whose
// sessions can be read, are left out unless they are top's own.
func preGitDirs(top string) []preGitState {
	own, err := xdgStateDir(top)
	if err != nil {
		return nil // no home dir: there is no XDG state to find
	}
	entries, err := os.ReadDir(filepath.Dir(own))
	if err != nil {
		return nil
	}
	var out []preGitState
	for _, e := range entries {
		dir := filepath.Join(filepath.Dir(own), e.Name())
		if !e.IsDir() {
			continue
		}
		if found, err := hasSessions(dir); !found || err != nil {
			continue
		}
		root := recordedRoot(dir)
		switch {
		case dir == own:
			out = append(out, preGitState{dir: dir, root: top})
		case root != "" && within(root, top) && !inNestedRepo(root, top):
			out = append(out, preGitState{dir: dir, root: root})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if (out[i].dir == own) != (out[j].dir == own) {
			return out[i].dir == own
		}
		return out[i].dir < out[j].dir
	})
	return out
}

// recordedRoot is the repo_root recorded by a session in stateDir (outside
// git, the directory it was started in), or "" when none says.
func recordedRoot(stateDir string) string {
	entries, _ := os.ReadDir(SessionsDir(stateDir))
	for _, e := range entries {
		slug, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() || ValidateSlug(slug) != nil {
			continue
		}
		data, err := os.ReadFile(SessionPath(stateDir, slug))
		if err != nil {
			continue
		}
		var doc struct {
			RepoRoot string `json:"repo_root"`
		}
		if json.Unmarshal(data, &doc) == nil && filepath.IsAbs(doc.RepoRoot) {
			return filepath.Clean(doc.RepoRoot)
		}
	}
	return ""
}

// inNestedRepo reports whether path, inside top, is in a repository of its
// own below top (a .git between them).
func inNestedRepo(path, top string) bool {
	for p := path; p != top && within(p, top); p = filepath.Dir(p) {
		if _, err := os.Lstat(filepath.Join(p, ".git")); err == nil {
			return true
		}
	}
	return false
}

// leftBehind describes the sessions of dir for moving them to target.
func leftBehind(dir, target string) LeftBehind {
	lb := LeftBehind{Dir: dir}
	entries, _ := os.ReadDir(SessionsDir(dir))
	var paths []string
	for _, e := range entries {
		slug, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() || ValidateSlug(slug) != nil {
			continue
		}
		lb.Slugs = append(lb.Slugs, slug)
		if exists, _ := pathExists(SessionPath(target, slug)); exists {
			lb.Taken = append(lb.Taken, slug)
			continue
		}
		files := []string{SessionPath(dir, slug), BackupPath(dir, slug), SessionDir(dir, slug)}
		for v := range SchemaVersion {
			files = append(files, SchemaCopyPath(dir, slug, v))
		}
		for _, p := range files {
			if ok, _ := pathExists(p); ok {
				paths = append(paths, ShellQuote(p))
			}
		}
	}
	if len(paths) > 0 {
		// target has sessions (that is why lb is left behind), so its
		// sessions dir is there to move into.
		lb.Move = "mv " + strings.Join(paths, " ") + " " + ShellQuote(SessionsDir(target)+string(filepath.Separator))
	}
	return lb
}

// sentence says lb for people.
func (lb LeftBehind) sentence(target string) string {
	n := fmt.Sprintf("%d sessions started before `git init` are", len(lb.Slugs))
	if len(lb.Slugs) == 1 {
		n = "1 session started before `git init` is"
	}
	them := "them" // the ones Move moves: those whose slugs are free
	if len(lb.Slugs)-len(lb.Taken) == 1 {
		them = "it"
	}
	s := fmt.Sprintf("%s in %s (%s), not where this repository's sessions are (%s)", n, lb.Dir,
		strings.Join(lb.Slugs, ", "), target)
	if lb.Move != "" {
		s += ": move " + them + " with: " + lb.Move
	}
	if len(lb.Taken) > 0 {
		s += fmt.Sprintf(" (%s left out: this repository has sessions of the same names)", strings.Join(lb.Taken, ", "))
	}
	return s
}

// pathExists reports whether p exists (a broken symlink too).
func pathExists(p string) (bool, error) {
	_, err := os.Lstat(p)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// hasSessions reports whether stateDir holds at least one session document
// (damaged or not, or only its backup that loads: List lists those too). A missing sessions dir has none;
// one that cannot be read gives the error.
func hasSessions(stateDir string) (bool, error) {
	entries, err := os.ReadDir(SessionsDir(stateDir))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, f := range sessionFiles(entries) {
		// A backup alone counts when it loads: List lists it as a session.
		if strings.HasSuffix(f.entry.Name(), ".json") || backupLoads(BackupPath(stateDir, f.slug), f.slug) {
			return true, nil
		}
	}
	return false, nil
}
