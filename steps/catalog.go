package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/cyclezero/cyclezero/state"
)

// ReadOptions tune how OpenCatalogToRead reaches a catalog.
type ReadOptions struct {
	// Retrying, when set, is told in a sentence each time a read from a
	// server went unanswered and will be sent again, so that a command
	// can say why it is still waiting (a silent server takes a while).
	Retrying func(notice string)
	// Command is how a server's error fixes spell the cyclezero command
	// (see ermrest.Options.Command).
	Command string
	// BusyTimeout, when set, bounds how long the embedded catalog waits
	// for another process's lock (see local.Options.BusyTimeout), for a
	// caller that must answer soon, such as a tab completion.
	BusyTimeout time.Duration
}

// OpenCatalogToRead connects to the catalog a session names, for commands
// that only read: the embedded SQLite file, which must exist already and is
// neither created, migrated nor written (a *local.FileError says what the
// file is instead), or a Deriva server with the user's deriva credentials.
// The caller closes the store.
func OpenCatalogToRead(loc state.CatalogLocation, opts ReadOptions) (catalog.Store, error) {
	switch loc.Kind {
	case state.CatalogLocal:
		if loc.Path == "" {
			return nil, errors.New("open the local catalog: the session names no file")
		}
		s, err := local.OpenExisting(loc.Path, local.Options{ReadOnly: true, BusyTimeout: opts.BusyTimeout})
		if err != nil {
			return nil, err // "open local catalog PATH: …" already
		}
		return s, nil
	case state.CatalogERMrest:
		eo := ermrest.Options{Command: opts.Command}
		if opts.Retrying != nil {
			eo.Observe = func(a ermrest.Attempt) {
				if a.Retrying {
					opts.Retrying(retryNotice(loc.Host, a))
				}
			}
		}
		c, err := ermrest.New(loc.Host, loc.CatalogID, eo)
		if err != nil {
			return nil, fmt.Errorf("connect to %s catalog %s: %w", loc.Host, loc.CatalogID, err)
		}
		return c, nil
	}
	return nil, fmt.Errorf("open catalog: unknown catalog kind %q", loc.Kind)
}

// retryNotice says, for people, that a read is about to be sent again and why.
func retryNotice(host string, a ermrest.Attempt) string {
	// The error first: an answer cut off mid-body has a 200 status, and
	// the cut is what went wrong.
	why := "no answer"
	switch {
	case a.Err != nil:
		why = a.Err.Error()
		// net/http's *url.Error repeats the method and a mangled URL the
		// notice has already named: keep only what went wrong.
		var ue *url.Error
		if errors.As(a.Err, &ue) {
			why = ue.Err.Error()
		}
	case a.Status != 0:
		why = fmt.Sprintf("%d %s", a.Status, http.StatusText(a.Status))
	}
	return fmt.Sprintf("%s %s: %s; trying again in %s (try %d)…", a.Method, hostURL(host, a.URL), why,
		a.Backoff.Round(100*time.Millisecond), a.Try+1)
}

// hostURL joins a server's base URL and a request's path for a notice.
func hostURL(host, path string) string {
	return strings.TrimSuffix(host, "/") + path
}

// NormalizeHost checks a Deriva host as the user typed it and returns the
// base URL the ermrest backend will use (HTTPS unless the server is on this
// machine); see ermrest.NormalizeHost.
func NormalizeHost(in string) (string, error) { return ermrest.NormalizeHost(in) }

// NormalizeHostKeepCase is NormalizeHost keeping the host name's case as
// typed, for a location the catalog is opened from later: deriva's
// credential file is keyed by the host as given (then lower-cased); see
// ermrest.NormalizeHostKeepCase.
func NormalizeHostKeepCase(in string) (string, error) { return ermrest.NormalizeHostKeepCase(in) }

// ValidateCatalogID checks a catalog id or alias as the user typed it.
func ValidateCatalogID(id string) error { return ermrest.ValidateCatalogID(id) }

// ProjectName derives a DerivaML project (domain schema) name from a
// repository directory: its base name, or "project" when that is unusable.
func ProjectName(repoRoot string) string {
	name := strings.Trim(nonName.ReplaceAllString(filepath.Base(repoRoot), "-"), "-")
	if name == "" || name == "." {
		return "project"
	}
	// The name is also the vocabularies' CURIE prefix, which must start
	// with a letter ("003:{RID}" is refused): prefix such names.
	if c := name[0]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
		return "project-" + name
	}
	return name
}

var nonName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// PrepareLocalCatalog makes sure the embedded catalog at path holds the
// deriva-ml schema and the project's domain schema, creating the file when
// it is missing; an existing catalog is used as it is. It holds the
// catalog's setup lock, as seeding does, so another cyclezero creating the
// same schemas at once cannot make it fail with "schema already exists".
// Closing the file is part of writing it (SQLite flushes and checkpoints
// then), so its error is returned too.
func PrepareLocalCatalog(ctx context.Context, path, project string) error {
	return setUpLocal(ctx, path, nil, func(store *local.Store) error {
		ml := derivaml.New(store, project)
		if err := ml.EnsureMLSchema(ctx); err != nil {
			return fmt.Errorf("create the deriva-ml schema: %w", err)
		}
		return ml.CreateDomainSchema(ctx, "Domain tables of "+project)
	})
}

// CheckCatalog makes one cheap read so a new session fails early, with the
// catalog's own fix, when the catalog is unreachable or the user is not
// allowed in.
func CheckCatalog(ctx context.Context, loc state.CatalogLocation, opts ReadOptions) error {
	store, err := OpenCatalogToRead(loc, opts)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.Snapshot(ctx); err != nil {
		return fmt.Errorf("reach %s: %w", store.Describe(), err)
	}
	return nil
}
