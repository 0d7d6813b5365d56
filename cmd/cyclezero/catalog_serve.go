package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
	"github.com/cyclezero/cyclezero/state"
)

// newCatalogServeCmd serves an embedded catalog over ERMrest's HTTP
// protocol on loopback, so the HTTP backend (--host) can be tried, and
// scripted against, without a Deriva server.
func newCatalogServeCmd(std stdio, g *globalFlags, o *catalogOpts) *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve an embedded catalog over ERMrest's HTTP protocol on this machine, read-only",
		Long: `Serve an embedded catalog (--local, --db FILE or --session SLUG; with no
flag, as --local: the newest session's with an embedded catalog) as ERMrest
catalog 1 on a loopback address, until interrupted. Anonymous callers may
read; writes are refused with 401, as on a Deriva server that has not logged
you in. A session on a Deriva server is refused: serving it would pass
anyone on this machine through to it with your saved credentials.

It is the protocol fake cyclezero's own tests use (built from real ERMrest
answers), not a Deriva server: it has no joins, no history API and no CSV
input. Use it to try the HTTP backend offline, for example:

  cyclezero catalog seed-demo --local
  cyclezero catalog serve --local --addr 127.0.0.1:8086 &
  cyclezero catalog ls --host http://127.0.0.1:8086 --catalog 1

With --json it prints one line once it listens, for scripts (with --addr
127.0.0.1:0 it is how they learn the port):

  {"url":"http://127.0.0.1:PORT","catalog":"1","ermrest_url":"…/ermrest/catalog/1","db":"FILE","read_only":true}`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if o.host != "" || o.catalogID != "" {
				return usagef("serve shares an embedded catalog: use --local, --db FILE or --session SLUG, not --host/--catalog")
			}
			if err := checkLoopback(addr); err != nil {
				return usageError{err}
			}
			c, err := o.serveTarget(ctx, g, std.err)
			if err != nil {
				return err
			}
			store, err := o.openChoice(g, c, std.err)
			if err != nil {
				return err
			}
			defer store.Close()
			loc := c.loc
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w; choose another port with --addr", addr, err)
			}
			srv := ermresttest.NewUnstarted(store, ermresttest.Options{AnonymousReads: true, DontRecord: true})
			_ = srv.Listener.Close() // the unstarted server's own random port
			srv.Listener = ln
			srv.Start()
			defer srv.Close()
			base := "http://" + ln.Addr().String()
			if o.asJSON { // one line, once listening: a script reads the port of --addr 127.0.0.1:0 from it
				if err := json.NewEncoder(std.out).Encode(serveJSON{URL: base, Catalog: servedCatalog,
					ERMrestURL: base + "/ermrest/catalog/" + servedCatalog, DB: loc.Path, ReadOnly: true}); err != nil {
					return fmt.Errorf("write where serve listens: %w", err)
				}
				<-ctx.Done()
				return nil
			}
			fmt.Fprintf(std.out, "Serving %s\nas ERMrest catalog %s at %s/ermrest/catalog/%s (read-only; ctrl+c stops).\n"+
				"Try: %s\n", describeCatalog(loc), servedCatalog, base, servedCatalog,
				g.command("catalog", "ls", "--host", state.ShellQuote(base), "--catalog", servedCatalog))
			<-ctx.Done()
			fmt.Fprintln(std.out, "Stopped.")
			return nil
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:0", "loopback address to listen on (port 0 picks a free one)")
	return cmd
}

// serveTarget is the embedded catalog serve shares. Serving passes
// anonymous local callers through to the catalog, so a server's catalog,
// which the user's saved credentials would be sent to, is never served:
// with no flag the newest session with an embedded catalog is taken (as
// with --local), and a --session on a server is refused before anything
// is opened.
func (o *catalogOpts) serveTarget(ctx context.Context, g *globalFlags, warn io.Writer) (catalogChoice, error) {
	switch {
	case o.session != "":
		// serve's own refusal below says more than --local's would.
		o.local = false
	case o.db == "":
		o.local = true
	}
	c, err := o.location(ctx, g, warn)
	if err != nil {
		return c, err
	}
	if c.loc.Kind != state.CatalogLocal {
		// Only --session can get here: say whose catalog it is.
		return c, namesCatalog{usagef("session %s is on a Deriva server (%s); serve shares embedded catalogs only: "+
			"use --local, --db FILE or --session of a session on the embedded catalog", c.slug, describeCatalog(c.loc))}
	}
	return c, nil
}

// servedCatalog is the catalog id serve answers as.
const servedCatalog = "1"

// serveJSON is the line `catalog serve --json` prints once it listens.
type serveJSON struct {
	URL        string `json:"url"`         // the --host to give other commands
	Catalog    string `json:"catalog"`     // the --catalog to give them
	ERMrestURL string `json:"ermrest_url"` // the catalog's ERMrest root
	DB         string `json:"db"`          // the embedded catalog file served
	ReadOnly   bool   `json:"read_only"`   // writes are refused (401)
}

// checkLoopback refuses addresses other machines could reach: the fake
// has no real access control.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: give HOST:PORT, e.g. 127.0.0.1:8086: %w", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--addr %q: serve listens on loopback only (127.0.0.1 or [::1]), since it has no access control", addr)
	}
	return nil
}
