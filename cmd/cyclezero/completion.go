package main

import (
	"context"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// Shell completion (`cyclezero completion SHELL` writes the script) runs
// this program on every tab press, so what it offers must be quick and
// harmless: the session slugs come from the same listing the picker reads
// (no lock taken, nothing written, no network), and table names only from
// an embedded catalog opened read-only. A catalog on a server is never
// contacted: a tab press must not wait on the network or log a request.

// completionBudget bounds the read of an embedded catalog's model, which a
// writer holding the file could otherwise keep waiting for its busy timeout.
const completionBudget = 2 * time.Second

// completeSlug completes a command's one SLUG argument.
func (g *globalFlags) completeSlug(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return g.completeSessionFlag(cmd, args, toComplete)
}

// completeSessionFlag completes a session's slug, newest first, each
// described by the phase it is on (or why it cannot be read).
func (g *globalFlags) completeSessionFlag(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	const directive = cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
	ws, err := locate(cmd.Context(), g)
	if err != nil {
		return nil, directive
	}
	sums, err := state.List(ws.StateDir)
	if err != nil {
		return nil, directive
	}
	var out []cobra.Completion
	for _, s := range sums {
		if !strings.HasPrefix(s.Slug, toComplete) {
			continue
		}
		desc := s.Current // a phase this build does not know, as saved
		if p, ok := steps.PhaseByID(steps.PhaseID(s.Current)); ok {
			desc = p.Label() // as status and the picker say it
		}
		if s.Err != nil {
			desc = brokenWord(s.Err)
		}
		out = append(out, cobra.CompletionWithDesc(s.Slug, desc))
	}
	return out, directive
}

// completeTable completes `catalog show TABLE` from the catalog the flags
// choose, when that is an embedded one: a table name alone where it is in
// one schema, SCHEMA:TABLE where it is in several or the word has a colon.
func (o *catalogOpts) completeTable(g *globalFlags) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		const directive = cobra.ShellCompDirectiveNoFileComp
		if len(args) > 0 {
			return nil, directive
		}
		ctx, cancel := context.WithTimeout(cmd.Context(), completionBudget)
		defer cancel()
		c, err := o.resolve(ctx, g, io.Discard) // warnings are for commands, not tab presses
		if err != nil || c.loc.Kind != state.CatalogLocal {
			return nil, directive
		}
		// A catalog another process holds locked is waited for only as
		// long as the tab press may take, not the commands' 10 s.
		store, err := steps.OpenCatalogToRead(c.loc, steps.ReadOptions{BusyTimeout: completionBudget})
		if err != nil {
			return nil, directive
		}
		defer store.Close()
		model, err := store.Model(ctx, "")
		if err != nil {
			return nil, directive
		}
		return tableCompletions(model, toComplete), directive
	}
}

// tableCompletions are the names of model's tables that start with prefix,
// spelled as findTable takes them.
func tableCompletions(model *catalog.Model, prefix string) []cobra.Completion {
	tables := model.SortedTables()
	schemas := map[string]int{} // how many schemas have a table of that name
	for _, t := range tables {
		schemas[t.Name]++
	}
	qualified := strings.Contains(prefix, ":")
	var out []cobra.Completion
	for _, t := range tables {
		name := t.Name
		if qualified || schemas[name] > 1 {
			name = t.Ref().String()
		}
		if strings.HasPrefix(name, prefix) {
			out = append(out, cobra.CompletionWithDesc(name, string(derivaml.KindOf(t))+" in "+t.SchemaName))
		}
	}
	return out
}

// completeDir completes a directory argument (demo's DIR): directories
// only, never files.
func completeDir(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return nil, cobra.ShellCompDirectiveFilterDirs
}
