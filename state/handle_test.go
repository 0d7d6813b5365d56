package state

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := sampleSession("cifar10-cnn", "A", 3)
	before := time.Now().UTC()

	h, err := Create(dir, in)
	must(t, err)
	wantEq(t, h.ReadOnly(), false, "ReadOnly")
	wantEq(t, h.ReadOnlyReason(), "", "ReadOnlyReason")
	wantEq(t, h.Path(), SessionPath(dir, "cifar10-cnn"), "Path")
	wantEq(t, in.SchemaVersion, SchemaVersion, "SchemaVersion")
	wantTrue(t, !in.CreatedAt.Before(before), "Create did not set CreatedAt: %v", in.CreatedAt)
	wantEq(t, in.UpdatedAt, in.CreatedAt, "UpdatedAt after Create")
	wantTrue(t, exists(SessionDir(dir, "cifar10-cnn")), "Create did not make the session dir")

	in.Current = "tier3"
	created := in.UpdatedAt
	must(t, h.Save(in))
	wantTrue(t, !in.UpdatedAt.Before(created), "Save did not bump UpdatedAt")
	must(t, h.Close())

	got, err := Load(dir, "cifar10-cnn")
	must(t, err)
	wantEq(t, got, in, "loaded session")

	h2, err := Open(dir, "cifar10-cnn")
	must(t, err)
	defer func() { must(t, h2.Close()) }()
	wantEq(t, h2.ReadOnly(), false, "ReadOnly after the first handle closed")
	wantEq(t, h2.Session(), in, "opened session")
	from, migrated := h2.MigratedFrom()
	wantEq(t, from, SchemaVersion, "MigratedFrom version")
	wantEq(t, migrated, false, "migrated")
}

func TestFileModesAndBackup(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no unix permissions")
	}
	dir := t.TempDir()
	s := sampleSession("m", "A", 1)
	h, err := Create(dir, s)
	must(t, err)
	defer func() { must(t, h.Close()) }()
	wantTrue(t, !exists(BackupPath(dir, "m")), "a new session has no backup yet")
	first := readFile(t, h.Path())

	s.Current = "schema"
	must(t, h.Save(s))
	wantEq(t, string(readFile(t, BackupPath(dir, "m"))), string(first), "backup after one save")

	for _, p := range []string{h.Path(), BackupPath(dir, "m"), LockPath(dir, "m")} {
		fi, err := os.Stat(p)
		must(t, err)
		wantEq(t, fi.Mode().Perm(), os.FileMode(0o600), "mode of "+p)
	}
	for _, p := range []string{SessionsDir(dir), SessionDir(dir, "m")} {
		fi, err := os.Stat(p)
		must(t, err)
		wantEq(t, fi.Mode().Perm(), os.FileMode(0o700), "mode of "+p)
	}
	wantEq(t, dirNames(t, SessionsDir(dir)), []string{"m", "m.json", "m.json.bak", "m.lock"}, "files (no temp files left)")
}

// dirNames lists a directory's entries, sorted.
func dirNames(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	must(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

func TestCreateRefusesExisting(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustCreate(t, dir, sampleSession("m", "A", 0))

	_, err := Create(dir, sampleSession("m", "B", 0))
	mustIs(t, err, ErrExists)
	wantContains(t, err.Error(), "cyclezero resume m")

	// A damaged document is not replaced either.
	writeRaw(t, dir, "d", []byte("{oops"))
	_, err = Create(dir, sampleSession("d", "B", 0))
	mustIs(t, err, ErrExists)
	wantEq(t, string(readFile(t, SessionPath(dir, "d"))), "{oops", "damaged file after Create")

	_, err = Create(dir, &Session{Slug: "../escape"})
	mustIs(t, err, ErrInvalidSlug)
	wantTrue(t, !exists(filepath.Join(dir, "escape")), "an invalid slug created files")
}

func TestSecondHandleIsReadOnly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h1, err := Create(dir, sampleSession("m", "A", 2))
	must(t, err)

	h2, err := Open(dir, "m")
	must(t, err)
	wantEq(t, h2.ReadOnly(), true, "second handle ReadOnly")
	wantEq(t, h2.ReadOnlyReason(),
		fmt.Sprintf("this session is already open in this cyclezero (pid %d); opened read-only", os.Getpid()),
		"ReadOnlyReason")
	wantTrue(t, sameContent(h1.Session(), h2.Session()), "a read-only handle still has the session")

	s := h2.Session()
	s.Current = "changed"
	mustIs(t, h2.Save(s), ErrReadOnly)
	got, err := Load(dir, "m")
	must(t, err)
	wantTrue(t, got.Current != "changed", "a read-only save wrote the file")
	must(t, h2.Close())

	// The writer is unaffected, and after it closes the next Open writes.
	must(t, h1.Save(h1.Session()))
	must(t, h1.Close())
	mustIs(t, h1.Save(h1.Session()), ErrClosed)
	must(t, h1.Close()) // closing twice is harmless

	h3, err := Open(dir, "m")
	must(t, err)
	wantEq(t, h3.ReadOnly(), false, "ReadOnly after the writer closed")
	must(t, h3.Save(h3.Session()))
	must(t, h3.Close())
}

func TestCreateWhileLockedFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	must(t, os.MkdirAll(SessionsDir(dir), dirMode))
	fl, reason, err := tryLock(LockPath(dir, "m"))
	must(t, err)
	if fl == nil {
		t.Fatalf("could not take a fresh lock: %s", reason)
	}
	defer func() { must(t, unlock(fl)) }()

	_, err = Create(dir, sampleSession("m", "A", 0))
	if err == nil {
		t.Fatal("Create succeeded while the lock was held")
	}
	wantContains(t, err.Error(), "already open")
	wantTrue(t, !exists(SessionPath(dir, "m")), "Create wrote a document without the lock")
}

