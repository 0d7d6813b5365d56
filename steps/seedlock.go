package steps

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cyclezero/cyclezero/catalog/local"
	"github.com/gofrs/flock"
)

// Setting up an embedded catalog — creating its schemas, seeding the demo
// — is exclusive: a seed still running looks exactly like one cut short,
// which the next seed purges, and two processes creating the deriva-ml
// schema at once make one fail with "schema already exists". The lock is
// a flock(2) on a file next to the catalog rather than a marker row in
// the catalog: the kernel drops it when its holder dies, however it dies,
// so there is no stale lock to guess about (a marker row needs a liveness
// check that a reused pid or another machine defeats); and it can be
// taken before the catalog file exists or has any schema to hold a row.
// The lock file stays behind, empty, when released; that is harmless.

// seedLockWait bounds how long a setup waits for another cyclezero's: a
// standard demo seed takes well under a second, so two minutes means the
// other one is stuck (or seeding something far bigger).
const seedLockWait = 2 * time.Minute

// seedLockPoll is how often a waiting setup tries the lock again.
const seedLockPoll = 50 * time.Millisecond

// SeedLockPath is the lock file that makes setting up the embedded catalog
// at catalogPath exclusive.
func SeedLockPath(catalogPath string) string { return catalogPath + ".seed.lock" }

// setUpLocal opens the embedded catalog at path, creating it and its
// directory when missing, and runs fn on it, all under the catalog's setup
// lock; waiting is as for lockCatalogSetup. Closing the file is part of
// writing it (SQLite flushes and checkpoints then), so its error is
// returned too.
func setUpLocal(ctx context.Context, path string, waiting func(notice string), fn func(*local.Store) error) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create the directory of %s: %w", path, err)
	}
	release, err := lockCatalogSetup(ctx, path, seedLockWait, waiting)
	if err != nil {
		return err
	}
	defer release()
	store, err := local.Open(path, local.Options{})
	if err != nil {
		return err // local's error names the file already
	}
	defer func() {
		if cerr := store.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("close %s: %w", store.Describe(), cerr))
		}
	}()
	return fn(store)
}

// lockCatalogSetup takes the setup lock of the embedded catalog at path,
// waiting up to wait (and no longer than ctx) for another holder; waiting,
// when set, is told once that it waits. The holder's pid goes into the
// file so a waiter can say who it waits for. release truncates the file
// and lets go.
func lockCatalogSetup(ctx context.Context, path string, wait time.Duration, waiting func(notice string)) (release func(), err error) {
	fl := flock.New(SeedLockPath(path), flock.SetPermissions(0o600))
	ok, err := fl.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s to set it up: %w", path, err)
	}
	if !ok {
		if waiting != nil {
			waiting(fmt.Sprintf("another cyclezero%s is seeding %s; waiting for it to finish…", lockHolder(fl.Path()), path))
		}
		wctx, cancel := context.WithTimeout(ctx, wait)
		defer cancel()
		ok, err = fl.TryLockContext(wctx, seedLockPoll)
		switch {
		case ok:
		case ctx.Err() != nil:
			return nil, fmt.Errorf("wait for another cyclezero to finish seeding %s: %w", path, ctx.Err())
		case err == nil || errors.Is(err, context.DeadlineExceeded):
			return nil, fmt.Errorf("another cyclezero%s is seeding this catalog (%s) and has not finished after %s; "+
				"try again when it has finished", lockHolder(fl.Path()), path, wait)
		default:
			return nil, fmt.Errorf("lock %s to set it up: %w", path, err)
		}
	}
	// Best effort: the pid only improves a waiter's message.
	_ = os.WriteFile(fl.Path(), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
	return func() {
		// Clear the pid first, so no waiter names a process that let go.
		_ = os.Truncate(fl.Path(), 0)
		_ = fl.Unlock()
	}, nil
}

// lockHolder is " (pid N)" for the process that holds the lock file at
// path, or "" when it has not written its pid (yet).
func lockHolder(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return ""
	}
	return fmt.Sprintf(" (pid %d)", pid)
}
