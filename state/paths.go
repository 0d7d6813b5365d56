package state

import (
	"os"
	"path/filepath"
)

// File and directory permissions: sessions can name private hosts and
// paths, so they are readable by their owner only.
const (
	fileMode os.FileMode = 0o600
	dirMode  os.FileMode = 0o700
)

// The path helpers below only join names; callers pass a slug that passed
// ValidateSlug (Create, Open and Load check it themselves).

// SessionsDir is the directory holding every session of a state dir.
func SessionsDir(stateDir string) string { return filepath.Join(stateDir, "sessions") }

// SessionPath is the session document for slug.
func SessionPath(stateDir, slug string) string {
	return filepath.Join(SessionsDir(stateDir), slug+".json")
}

// BackupPath is the last good copy of slug's session document.
func BackupPath(stateDir, slug string) string { return SessionPath(stateDir, slug) + ".bak" }

// LockPath is the lock file guarding slug's session.
func LockPath(stateDir, slug string) string {
	return filepath.Join(SessionsDir(stateDir), slug+".lock")
}

// SessionDir is the per-session directory for files other than the document
// itself (runs/<id>/, the local catalog).
func SessionDir(stateDir, slug string) string { return filepath.Join(SessionsDir(stateDir), slug) }

// RunsDir is where run directories (runs/<id>/) of slug's session live.
func RunsDir(stateDir, slug string) string { return filepath.Join(SessionDir(stateDir, slug), "runs") }

// LocalCatalogPath is the default embedded catalog file for slug's session.
func LocalCatalogPath(stateDir, slug string) string {
	return filepath.Join(SessionDir(stateDir, slug), "catalog.sqlite")
}

// RepoCatalogPath is the repository's own embedded catalog, next to
// sessions/: what catalog commands use with --local when no session has
// an embedded catalog (cyclezero catalog seed-demo --local in a fresh repo).
func RepoCatalogPath(stateDir string) string { return filepath.Join(stateDir, "catalog.sqlite") }

// tempPattern is the os.CreateTemp pattern for a save in progress; the
// leading dot keeps it out of List and makes stale ones easy to find.
func tempPattern(slug string) string { return "." + slug + ".json.tmp-*" }
