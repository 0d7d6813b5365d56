package state

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// InTheWayError is something standing where cyclezero keeps its own files: a
// file where one of its directories goes (a .git/cyclezero made by hand, say)
// or a directory where one of its files goes. Neither is cyclezero's to move,
// so the error names the path and how to move it aside.
type InTheWayError struct {
	// Path is what is in the way.
	Path string
	// IsDir is true for a directory where a file belongs, false for a file
	// (or anything else but a directory) where a directory belongs.
	IsDir bool
	// What is what cyclezero keeps at Path, e.g. "cyclezero's state directory".
	What string
	// Err is the failure it caused.
	Err error
	// StateHome is set when Path is above cyclezero's own directories, on
	// the way to the XDG state home it keeps them under: not cyclezero's
	// to name, but in the way all the same.
	StateHome string
	// FromEnv is set with StateHome when XDG_STATE_HOME named it: pointing
	// that at a directory is then the fix, the file being the user's own
	// business; otherwise (~/.local/state) the fix is to move it aside.
	FromEnv bool
}

// Error implements error: what is where, and the command that moves it
// aside (or, above cyclezero's own directories, how to avoid it).
func (e *InTheWayError) Error() string {
	is := "a file"
	if e.IsDir {
		is = "a directory"
	}
	if e.StateHome != "" {
		if e.FromEnv {
			return fmt.Sprintf("%s is %s, not a directory, so cyclezero cannot keep its state under XDG_STATE_HOME=%s: "+
				"set XDG_STATE_HOME to a directory, then try again", e.Path, is, e.StateHome)
		}
		return fmt.Sprintf("%s is %s, not a directory, so cyclezero cannot keep its state under %s (the XDG state home): "+
			"move it aside, then try again, with: mv %s %s; or set XDG_STATE_HOME to a directory",
			e.Path, is, e.StateHome, ShellQuote(e.Path), ShellQuote(asidePath(e.Path)))
	}
	return fmt.Sprintf("%s is %s, not %s: move it aside, then try again, with: mv %s %s",
		e.Path, is, e.What, ShellQuote(e.Path), ShellQuote(asidePath(e.Path)))
}

// Unwrap returns the failure the path caused.
func (e *InTheWayError) Unwrap() error { return e.Err }

// asidePath is a free name next to p to move it to: p.bak, else p.bak2, ….
func asidePath(p string) string {
	aside := p + ".bak"
	for i := 2; i < 100; i++ {
		if _, err := os.Lstat(aside); os.IsNotExist(err) {
			break
		}
		aside = fmt.Sprintf("%s.bak%d", p, i)
	}
	return aside
}

// inTheWay explains err, a failure to use path under stateDir (a directory
// when isDir, else a file): by what stands in the way (standsInTheWay), and
// for a permission refusal by which path to check (ExplainPermission).
func inTheWay(stateDir, path string, isDir bool, err error) error {
	return ExplainPermission(stateDir, standsInTheWay(stateDir, path, isDir, err))
}

// standsInTheWay explains err by what stands in the way: a non-directory
// at path or at one of its parents that are cyclezero's own, or a
// directory at path where a file belongs. It returns err as it is when
// neither is so. It looks at the file system rather than the error's
// errno, which differs between systems (Windows has no ENOTDIR).
func standsInTheWay(stateDir, path string, isDir bool, err error) error {
	if err == nil {
		return nil
	}
	if !isDir {
		if fi, serr := os.Stat(path); serr == nil && fi.IsDir() {
			return &InTheWayError{Path: path, IsDir: true, What: describeOwn(stateDir, path), Err: err}
		}
		path = filepath.Dir(path)
	}
	if in := fileInTheWay(stateDir, path, err); in != nil {
		return in
	}
	return err
}

// fileInTheWay returns an *InTheWayError wrapping err for the first of dir
// and its parents, up to cyclezero's own top directory for stateDir, that
// exists and is not a directory; nil when there is none. Above that top
// it looks on only for an XDG state dir, whose state home and its parents
// come from XDG_STATE_HOME or the home directory and may be anything
// (XDG_STATE_HOME naming a file, say): the first of them that exists, if
// not a directory, is in the way too, named as on the way to the state
// home (StateHome) rather than as cyclezero's. A git dir's parents need no
// look: git found them.
func fileInTheWay(stateDir, dir string, err error) *InTheWayError {
	top := ownTop(stateDir)
	p := filepath.Clean(dir)
	if !within(p, top) {
		return nil
	}
	for ; ; p = filepath.Dir(p) {
		if fi, serr := os.Stat(p); serr == nil {
			return notDir(fi, &InTheWayError{Path: p, What: describeOwn(stateDir, p), Err: err})
		}
		if p == top {
			break
		}
	}
	if top == filepath.Clean(stateDir) {
		return nil // under a git dir
	}
	home := filepath.Dir(top)
	p = existingPart(home)
	fi, serr := os.Stat(p)
	if serr != nil {
		return nil // nothing above exists, or a dangling link: not a file in the way
	}
	env := os.Getenv("XDG_STATE_HOME")
	return notDir(fi, &InTheWayError{Path: p, What: "a directory", Err: err, StateHome: home,
		FromEnv: filepath.IsAbs(env) && filepath.Clean(env) == home})
}

// notDir is in when fi, what is at in.Path, is not a directory; else nil
// (a directory: its parents exist and are directories).
func notDir(fi os.FileInfo, in *InTheWayError) *InTheWayError {
	if fi.IsDir() {
		return nil
	}
	return in
}

// ownTop is the highest directory cyclezero makes for stateDir: stateDir
// itself under a git dir, or the cyclezero directory above it in the XDG
// state home ($XDG_STATE_HOME/cyclezero/<name>-<hash>).
func ownTop(stateDir string) string {
	stateDir = filepath.Clean(stateDir)
	if parent := filepath.Dir(stateDir); filepath.Base(parent) == stateSubdir && filepath.Base(stateDir) != stateSubdir {
		return parent
	}
	return stateDir
}

// within reports whether p is top or inside it.
func within(p, top string) bool {
	return p == top || strings.HasPrefix(p, top+string(filepath.Separator))
}

// describeOwn says what cyclezero keeps at p, one of its paths for stateDir.
func describeOwn(stateDir, p string) string {
	stateDir = filepath.Clean(stateDir)
	switch p {
	case stateDir:
		return "cyclezero's state directory"
	case ownTop(stateDir):
		return "cyclezero's directory in the XDG state home"
	case SessionsDir(stateDir):
		return "cyclezero's sessions directory"
	case RepoCatalogPath(stateDir):
		return "the repository's embedded catalog"
	}
	if filepath.Dir(p) == SessionsDir(stateDir) {
		name := filepath.Base(p)
		if slug, ok := strings.CutSuffix(name, ".lock"); ok {
			return "the lock file of session " + slug
		}
		if slug, ok := strings.CutSuffix(name, ".json"); ok {
			return "the file of session " + slug
		}
		return "the directory of session " + name
	}
	if filepath.Base(p) == "runs" && filepath.Dir(filepath.Dir(p)) == SessionsDir(stateDir) {
		return "the runs directory of session " + filepath.Base(filepath.Dir(p))
	}
	return "a path cyclezero uses"
}
