package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/gofrs/flock"

	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// fileError explains an embedded catalog the engine refused to open
// (*local.FileError: nothing was written to the file), with a fix that
// depends on where the path came from: another --db, seeding a file that
// is not a catalog yet, or moving a stray file aside and creating the
// catalog again. Other errors are returned as they are.
func (o *catalogOpts) fileError(g *globalFlags, c catalogChoice, err error) error {
	var fe *local.FileError
	if !errors.As(err, &fe) {
		return err
	}
	switch fe.Problem {
	case local.FileMissing, local.FileEmpty, local.FileEmptyDatabase:
		// Under a setup lock, a file not made yet is one being made.
		if busy := settingUp(c.loc.Path); busy != nil {
			return busy
		}
	}
	var what string
	switch fe.Problem {
	case local.FileMissing:
		return o.missing(g, c)
	case local.FileEmpty:
		return o.empty(g, c, "an empty file")
	case local.FileEmptyDatabase:
		return o.empty(g, c, "an empty SQLite database")
	case local.FileIsDirectory:
		what = "a directory, not an embedded catalog"
	case local.FileNotSQLite:
		what = "not an embedded catalog (not an SQLite database)"
	case local.FileForeign:
		what = "an SQLite database of another program, not an embedded catalog"
	case local.FileDamaged:
		if c.source == fromSession && !c.demo {
			// Its own fix stops at "create the catalog again": say how.
			return fmt.Errorf("%s; %s", fe.Error(), sessionRecreate(c))
		}
		return fe
	default: // a catalog of another layout version: its own message and fix
		return fe
	}
	switch {
	case c.source == fromDB:
		return usagef("%s is %s; choose another --db", c.loc.Path, what)
	case c.source == fromSession && !c.demo:
		return fmt.Errorf("%s is %s; %s", c.loc.Path, what, sessionRecreate(c))
	}
	return fmt.Errorf("%s is %s; move it aside, then create the catalog again with: %s",
		c.loc.Path, what, g.command("catalog", "seed-demo", "--db", state.ShellQuote(c.loc.Path)))
}

// sessionRecreate is the fix for a real model's session catalog file that
// is not a catalog: never the demo, which would fill the model's catalog
// with a fake domain. Its own catalog is made again, empty, by opening the
// session once the file is moved aside; one elsewhere only from a backup.
func sessionRecreate(c catalogChoice) string {
	q := state.ShellQuote(c.loc.Path)
	if !c.own {
		return "restore it from a backup"
	}
	return fmt.Sprintf("restore it from a backup, or move it aside and create it again, empty, "+
		"by opening the session: mv %s %s && %s", q, state.ShellQuote(c.loc.Path+".damaged"), c.resume)
}

// missing explains an embedded catalog file that cannot be found, with the
// command that creates it: the demo only where the demo belongs.
func (o *catalogOpts) missing(g *globalFlags, c catalogChoice) error {
	switch c.source {
	case fromRepo:
		return namesCatalog{fmt.Errorf("%s has no embedded catalog yet (it would be %s); create the demo one with: %s\n"+
			"  or start a session with its own with: %s", c.place, c.loc.Path, g.command("catalog", "seed-demo", "--local"), g.command("new"))}
	case fromSession:
		fix := sessionFix(c, "seed the demo into it again with: "+g.command("catalog", "seed-demo", "--db", state.ShellQuote(c.loc.Path)),
			"restore it from a backup, or create it again, empty, by opening the session: "+c.resume)
		return namesCatalog{fmt.Errorf("the embedded catalog of session %s is missing (%s); %s", c.slug, c.loc.Path, fix)}
	}
	// --db names a file that is not there: a wrong argument, like a --db
	// that is a directory or not a catalog.
	return usagef("no embedded catalog at %s; check --db, or create one there with: %s", c.loc.Path, o.command(g, "catalog", "seed-demo"))
}

// empty explains an embedded catalog file that exists but holds nothing
// yet (what: an empty file, or an SQLite database without tables), with the
// command that makes it a catalog.
func (o *catalogOpts) empty(g *globalFlags, c catalogChoice, what string) error {
	seed := g.command("catalog", "seed-demo", "--db", state.ShellQuote(c.loc.Path))
	switch c.source {
	case fromDB:
		return usagef("%s is %s, not an embedded catalog yet; choose another --db, or seed the demo into it with: %s", c.loc.Path, what, seed)
	case fromSession:
		fix := sessionFix(c, "seed the demo into it with: "+seed,
			"restore it from a backup if it held data, or make it an empty catalog by opening the session: "+c.resume)
		return namesCatalog{fmt.Errorf("the embedded catalog of session %s is %s (%s); %s", c.slug, what, c.loc.Path, fix)}
	}
	return namesCatalog{fmt.Errorf("the embedded catalog of %s is %s (%s); seed the demo into it with: %s", c.place, what, c.loc.Path, seed)}
}

// sessionFix is the fix for a session's catalog file that is missing or
// empty: demoFix (seeding) for the demo's, ownFix (opening the session
// makes it again) for a real model's own, else only a backup: seeding
// would fill a real model's catalog with the demo's fake domain.
func sessionFix(c catalogChoice, demoFix, ownFix string) string {
	switch {
	case c.demo:
		return demoFix
	case c.own:
		return ownFix
	}
	return "restore it from a backup"
}

// settingUp is the error for an embedded catalog at path whose setup lock
// another cyclezero holds (seed-demo, or a new session creating its
// catalog's schemas): try again once it has finished; nil when none does.
// It only probes a lock file that exists (it never makes one), with a
// shared lock, so readers probing at once do not see each other as the
// holder.
func settingUp(path string) error {
	lock := steps.SeedLockPath(path)
	if _, err := os.Stat(lock); err != nil {
		return nil
	}
	fl := flock.New(lock)
	ok, err := fl.TryRLock()
	if err != nil {
		return nil // unknown: the file's own problem is said instead
	}
	if ok {
		_ = fl.Unlock()
		return nil
	}
	who := "another cyclezero"
	if b, err := os.ReadFile(lock); err == nil {
		if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
			who += fmt.Sprintf(" (pid %d)", pid)
		}
	}
	return busyError{fmt.Sprintf("%s is being created by %s: a seed-demo, or a new session setting up its catalog; "+
		"try again when it has finished", path, who)}
}
