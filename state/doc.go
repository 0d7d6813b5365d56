// Package state keeps a cycle-zero session on disk: one versioned JSON
// document per model slug, stored outside the working tree (under the repo's
// git common dir, else the XDG state dir), written atomically and guarded by a
// file lock. It knows nothing about phases' rules; package steps does.
//
// Typical use:
//
//	loc, err := state.Locate(ctx, repo)             // where this working tree's sessions live
//	h, err := state.Open(loc.StateDir, "my-model") // lock and load; read-only if someone else has it
//	defer h.Close()
//	s := h.Session()
//	s.Current = "tier1"
//	err = h.Save(s)                                 // atomic; state.ErrReadOnly on a read-only handle
//
// The status dashboard uses [Load] and [List], which never take the lock and
// never write.
//
// # On-disk layout
//
// The state directory ([Dir]) is $(git rev-parse --git-common-dir)/cyclezero
// inside a git repository, shared by all of its worktrees, so session files
// never make the working tree dirty. Outside a repository it is
// $XDG_STATE_HOME/cyclezero/<name>-<hash of the absolute path>. When a
// directory with sessions later becomes a repository (`git init`), and the
// git dir has no sessions yet, the XDG dir stays the repository's state dir
// — its sessions are never moved, and new ones go there too — and
// [Location.Fallback] says so; the git dir then gets a file
// cyclezero/pre-git-state (not a session) naming the XDG dir, so that the
// repository still finds it after a move. Under the state dir:
//
//	catalog.sqlite              the repository's embedded catalog when no session has one ([RepoCatalogPath])
//	sessions/<slug>.json        the session document (mode 0600)
//	sessions/<slug>.json.bak    the previous good document, kept by every save
//	sessions/<slug>.json.schema<N>   the document as schema N stored it, kept by its first upgrade ([SchemaCopyPath])
//	sessions/<slug>.lock        flock(2) lock file; holds the owner's pid while locked
//	sessions/<slug>/            per-session files (mode 0700 directory)
//	sessions/<slug>/catalog.sqlite   default embedded catalog ([LocalCatalogPath])
//	sessions/<slug>/runs/<id>/       run output (written by package steps)
//	sessions/.<slug>.json.tmp-*      a save in progress; removed by the next writer
//
// A session's own embedded catalog (sessions/<slug>/catalog.sqlite, where
// new and demo make it) is stored in the document as "catalog":
// {"kind": "local"} with no "path", and given its path under the state dir
// the document is read from when it is loaded: in memory
// [CatalogLocation].Path is always absolute. A repository moved elsewhere
// thus finds its sessions' catalogs in its own .git, and a copy uses its
// copies rather than the original's. Any other catalog file keeps its
// absolute path. Likewise "repo_root" is stored as "" when it is the main
// worktree whose .git holds the state dir, and put back on load. (Schema 1
// recorded both absolute; its migration reads an own catalog's path, under
// any cyclezero state dir, as the session's own, and a root that was the
// main worktree holding that state dir as this one's; so is a root that no
// longer exists and that git does not list among the repository's
// worktrees, whatever the catalog: where the repository was before a move.)
//
// A save writes a temp file in sessions/, fsyncs it, hard-links the current
// document to <slug>.json.bak, renames the temp file over <slug>.json and
// fsyncs the directory, so a crash at any point leaves either the old or the
// new document, never a mix. A damaged document is never overwritten or
// deleted by this package; [DamagedError] says how to recover.
//
// # Schema versions
//
// Every document carries "schema_version" ([SchemaVersion] is what this build
// writes). Older documents are migrated in memory on load by the steps in
// migrate.go and written back in the new version by the next save, which keeps
// the old file as the .bak and, for good, as <slug>.json.schema<N> (never
// replaced; copied back over the document, it is what an older build reads).
// A newer document is refused ([ErrNewerSchema]),
// never silently downgraded. Top-level keys a build does not know (a newer
// build's optional field, a note added by hand) are kept: a save writes them
// back unchanged after the keys it knows. Unknown keys inside nested objects
// are not kept, so adding one needs a new schema version.
package state
