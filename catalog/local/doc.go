// Package local is the embedded local catalog: a catalog.Store with
// ERMrest's shape and semantics kept in one SQLite file (modernc.org/sqlite,
// pure Go). It is the default catalog when no Deriva host is given, the
// catalog of `cyclezero demo`, and the real database in tests — including
// as the engine behind the HTTP backend's fake ERMrest server.
//
// # What it does as ERMrest does
//
//   - A new catalog has ERMrest's built-in public schema with ERMrest_Client;
//     the caller's client row is upserted on a Store's first write, so the
//     RCB/RMB foreign keys of every table hold.
//   - Model elements and entities take RIDs from one catalog-wide sequence,
//     encoded with catalog.EncodeRID; RIDs are never reused.
//   - Every committed write gets a new snapshot, strictly later than all
//     earlier ones (catalog.Snaptime of max(now, last+1µs)); RCT/RMT of the
//     rows it writes are that same instant. Reads at a snapshot id clamp down
//     to the latest snapshot at or before it; before the first one they fail
//     with ErrConflict and ERMrest's text.
//   - Inserts fill system columns, store a missing key as NULL ([] for
//     arrays), give columns in Defaults their declared default, and expand
//     "{RID}" in ID/URI/id/uri columns of type ermrest_curie/ermrest_uri (the
//     server's maintain_row trigger). Keys, NOT NULL and foreign keys (with
//     their ON UPDATE/ON DELETE actions) are enforced by SQLite; violations
//     are ErrConflict with Postgres-like details.
//   - Filters follow ERMrest: = on an array means contains, any() on an array
//     means overlap, RID= also matches the normalized RID, NOT follows SQL's
//     three-valued logic. Ascending sorts put NULLs last, descending first.
//
// # Storage layout
//
// Names in the file are derived from model element RIDs, never from user
// names, so any ERMrest name (spaces, quotes, case-only differences, 63
// bytes of UTF-8) works:
//
//	t<tableRID>     live rows, one STRICT table per catalog table; column
//	                c<columnRID>; text and domains, dates (checked and
//	                stored as YYYY-MM-DD, as PostgreSQL prints them), timestamps (in
//	                ERMrest's JSON form, UTC, so text order is time order),
//	                json/jsonb and arrays (JSON text) are TEXT, integers and
//	                booleans INTEGER, floats REAL. Keys are UNIQUE
//	                constraints, foreign keys SQLite FOREIGN KEYs (indexed,
//	                except RCB/RMB), nullok=false is NOT NULL.
//	h<tableRID>     history, like ERMrest's _ermrest_history tables: one row
//	                per version (rid, lo, hi, data) valid for snapshots
//	                lo <= s < hi (hi NULL while current), data the row as
//	                JSONB keyed by column RID. Triggers on t<tableRID> keep it, so
//	                cascaded changes are recorded too; the update trigger also
//	                refreshes RMT/RMB of rows changed by a cascade.
//	_model          schema and table documents (catalog.Schema without tables,
//	                catalog.Table with every element's RID) with the same
//	                [lo, hi) ranges, so Model(at) rebuilds any past model.
//	_snapshots      every committed snapshot (µs); model=1 marks model changes.
//	_rids           RID → table RID for every entity ever inserted, so
//	                ResolveRID finds deleted entities (whose history then gives
//	                DeletedAt and the last snapshot they were visible in).
//	_tables         each table's last modification snapshot.
//	_meta           the layout version and the RID sequence.
//	_tx             the writing transaction's snapshot, RMT text and client,
//	                read by the triggers.
//
// A read at the latest snapshot uses the live tables, and so does a read at
// an older snapshot of a table unchanged since (_tables records each table's
// last change, like ERMrest's table_modified, including changes that foreign
// key actions cascade into). Otherwise the read goes through the history with
// a subquery carrying the live tables' column names, so the same SQL serves
// both (paging by RID stays an index range scan either way).
//
// # Opening
//
// Open creates a catalog where there is nothing yet (no file, an empty
// file, an SQLite database without tables); OpenExisting, for commands
// that only read, creates nothing. Both refuse anything else with a
// *FileError (catalog.ErrNotFound, with a fix) before writing to the
// file: a directory, a file that is not SQLite, another program's
// database (one without all of the bookkeeping tables above), or a
// catalog of another layout version (_meta's format). WAL mode, which
// rewrites the file header, is set only on a catalog. Nothing migrates:
// format 1 is the only layout so far; a later one may be migrated by
// Open, but OpenExisting must refuse it, since a read must not rewrite a
// file that the cyclezero which wrote it still reads. With
// Options.ReadOnly the Store refuses writes (query_only on SQLite's
// read-write connection, so readers still see other processes' commits
// and leave no -wal/-shm files behind).
//
// # Concurrency
//
// The file is in WAL mode with a busy timeout, so the wizard and a training
// process can use it at once: readers never block, writers take turns
// (BEGIN IMMEDIATE; one writer per Store inside a process). Every write call
// is one transaction — a multi-row insert, update or delete is all or
// nothing. A write that waited out the busy timeout (Options.BusyTimeout,
// at least 10 s) for another process's write fails with ErrUnavailable
// marked catalog.NotApplied: nothing of it was written, so it can be
// retried as is. The model is cached per model version, which is immutable, so a
// table created by another process is seen on the next call.
//
// # Known differences from a server
//
// Text sorts by byte order (a server may use a locale collation); a Regexp
// filter uses Go's RE2 syntax in (?s) mode (PostgreSQL's ~ lets "." match a
// newline), matches non-text values in PostgreSQL's text form (true/false,
// "2024-01-01 06:00:00+00", spaced jsonb) and, on arrays, each element; Update
// with RMT in Match rolls the whole call back on a stale row (a server
// applies the other rows); serial columns get no sequence values; the public
// schema has only ERMrest_Client (no ERMrest_Group or ERMrest_RID_Lease);
// ACLs, nondefaults and RID leases are not modelled.
package local
