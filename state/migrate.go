package state

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// migrations upgrades a generic session document one schema version at a
// time: migrations[v] turns version v into version v+1 in place. Every
// version below SchemaVersion must have an entry (a test checks this). To
// change the document's shape: bump SchemaVersion, add the step here, and
// add a fixture of the old shape to the tests. Steps work on the decoded
// JSON (numbers are json.Number), never on Session, so they keep working
// after Session changes again. stateDir is the state dir the document was
// read from ("" when not known), for steps that need to know where it is.
//
// Adding an optional top-level field needs no new version: older builds
// ignore it, and keep it when they save (written back unchanged after the
// fields they know; see extra.go — builds before that drop it). Adding a
// field inside a nested object (catalog, phases, runs, …) does need one,
// since unknown nested keys are not kept; so does renaming, moving or
// re-typing a field, or giving a field a new meaning.
var migrations = map[int]func(doc map[string]any, stateDir string) error{
	0: migrateV0,
	1: migrateV1,
}

// migrate brings doc, read from stateDir, from version from up to
// SchemaVersion.
func migrate(doc map[string]any, from int, stateDir string) error {
	for v := from; v < SchemaVersion; v++ {
		step, ok := migrations[v]
		if !ok {
			return fmt.Errorf("no migration from schema %d to %d", v, v+1)
		}
		if err := step(doc, stateDir); err != nil {
			return fmt.Errorf("migrate from schema %d to %d: %w", v, v+1, err)
		}
		doc["schema_version"] = v + 1
	}
	return nil
}

// migrateV0 upgrades the legacy, unversioned document of cyclezero's
// pre-releases. Version 0 had no "schema_version", kept the phase the user
// was on in "phase" (now "current"), and stored the catalog location flat at
// the top level as "host", "catalog_id" and "catalog_path" (now the
// "catalog" object, whose "kind" v0 left implicit: a host meant ERMrest,
// otherwise the embedded local catalog). A v0 document that already has a
// "catalog" object keeps it and loses the flat fields.
func migrateV0(doc map[string]any, _ string) error {
	if phase, ok := doc["phase"]; ok {
		if phase != nil {
			p, ok := phase.(string)
			if !ok {
				return fmt.Errorf(`"phase" is %T, want a string`, phase)
			}
			if _, has := doc["current"]; !has {
				doc["current"] = p
			}
		}
		delete(doc, "phase")
	}

	flat := map[string]string{}
	for _, key := range []string{"host", "catalog_id", "catalog_path"} {
		v, ok := doc[key]
		if !ok {
			continue
		}
		delete(doc, key)
		if v == nil {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%q is %T, want a string", key, v)
		}
		flat[key] = s
	}
	if _, has := doc["catalog"]; has || len(flat) == 0 {
		return nil
	}
	cat := map[string]any{"kind": string(CatalogLocal)}
	if flat["host"] != "" {
		cat["kind"] = string(CatalogERMrest)
		cat["host"] = flat["host"]
		cat["catalog_id"] = flat["catalog_id"]
	}
	if flat["catalog_path"] != "" {
		cat["path"] = flat["catalog_path"]
	}
	doc["catalog"] = cat
	return nil
}

// migrateV1 drops the path of a session's own embedded catalog. Version 1
// recorded it absolute, under the state dir the session was created in, so
// a repository moved elsewhere pointed at a catalog that was gone, and a
// copy shared the original's. Version 2 stores no path for the session's
// own catalog and resolves it on load under the state dir it is read from;
// likewise a repo_root that was the main worktree holding that state dir.
// A path counts as the session's own when it is sessions/<slug>/catalog.sqlite
// of a cyclezero state dir (one named cyclezero, under a git dir, or inside
// $XDG_STATE_HOME/cyclezero): where new and demo put it. Any other file is
// one a person chose, and stays.
//
// A session on a server catalog (or a file chosen by hand) says nothing of
// where its state dir was, so its repo_root is judged from the repository
// stateDir is in: a root that is gone and is none of its worktrees is where
// the main worktree was before it moved (see movedMainWorktree).
func migrateV1(doc map[string]any, stateDir string) error {
	cat, ok := doc["catalog"].(map[string]any)
	if ok && cat["kind"] == string(CatalogLocal) {
		path, _ := cat["path"].(string)
		slug, _ := doc["slug"].(string)
		if isOwnCatalogPath(path, slug) {
			delete(cat, "path")
			// The old path also says where the state dir was: when the
			// recorded root was the main worktree holding it, the root
			// is stored as "" too.
			if root, ok := doc["repo_root"].(string); ok && root != "" &&
				mainWorktreeOf(filepath.Dir(filepath.Dir(filepath.Dir(filepath.Clean(path))))) == filepath.Clean(root) {
				doc["repo_root"] = ""
			}
		}
	}
	if root, ok := doc["repo_root"].(string); ok && root != "" && movedMainWorktree(root, stateDir) {
		doc["repo_root"] = ""
	}
	return nil
}

// movedMainWorktree reports whether root, recorded by a session kept in
// stateDir (<main worktree>/.git/cyclezero), is where that main worktree
// was before the repository was moved or copied: root no longer exists,
// and git does not list it among the repository's worktrees. A linked
// worktree deleted without `git worktree remove` is still listed (as
// prunable), so its sessions keep their root, and their note that it is
// gone. When git cannot say (not installed, timed out), root is kept.
func movedMainWorktree(root, stateDir string) bool {
	main := mainWorktreeOf(stateDir)
	if main == "" || !filepath.IsAbs(root) {
		return false
	}
	if _, err := os.Lstat(root); !errors.Is(err, os.ErrNotExist) {
		return false // still there (or cannot tell): not moved away
	}
	ctx, cancel := context.WithTimeout(context.Background(), GitTimeout)
	defer cancel()
	out, err := runGit(ctx, main, "worktree", "list", "--porcelain")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(out, "\n") {
		if wt, ok := strings.CutPrefix(line, "worktree "); ok && filepath.Clean(wt) == filepath.Clean(root) {
			return false
		}
	}
	return true
}

// isOwnCatalogPath reports whether path is LocalCatalogPath(dir, slug) for
// some cyclezero state dir: dir is named cyclezero (<git common dir>/cyclezero)
// or is in a directory named cyclezero ($XDG_STATE_HOME/cyclezero/<name>-<hash>).
func isOwnCatalogPath(path, slug string) bool {
	if path == "" || ValidateSlug(slug) != nil || !filepath.IsAbs(path) {
		return false
	}
	rest := filepath.Clean(path)
	for _, want := range []string{"catalog.sqlite", slug, "sessions"} {
		if filepath.Base(rest) != want {
			return false
		}
		rest = filepath.Dir(rest)
	}
	return filepath.Base(rest) == stateSubdir || filepath.Base(filepath.Dir(rest)) == stateSubdir
}
