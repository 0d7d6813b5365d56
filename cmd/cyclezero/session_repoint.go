package main

import (
	"context"
	"fmt"

	"github.com/cyclezero/cyclezero/state"
)

// repoint points slug's session at its server catalog's new place, loc
// (what cf names, resolved by the caller), after the check new makes of a
// server catalog (so a typo fails here, not three phases later), and says
// what changed. A session on the embedded catalog is refused: it has no
// server to have moved, and a session's catalog kind is chosen when it is
// made. Nothing is written unless the new catalog answers.
func (m *sessions) repoint(ctx context.Context, std stdio, slug string, loc state.CatalogLocation, cf *catalogFlags) error {
	h, err := state.Open(m.ws.StateDir, slug)
	if err != nil {
		return m.ws.sessionErr(slug, err)
	}
	defer h.Close()
	if h.ReadOnly() {
		reason, unwritable := m.readOnlyReason(h)
		if unwritable != "" {
			return fmt.Errorf("cannot change session %s's catalog: the session is %s", slug, unwritable)
		}
		return busyError{fmt.Sprintf("cannot change session %s's catalog now: it is %s; close it there, then run this again", slug, reason)}
	}
	s := h.Session()
	old := s.Catalog
	if old.Kind != state.CatalogERMrest {
		return usagef("session %s is on the embedded catalog (%s), not a Deriva server: --host and --catalog with resume "+
			"point a session whose server moved at its new place; to work on a server catalog, start a session there: %s",
			slug, describeCatalog(old), m.ws.command(append([]string{"new", "SLUG"}, cf.args()...)...))
	}
	if old.Host == loc.Host && old.CatalogID == loc.CatalogID {
		fmt.Fprintf(std.out, "Session %s already uses %s; nothing changed.\n", slug, describeCatalog(loc))
		return nil
	}
	err = checkServerCatalog(ctx, loc, func(notice string) {
		fmt.Fprintln(std.err, "cyclezero: "+notice) // a silent server takes a while to give up on
	})
	if err != nil {
		return fmt.Errorf("session %s still uses %s: %w", slug, describeCatalog(old), err)
	}
	next := *s
	next.Catalog = loc
	if err := h.Save(&next); err != nil {
		return err // "save session SLUG: …" already
	}
	fmt.Fprintf(std.out, "Session %s now uses %s (was %s).\n", slug, describeCatalog(loc), describeCatalog(old))
	return nil
}
