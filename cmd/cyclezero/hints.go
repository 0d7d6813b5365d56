package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/cyclezero/cyclezero/state"
)

// program is how the user can start this cyclezero again, for the commands
// hints print: "cyclezero", the path they typed, or "go run ./cmd/cyclezero".
// Computed once; tests pin it (see TestMain).
var program = sync.OnceValue(detectProgram)

// goRunSpelling is the go run form of the command, valid from the root of
// the cyclezero source tree (where `go run ./cmd/cyclezero` is typed).
const goRunSpelling = "go run ./cmd/cyclezero"

func detectProgram() string {
	exe, err := os.Executable()
	if err != nil {
		exe = ""
	} else if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	arg0 := ""
	if len(os.Args) > 0 {
		arg0 = os.Args[0]
	}
	cache, _ := os.UserCacheDir()
	return programSpelling(exe, arg0, builtByGoRun(exe, os.Getenv("GOCACHE"), cache), exec.LookPath)
}

// builtByGoRun reports whether exe lives where the go command puts the
// binaries of `go run`: a go-build* temporary directory (under $GOTMPDIR
// or the system temp dir) or the build cache, where newer go versions keep
// them.
func builtByGoRun(exe, gocache, userCache string) bool {
	if exe == "" {
		return false
	}
	dirs := []string{gocache}
	if userCache != "" {
		dirs = append(dirs, filepath.Join(userCache, "go-build"))
	}
	for _, d := range dirs {
		if d != "" && filepath.IsAbs(d) && within(exe, d) {
			return true
		}
	}
	for _, elem := range strings.Split(filepath.Dir(exe), string(filepath.Separator)) {
		if strings.HasPrefix(elem, "go-build") {
			return true
		}
	}
	return false
}

// within reports whether path is dir or below it (both cleaned, not resolved).
func within(path, dir string) bool {
	rel, err := filepath.Rel(filepath.Clean(dir), filepath.Clean(path))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// programSpelling decides how hints name the program. A binary found on
// PATH under its own name is named by it; one started by path keeps the
// path as typed (runnable from the same shell); a `go run` build, which
// is deleted or cached out of sight, is named by the go run form unless a
// cyclezero is installed on PATH.
func programSpelling(exe, arg0 string, goRun bool, lookPath func(string) (string, error)) string {
	if goRun {
		if _, err := lookPath("cyclezero"); err == nil {
			return "cyclezero"
		}
		return goRunSpelling
	}
	if arg0 == "" {
		return "cyclezero"
	}
	if !strings.ContainsRune(arg0, filepath.Separator) {
		return state.ShellQuote(arg0) // found on PATH by the shell
	}
	base := filepath.Base(arg0)
	if found, err := lookPath(base); err == nil && exe != "" && sameFile(found, exe) {
		return state.ShellQuote(base)
	}
	return state.ShellQuote(arg0)
}

func sameFile(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// commandLine spells a cyclezero command for a hint: the program, then
// -C DIR when dir is not "" (the command must run on another directory
// than the shell's), then args as given (callers quote what needs it).
func commandLine(dir string, args ...string) string {
	parts := []string{program()}
	if dir != "" {
		parts = append(parts, "-C", state.ShellQuote(dir))
	}
	return strings.Join(append(parts, args...), " ")
}

// hintDir is the -C argument hints need to reach dir from the shell the
// command was started in: "" when dir is the current directory.
func hintDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	if wd, err := os.Getwd(); err == nil && sameDir(wd, abs) {
		return ""
	}
	return abs
}

// command spells a command for hints about the directory -C named (or the
// current one), before the workspace is located.
func (g *globalFlags) command(args ...string) string {
	return commandLine(hintDir(g.repo), withAccessible(g.accessible, args)...)
}

func sameDir(a, b string) bool {
	ra, err1 := filepath.EvalSymlinks(a)
	rb, err2 := filepath.EvalSymlinks(b)
	return err1 == nil && err2 == nil && ra == rb
}
