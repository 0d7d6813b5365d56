package steps

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DemoSlug is the model slug of the demo workspace's session.
const DemoSlug = "diagnosis-classifier"

//go:embed all:demoworkspace
var demoFiles embed.FS

// CreateDemoWorkspace makes dir a demo model repository laid out like the
// DerivaML model template, with one commit, so the dirty-tree and tier
// rules have something real to work on. dir must be missing or empty; an
// existing demo workspace (same files, a git repo with its first commit) is
// left as it is and reported with created=false, and one cut short while it
// was set up (the demo's README, no first commit) is set up again.
func CreateDemoWorkspace(ctx context.Context, dir string) (created bool, err error) {
	if err := RequireGit("create the demo workspace (it is a git repository)"); err != nil {
		return false, err
	}
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return false, fmt.Errorf("create the demo workspace: %w", err)
		}
	case err != nil:
		return false, fmt.Errorf("read %s: %w", dir, err)
	case len(entries) > 0:
		if !HasDemoReadme(dir) {
			return false, &NotDemoDirError{Dir: dir}
		}
		if IsDemoWorkspace(dir) {
			done, err := hasCommit(ctx, dir)
			if err != nil {
				return false, err
			}
			if done {
				return false, nil
			}
		}
		// A demo cut short while it was set up (its files written, its
		// first commit not made): nothing in it is the user's yet, so it
		// is set up again from the start.
	}
	if err := writeDemoFiles(dir); err != nil {
		return false, err
	}
	git := func(args ...string) error {
		// A fresh machine may have no git identity: give the demo commit one.
		full := append([]string{"-c", "user.name=cyclezero demo", "-c", "user.email=demo@cyclezero.invalid",
			"-c", "commit.gpgsign=false"}, args...)
		_, err := runGit(ctx, dir, full...)
		return err
	}
	for _, args := range [][]string{
		{"init", "--quiet", "--initial-branch=main"},
		{"add", "--all"},
		{"commit", "--quiet", "--message", "Demo workspace: a DerivaML-style model repository"},
	} {
		if err := git(args...); err != nil {
			return false, fmt.Errorf("set up the demo git repository: %w", err)
		}
	}
	return true, nil
}

func writeDemoFiles(dir string) error {
	return fs.WalkDir(demoFiles, "demoworkspace", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(path, "demoworkspace"), "/")
		if rel == "" {
			return nil
		}
		if rel == "gitignore" { // embed skips dotfiles; name it on the way out
			rel = ".gitignore"
		}
		target := filepath.Join(dir, filepath.FromSlash(rel))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := demoFiles.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, b, 0o644); err != nil {
			return fmt.Errorf("write the demo workspace: %w", err)
		}
		return nil
	})
}

// NotDemoDirError is a directory demo cannot use: it holds something and
// is not a demo workspace. The caller says what to pass instead, in the
// spelling the user runs.
type NotDemoDirError struct{ Dir string }

func (e *NotDemoDirError) Error() string {
	return e.Dir + " is not empty and is not a cyclezero demo workspace"
}

// demoMarker is in the README of every demo workspace (see demoworkspace/).
const demoMarker = "cyclezero demo workspace"

// IsDemoWorkspace reports whether dir is a workspace CreateDemoWorkspace
// made: a git repository whose README carries the demo's marker.
func IsDemoWorkspace(dir string) bool {
	if !HasDemoReadme(dir) {
		return false
	}
	_, err := os.Stat(filepath.Join(dir, ".git"))
	return err == nil
}

// HasDemoReadme reports whether dir holds the demo workspace's README: a
// demo, or one cut short while it was set up, which CreateDemoWorkspace
// finishes.
func HasDemoReadme(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "README.md"))
	return err == nil && strings.Contains(string(b), demoMarker)
}

// hasCommit reports whether dir's own repository (its .git, never one
// around it) has a first commit. Only git's quiet "no such commit" (exit 1)
// means none: any other failure (interrupted, unreadable repository) is an
// error, so a finished demo is never mistaken for a partial one and its
// files written over.
func hasCommit(ctx context.Context, dir string) (bool, error) {
	_, err := runGit(ctx, dir, "--git-dir=.git", "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
	switch {
	case err == nil:
		return true, nil
	case ctx.Err() == nil && exitCode(err) == 1:
		return false, nil
	}
	return false, fmt.Errorf("check the demo workspace's repository in %s: %w", dir, err)
}

// IsDemoSession reports whether slug, in the repository at repoRoot, is
// the demo's session, whose catalog holds the demo domain: the demo's slug
// in a demo workspace. A session of that name in a real model's
// repository is a real model.
func IsDemoSession(repoRoot, slug string) bool {
	return slug == DemoSlug && IsDemoWorkspace(repoRoot)
}
