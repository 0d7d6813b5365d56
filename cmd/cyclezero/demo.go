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

DIR defaults to a new temporary directory. Running demo again on the same DIR
resumes its session.`,
		Args: maxArgs(1, "the directory"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			dir := firstArg(args)
			if dir == "" {
				tmp, err := os.MkdirTemp("", "cyclezero-demo-")
				if err != nil {
					return fmt.Errorf("create a temporary directory for the demo: %w", err)
				}
				dir = tmp
			}
			dir, err := filepath.Abs(dir)
			if err != nil {
				return fmt.Errorf("demo directory: %w", err)
			}
			if _, err := steps.CreateDemoWorkspace(ctx, dir); err != nil {
				return err
			}
			ws, err := locate(ctx, &globalFlags{repo: dir})
			if err != nil {
				return err
			}
			m := newSessions(ws)
			slug := steps.DemoSlug
			catalogPath := state.LocalCatalogPath(ws.StateDir, slug)
			if _, err := steps.SeedDemoCatalog(ctx, catalogPath); err != nil {
				return err
			}
			s, ro, reason, err := m.open(slug)
			if errors.Is(err, state.ErrNotFound) {
				s, err = m.createWith(slug, state.CatalogLocation{Kind: state.CatalogLocal, Path: catalogPath})
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(io.out, "Demo workspace: %s\nCatalog:        %s\nSession:        %s\n", ws.RepoRoot, describeCatalog(s.Catalog), s.Slug)
			if !io.terminal() {
				m.close()
				fmt.Fprintf(io.out, "\nNo terminal here, so the wizard did not start. In a terminal, open it with:\n  %s\n"+
					"Or see where it stands with: %s\n", ws.command("resume", slug), ws.command("status", "--plain"))
				return nil
			}
			opts := m.uiOptions(ctx)
			opts.Session, opts.ReadOnly, opts.ReadOnlyReason = s, ro, reason
			return runWizard(ctx, io, g, ws, m, opts)
		},
	}
}