func TestOpenMissing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := Open(dir, "nope")
	mustIs(t, err, ErrNotFound)
	wantContains(t, err.Error(), "cyclezero new")
	_, err = Load(dir, "nope")
	mustIs(t, err, ErrNotFound)
	wantTrue(t, !exists(LockPath(dir, "nope")), "a failed Open left a lock file")
	_, err = Open(dir, "a/b")
	mustIs(t, err, ErrInvalidSlug)
	_, err = Load(dir, "..")
	mustIs(t, err, ErrInvalidSlug)
}

func TestSaveChecks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h, err := Create(dir, sampleSession("m", "A", 0))
	must(t, err)
	defer func() { must(t, h.Close()) }()
	wantTrue(t, h.Save(nil) != nil, "Save(nil) succeeded")
	wantTrue(t, h.Save(sampleSession("other", "A", 0)) != nil, "a handle saved another slug")
}

func TestStaleTempsRemovedByWriter(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustCreate(t, dir, sampleSession("m", "A", 0))
	stale := filepath.Join(SessionsDir(dir), ".m.json.tmp-12345")
	staleBak := BackupPath(dir, "m") + ".tmp"
	other := filepath.Join(SessionsDir(dir), ".m-2.json.tmp-1") // another slug's
	for _, p := range []string{stale, staleBak, other} {
		must(t, os.WriteFile(p, []byte("half"), fileMode))
	}
	h, err := Open(dir, "m")
	must(t, err)
	must(t, h.Close())
	wantTrue(t, !exists(stale), "stale temp file kept")
	wantTrue(t, !exists(staleBak), "stale backup temp file kept")
	wantTrue(t, exists(other), "another session's temp file was removed")
}

func TestSaveRefusesHandDamagedFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h, err := Create(dir, sampleSession("m", "A", 0))
	must(t, err)
	defer func() { must(t, h.Close()) }()
	s := h.Session()
	must(t, h.Save(s)) // now there is a good .bak
	bak := readFile(t, BackupPath(dir, "m"))

	// Someone edits the file by hand and breaks it while we hold it.
	const broken = `{"slug": "m", "runs": [`
	must(t, os.WriteFile(h.Path(), []byte(broken), fileMode))
	mustDamaged(t, h.Save(s))
	wantEq(t, string(readFile(t, h.Path())), broken, "damaged file after Save")
	wantEq(t, string(readFile(t, BackupPath(dir, "m"))), string(bak), "backup after a refused Save")

	// A valid hand edit is accepted and becomes the backup.
	writeDoc(t, dir, sampleSession("m", "E", 0))
	edited := readFile(t, h.Path())
	must(t, h.Save(s))
	wantEq(t, string(readFile(t, BackupPath(dir, "m"))), string(edited), "backup after saving over a hand edit")
}

func TestReadOnlyStateDir(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs a non-root unix user: root ignores directory permissions")
	}
	dir := t.TempDir()
	mustCreate(t, dir, sampleSession("m", "A", 0))
	must(t, os.Remove(LockPath(dir, "m")))
	must(t, os.Chmod(SessionsDir(dir), 0o500))
	t.Cleanup(func() { _ = os.Chmod(SessionsDir(dir), dirMode) })

	h, err := Open(dir, "m")
	must(t, err)
	wantEq(t, h.ReadOnly(), true, "ReadOnly in a read-only dir")
	wantContains(t, h.ReadOnlyReason(), "cannot take the session lock")
	mustIs(t, h.Save(h.Session()), ErrReadOnly)
}

// A handle recognises the file it wrote, so a normal save does not re-read it.
func TestHandleKnowsItsFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h, err := Create(dir, sampleSession("m", "A", 1))
	must(t, err)
	defer func() { must(t, h.Close()) }()
	for i := range 2 {
		cur, err := os.Stat(h.Path())
		must(t, err)
		wantTrue(t, sameVersion(cur, h.info), "save %d: the handle does not recognise its own file", i)
		must(t, h.Save(h.Session()))
	}
	writeDoc(t, dir, sampleSession("m", "E", 1))
	cur, err := os.Stat(h.Path())
	must(t, err)
	wantTrue(t, !sameVersion(cur, h.info), "a replaced file looks unchanged")
}
