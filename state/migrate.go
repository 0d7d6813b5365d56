package state

import (
	"fmt"
	"path/filepath"
)

// migrations upgrades a generic session document one schema version at a
// time: migrations[v] turns version v into version v+1 in place. Every
// version below SchemaVersion must have an entry (a test checks this). To
// change the document's shape: bump SchemaVersion, add the step here, and
// add a fixture of the old shape to the tests. Steps work on the decoded
// JSON (numbers are json.Number), never on Session, so they keep working
// after Session changes again.
//
// Adding an optional top-level field needs no new version: older builds
// ignore it, and keep it when they save (written back unchanged after the
// fields they know; see extra.go — builds before that drop it). Adding a
// field inside a nested object (catalog, phases, runs, …) does need one,
// since unknown nested keys are not kept; so does renaming, moving or
// re-typing a field, or giving a field a new meaning.
var migrations = map[int]func(doc map[string]any) error{
	0: migrateV0,
	1: migrateV1,
}

// migrate brings doc from version from up to SchemaVersion.
func migrate(doc map[string]any, from int) error {
	for v := from; v < SchemaVersion; v++ {
		step, ok := migrations[v]
		if !ok {
			return fmt.Errorf("no migration from schema %d to %d", v, v+1)
		}
		if err := step(doc); err != nil {
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
func migrateV0(doc map[string]any) error {
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
func migrateV1(doc map[string]any) error {
	cat, ok := doc["catalog"].(map[string]any)
	if !ok || cat["kind"] != string(CatalogLocal) {
		return nil
	}
	path, _ := cat["path"].(string)
	slug, _ := doc["slug"].(string)
	if !isOwnCatalogPath(path, slug) {
		return nil
	}
	delete(cat, "path")
	// The old path also says where the state dir was: when the recorded
	// root was the main worktree holding it, the root is stored as "" too.
	if root, ok := doc["repo_root"].(string); ok && root != "" &&
		mainWorktreeOf(filepath.Dir(filepath.Dir(filepath.Dir(filepath.Clean(path))))) == filepath.Clean(root) {
		doc["repo_root"] = ""
	}
	return nil
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
