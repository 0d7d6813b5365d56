package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// This file makes the catalog commands say which catalog they used when
// no flag named it: the newest session's (or, with none, the
// repository's own) is taken silently, and an error about a catalog the
// user did not know was chosen ("no table Image", "nothing is listening
// at …") sends them looking in the wrong place.

// in names the catalog c for a message: "the catalog" when a flag named
// it, else which one was taken and how to take another. nil (nothing
// resolved yet) is "the catalog".
func (c *catalogChoice) in() string {
	switch {
	case c == nil || !c.implicit:
		return "the catalog"
	case c.source == fromSession:
		newest := "the most recent session"
		if c.local {
			newest += " with an embedded catalog"
		}
		return fmt.Sprintf("session %s's catalog (%s; choose another with --session SLUG)", c.slug, newest)
	}
	if c.local {
		return fmt.Sprintf("the embedded catalog of %s (no session has an embedded catalog)", c.place)
	}
	return fmt.Sprintf("the embedded catalog of %s (there is no session to take a catalog from)", c.place)
}

// namesCatalog marks an error that already says which catalog it is
// about, so nameImplicit adds nothing to it.
type namesCatalog struct{ err error }

func (e namesCatalog) Error() string { return e.err.Error() }
func (e namesCatalog) Unwrap() error { return e.err }

// implicitCatalogError is an error of a catalog command on a catalog no
// flag named, led by which catalog that was.
type implicitCatalogError struct {
	in  string // catalogChoice.in
	err error
}

func (e implicitCatalogError) Error() string { return "in " + e.in + ": " + e.err.Error() }
func (e implicitCatalogError) Unwrap() error { return e.err }

// nameImplicit leads err with the catalog it is about when no flag chose
// that catalog and err does not say so itself. The error keeps its kind
// (and so its exit status) and the catalog's fix.
func (o *catalogOpts) nameImplicit(err error) error {
	var named namesCatalog
	if err == nil || o.chosen == nil || !o.chosen.implicit || errors.Is(err, context.Canceled) || errors.As(err, &named) {
		return err
	}
	return implicitCatalogError{in: o.chosen.in(), err: err}
}

// nameImplicitIn makes every subcommand of cmd report its errors with
// nameImplicit, and with sessionServerFix's fix.
func (o *catalogOpts) nameImplicitIn(g *globalFlags, cmd *cobra.Command) {
	for _, sub := range cmd.Commands() {
		if run := sub.RunE; run != nil {
			sub.RunE = func(c *cobra.Command, args []string) error {
				return o.nameImplicit(o.sessionServerFix(g, c, args, run(c, args)))
			}
		}
	}
}

// elsewhere is err, a table name not found in the catalog no flag chose,
// with another session whose catalog has that table when there is one:
// the user likely meant that session. Only embedded catalogs are looked
// in, which is quick and local; a server is never contacted for a hint.
// The result names its catalog: nameImplicit leaves it as it is.
func (o *catalogOpts) elsewhere(ctx context.Context, g *globalFlags, name string, err error) error {
	c := o.chosen
	if c == nil || !c.implicit {
		return err
	}
	if c.source != fromSession {
		return namesCatalog{err}
	}
	ws, werr := locate(ctx, g)
	if werr != nil {
		return namesCatalog{err}
	}
	sums, lerr := state.List(ws.StateDir)
	if lerr != nil {
		return namesCatalog{err}
	}
	for _, s := range sums { // newest first
		if s.Err != nil || s.Slug == c.slug || s.Catalog.Kind != state.CatalogLocal || ctx.Err() != nil {
			continue
		}
		if ref, ok := hasTable(ctx, s.Catalog, name); ok {
			return namesCatalog{fmt.Errorf("%w\n  session %s's catalog has %s; show it with: %s", err, s.Slug, ref,
				g.command("catalog", "show", state.ShellQuote(name), "--session", state.ShellQuote(s.Slug)))}
		}
	}
	return namesCatalog{err}
}

// hasTable reports whether the embedded catalog at loc has the table
// name (as findTable resolves it), and its qualified name; a catalog that
// cannot be read has none.
func hasTable(ctx context.Context, loc state.CatalogLocation, name string) (string, bool) {
	store, err := steps.OpenCatalogToRead(loc, steps.ReadOptions{})
	if err != nil {
		return "", false
	}
	defer store.Close()
	m, err := store.Model(ctx, "")
	if err != nil {
		return "", false
	}
	t, err := findTable(m, name, "", "")
	if err != nil {
		return "", false
	}
	return t.Ref().String(), true
}
