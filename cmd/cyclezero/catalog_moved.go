package main

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
	"github.com/cyclezero/cyclezero/state"
)

// This file gives the catalog commands a fix the user can follow when a
// session's server catalog cannot be reached: the client's own fix
// ("check the host and port", "use --host https://…", "check --catalog")
// asks them to change a host they never typed, since the session saved
// it.

// refixedError is err with fix in place of its catalog's own: its Hint
// is the one catalog.Hint gives, and err's kind still matches errors.Is.
type refixedError struct {
	err error
	fix string
}

func (e refixedError) Error() string { return e.err.Error() }
func (e refixedError) Unwrap() error { return e.err }

// Hint gives fix (see catalog.Hint).
func (e refixedError) Hint() string { return e.fix }

// sessionServerFix replaces the fix of err, from the catalog command
// sub run with args, when the catalog came from a session on a server
// and err is one a moved server gives: nothing there (unreachable, no
// such host, another protocol) or no such catalog on it. A certificate
// that is not trusted keeps its own fix, which says what to install.
func (o *catalogOpts) sessionServerFix(g *globalFlags, sub *cobra.Command, args []string, err error) error {
	c := o.chosen
	if err == nil || c == nil || c.source != fromSession || c.loc.Kind != state.CatalogERMrest {
		return err
	}
	// Where it may be now: another server (the catalog id kept), or
	// another catalog on the same one.
	host, id := "NEW", state.ShellQuote(c.loc.CatalogID)
	switch {
	case missingCatalog(err):
		host, id = state.ShellQuote(c.loc.Host), "ID"
	case errors.Is(err, catalog.ErrUnreachable) && !errors.Is(err, ermrest.ErrUntrustedCertificate):
	default:
		return err
	}
	once := []string{"catalog", sub.Name()}
	for _, a := range args {
		once = append(once, state.ShellQuote(a))
	}
	once = append(once, "--host", host, "--catalog", id)
	return refixedError{err: err, fix: fmt.Sprintf("this is session %s's saved catalog (%s); if it moved, point the session at its new place with: %s\n"+
		"  or to look at another catalog once: %s", c.slug, describeCatalog(c.loc),
		g.command("resume", state.ShellQuote(c.slug), "--host", host, "--catalog", id), g.command(once...))}
}

// missingCatalog reports whether err is a server's answer that it has no
// such catalog: a 404 whose detail is about the catalog itself, as the
// ERMrest client tells it from a missing table or entity.
func missingCatalog(err error) bool {
	var ce *catalog.Error
	return errors.As(err, &ce) && errors.Is(ce.Kind, catalog.ErrNotFound) &&
		ce.Status == http.StatusNotFound && strings.HasPrefix(ce.Detail, "catalog")
}
