package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

func newDemoCmd(io stdio, g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "demo [DIR]",
		Short: "Try cyclezero offline: a demo model repo with a seeded local catalog",
		Long: `Create a demo workspace and open the wizard in it: a git repository laid out
like the DerivaML model template, an embedded local catalog seeded with a small
labelled imaging domain (about 1,000 images, an imbalanced Diagnosis
vocabulary, a few unlabelled images and a rare class), and a session for the
model "diagnosis-classifier". Works offline on a fresh machine.

DIR (or -C DIR) defaults to a new temporary directory; it must be new, empty
or an earlier demo. Running demo again on the same DIR resumes its session.`,
		Args: maxArgs(1, "the directory"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			// Before demoDir, which may make a temporary directory.
			if err := steps.RequireGit("create the demo workspace (it is a git repository)"); err != nil {
				return err
			}
			dir, err := demoDir(cmd, g, firstArg(args))
			if err != nil {
				return err
			}
			nonEmpty, err := hasEntries(dir)
			if err != nil {
				return err
			}
			if _, err := steps.CreateDemoWorkspace(ctx, dir); err != nil {
				if nonEmpty { // a directory that is neither empty nor a demo: the argument is wrong
					return usageError{err}
				}
				return err
			}
			ws, err := locate(ctx, &globalFlags{repo: dir, accessible: g.accessible})
			if err != nil {
				return err
			}
			m := newSessions(ws)
			slug := steps.DemoSlug
			catalogPath := state.LocalCatalogPath(ws.StateDir, slug)
			if _, err := steps.SeedDemoCatalog(ctx, catalogPath); err != nil {
				return err
			}
			s, ro, reason, err := m.open(ctx, slug)
			if errors.Is(err, state.ErrNotFound) {
				s, err = m.createWith(slug, state.CatalogLocation{Kind: state.CatalogLocal, Path: catalogPath})
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(io.out, "Demo workspace: %s\nCatalog:        %s\nSession:        %s\n", ws.RepoRoot, describeCatalog(s.Catalog), s.Slug)
			if !io.interactive(g) {
				m.release(io.err)
				fmt.Fprintf(io.out, "\nNo terminal here, so the wizard did not start. In a terminal, open it with:\n  %s\n"+
					"Or see where it stands with: %s\n", ws.command("resume", slug), ws.command("status", "--plain"))
				return nil
			}
			opts := m.uiOptions()
			opts.Session, opts.ReadOnly, opts.ReadOnlyReason = s, ro, reason
			opts.Workspace = ws.RepoRoot // the header says where the demo is
			return runWizard(ctx, io, g, ws, m, opts)
		},
	}
}

// demoDir is the demo's directory, absolute: DIR, or -C DIR (the same
// thing said the global way), or a new temporary directory. Both naming
// different directories is a usage error.
func demoDir(cmd *cobra.Command, g *globalFlags, arg string) (string, error) {
	fromC := ""
	if f := cmd.Flag("repo"); f != nil && f.Changed {
		fromC = g.repo
	}
	switch {
	case arg != "" && fromC != "" && !sameTarget(arg, fromC):
		return "", usagef("demo %s and -C %s name different directories: give the demo's directory once", arg, fromC)
	case arg == "":
		arg = fromC
	}
	if arg == "" {
		tmp, err := os.MkdirTemp("", "cyclezero-demo-")
		if err != nil {
			return "", fmt.Errorf("create a temporary directory for the demo: %w", err)
		}
		arg = tmp
	}
	dir, err := filepath.Abs(arg)
	if err != nil {
		return "", fmt.Errorf("demo directory %s: %w", arg, err)
	}
	return dir, nil
}

// sameTarget reports whether two paths name the same directory, whether
// or not it exists yet.
func sameTarget(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	ab, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && (aa == ab || sameDir(aa, ab))
}

// hasEntries reports whether dir exists and holds anything; a file where
// the directory should be is a usage error.
func hasEntries(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return false, nil
	case err != nil:
		if fi, serr := os.Stat(dir); serr == nil && !fi.IsDir() {
			return false, usagef("%s is a file: give cyclezero demo a new or empty directory", dir)
		}
		return false, fmt.Errorf("read the demo directory: %w", err)
	}
	return len(entries) > 0, nil
}
