package state

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// git runs git in dir for test setup.
func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.org",
		"-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// realTempDir is t.TempDir with symlinks resolved (macOS /var → /private/var).
func realTempDir(t *testing.T) string {
	t.Helper()
	d, err := filepath.EvalSymlinks(t.TempDir())
	must(t, err)
	return d
}

func TestDirInGitRepo(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	root := realTempDir(t)
	repo := filepath.Join(root, "repo")
	must(t, os.MkdirAll(filepath.Join(repo, "src", "models"), 0o755))
	git(t, repo, "init", "-q")
	git(t, repo, "commit", "-q", "--allow-empty", "-m", "init")
	wt := filepath.Join(root, "wt")
	git(t, repo, "worktree", "add", "-q", wt)

	want := filepath.Join(repo, ".git", "cyclezero")
	for _, from := range []string{repo, filepath.Join(repo, "src", "models"), wt} {
		got, err := Dir(from)
		must(t, err)
		wantEq(t, got, want, "Dir("+from+")")
	}
	top, err := RepoRoot(filepath.Join(repo, "src", "models"))
	must(t, err)
	wantEq(t, top, repo, "RepoRoot from a subdirectory")
	top, err = RepoRoot(wt)
	must(t, err)
	wantEq(t, top, wt, "RepoRoot of a worktree")

	loc, err := Locate(context.Background(), filepath.Join(repo, "src"))
	must(t, err)
	wantEq(t, loc.InGit, true, "InGit")
	wantEq(t, loc.Note, "", "Note")

	// Sessions saved from the worktree are the repo's sessions, and nothing
	// lands in either working tree.
	mustCreate(t, want, sampleSession("m", "A", 0))
	list, err := List(want)
	must(t, err)
	wantEq(t, len(list), 1, "sessions listed")
	wantTrue(t, !exists(filepath.Join(wt, "sessions")), "state written into the worktree")
}

func TestDirOutsideGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	xdg := realTempDir(t)
	t.Setenv("XDG_STATE_HOME", xdg)
	work := filepath.Join(realTempDir(t), "My Project")
	must(t, os.Mkdir(work, 0o755))
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(work))

	got, err := Dir(work)
	must(t, err)
	wantEq(t, filepath.Dir(got), filepath.Join(xdg, "cyclezero"), "parent of the state dir")
	wantTrue(t, strings.HasPrefix(filepath.Base(got), "my-project-"), "state dir name %q", filepath.Base(got))
	again, err := Dir(work)
	must(t, err)
	wantEq(t, again, got, "Dir is stable")

	other := filepath.Join(realTempDir(t), "My Project")
	must(t, os.Mkdir(other, 0o755))
	otherDir, err := Dir(other)
	must(t, err)
	wantTrue(t, otherDir != got, "two directories with the same name share %s", got)

	top, err := RepoRoot(work)
	must(t, err)
	wantEq(t, top, work, "RepoRoot outside git")

	// A relative XDG_STATE_HOME is ignored, as the XDG spec says.
	t.Setenv("XDG_STATE_HOME", "relative/state")
	t.Setenv("HOME", xdg)
	got, err = Dir(work)
	must(t, err)
	wantTrue(t, strings.HasPrefix(got, filepath.Join(xdg, ".local", "state", "cyclezero")+string(filepath.Separator)), "fallback state dir %s", got)
}

func TestDirWithoutGitBinary(t *testing.T) {
	xdg := realTempDir(t)
	t.Setenv("XDG_STATE_HOME", xdg)
	t.Setenv("PATH", t.TempDir()) // no git here
	work := realTempDir(t)

	loc, err := Locate(context.Background(), work)
	must(t, err)
	wantEq(t, loc.InGit, false, "InGit without git")
	wantContains(t, loc.Note, "git is not installed")
	wantTrue(t, strings.HasPrefix(loc.StateDir, filepath.Join(xdg, "cyclezero")), "state dir %s", loc.StateDir)
	wantEq(t, loc.RepoRoot, work, "RepoRoot without git")
}

func TestDirErrors(t *testing.T) {
	t.Parallel()
	_, err := Dir(filepath.Join(t.TempDir(), "missing"))
	wantTrue(t, err != nil, "Dir of a missing directory succeeded")
	f := filepath.Join(t.TempDir(), "file")
	must(t, os.WriteFile(f, nil, 0o600))
	_, err = Dir(f)
	wantTrue(t, err != nil && strings.Contains(err.Error(), "not a directory"), "Dir of a file: %v", err)
}

func TestLayoutHelpers(t *testing.T) {
	t.Parallel()
	wantEq(t, SessionPath("/s", "m"), filepath.FromSlash("/s/sessions/m.json"), "SessionPath")
	wantEq(t, BackupPath("/s", "m"), filepath.FromSlash("/s/sessions/m.json.bak"), "BackupPath")
	wantEq(t, LockPath("/s", "m"), filepath.FromSlash("/s/sessions/m.lock"), "LockPath")
	wantEq(t, SessionDir("/s", "m"), filepath.FromSlash("/s/sessions/m"), "SessionDir")
	wantEq(t, RunsDir("/s", "m"), filepath.FromSlash("/s/sessions/m/runs"), "RunsDir")
	wantEq(t, LocalCatalogPath("/s", "m"), filepath.FromSlash("/s/sessions/m/catalog.sqlite"), "LocalCatalogPath")
}
