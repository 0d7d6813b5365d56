package state

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := sampleSession("cifar10-cnn", "A", 3)
	before := time.Now().UTC()

	h, err := Create(dir, in)
	require.NoError(t, err)
	assert.False(t, h.ReadOnly(), "ReadOnly")
	assert.Empty(t, h.ReadOnlyReason(), "ReadOnlyReason")
	assert.Equal(t, SessionPath(dir, "cifar10-cnn"), h.Path(), "Path")
	assert.Equal(t, SchemaVersion, in.SchemaVersion, "SchemaVersion")
	assert.Truef(t, !in.CreatedAt.Before(before), "Create did not set CreatedAt: %v", in.CreatedAt)
	assert.Equal(t, in.CreatedAt, in.UpdatedAt, "UpdatedAt after Create")
	assert.True(t, exists(SessionDir(dir, "cifar10-cnn")), "Create did not make the session dir")

	in.Current = "tier3"
	created := in.UpdatedAt
	require.NoError(t, h.Save(in))
	assert.True(t, !in.UpdatedAt.Before(created), "Save did not bump UpdatedAt")
	require.NoError(t, h.Close())

	got, err := Load(dir, "cifar10-cnn")
	require.NoError(t, err)
	assert.Equal(t, in, got, "loaded session")

	h2, err := Open(dir, "cifar10-cnn")
	require.NoError(t, err)
	defer func() { require.NoError(t, h2.Close()) }()
	assert.False(t, h2.ReadOnly(), "ReadOnly after the first handle closed")
	assert.Equal(t, in, h2.Session(), "opened session")
	from, migrated := h2.MigratedFrom()
	assert.Equal(t, SchemaVersion, from, "MigratedFrom version")
	assert.False(t, migrated, "migrated")
}

func TestFileModesAndBackup(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no unix permissions")
	}
	dir := t.TempDir()
	s := sampleSession("m", "A", 1)
	h, err := Create(dir, s)
	require.NoError(t, err)
	defer func() { require.NoError(t, h.Close()) }()
	assert.True(t, !exists(BackupPath(dir, "m")), "a new session has no backup yet")
	first := readFile(t, h.Path())

	s.Current = "schema"
	require.NoError(t, h.Save(s))
	assert.Equal(t, string(first), string(readFile(t, BackupPath(dir, "m"))), "backup after one save")

	for _, p := range []string{h.Path(), BackupPath(dir, "m"), LockPath(dir, "m")} {
		fi, err := os.Stat(p)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "mode of "+p)
	}
	for _, p := range []string{SessionsDir(dir), SessionDir(dir, "m")} {
		fi, err := os.Stat(p)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm(), "mode of "+p)
	}
	assert.Equal(t, []string{"m", "m.json", "m.json.bak", "m.lock"}, dirNames(t, SessionsDir(dir)), "files (no temp files left)")
}

// dirNames lists a directory's entries, sorted.
func dirNames(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
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
	require.ErrorIs(t, err, ErrExists)
	assert.Contains(t, err.Error(), "cyclezero resume m")

	// A damaged document is not replaced either.
	writeRaw(t, dir, "d", []byte("{oops"))
	_, err = Create(dir, sampleSession("d", "B", 0))
	require.ErrorIs(t, err, ErrExists)
	assert.Equal(t, "{oops", string(readFile(t, SessionPath(dir, "d"))), "damaged file after Create")

	_, err = Create(dir, &Session{Slug: "../escape"})
	require.ErrorIs(t, err, ErrInvalidSlug)
	assert.True(t, !exists(filepath.Join(dir, "escape")), "an invalid slug created files")
}

func TestSecondHandleIsReadOnly(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h1, err := Create(dir, sampleSession("m", "A", 2))
	require.NoError(t, err)

	h2, err := Open(dir, "m")
	require.NoError(t, err)
	assert.True(t, h2.ReadOnly(), "second handle ReadOnly")
	assert.Equal(t,
		fmt.Sprintf("already open in this cyclezero (pid %d)", os.Getpid()),
		h2.ReadOnlyReason(), "ReadOnlyReason")
	assert.True(t, sameContent(h1.Session(), h2.Session()), "a read-only handle still has the session")

	s := h2.Session()
	s.Current = "changed"
	require.ErrorIs(t, h2.Save(s), ErrReadOnly)
	got, err := Load(dir, "m")
	require.NoError(t, err)
	assert.True(t, got.Current != "changed", "a read-only save wrote the file")
	require.NoError(t, h2.Close())

	// The writer is unaffected, and after it closes the next Open writes.
	require.NoError(t, h1.Save(h1.Session()))
	require.NoError(t, h1.Close())
	require.ErrorIs(t, h1.Save(h1.Session()), ErrClosed)
	require.NoError(t, h1.Close()) // closing twice is harmless

	h3, err := Open(dir, "m")
	require.NoError(t, err)
	assert.False(t, h3.ReadOnly(), "ReadOnly after the writer closed")
	require.NoError(t, h3.Save(h3.Session()))
	require.NoError(t, h3.Close())
}

func TestCreateWhileLockedFails(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(SessionsDir(dir), dirMode))
	fl, reason, err := tryLock(LockPath(dir, "m"))
	require.NoError(t, err)
	if fl == nil {
		t.Fatalf("could not take a fresh lock: %s", reason)
	}
	defer func() { require.NoError(t, unlock(fl)) }()

	_, err = Create(dir, sampleSession("m", "A", 0))
	if err == nil {
		t.Fatal("Create succeeded while the lock was held")
	}
	assert.Contains(t, err.Error(), "already open")
	assert.True(t, !exists(SessionPath(dir, "m")), "Create wrote a document without the lock")
}

func TestOpenMissing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	_, err := Open(dir, "nope")
	require.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "cyclezero new")
	_, err = Load(dir, "nope")
	require.ErrorIs(t, err, ErrNotFound)
	assert.True(t, !exists(LockPath(dir, "nope")), "a failed Open left a lock file")
	_, err = Open(dir, "a/b")
	require.ErrorIs(t, err, ErrInvalidSlug)
	_, err = Load(dir, "..")
	require.ErrorIs(t, err, ErrInvalidSlug)
}

func TestSaveChecks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h, err := Create(dir, sampleSession("m", "A", 0))
	require.NoError(t, err)
	defer func() { require.NoError(t, h.Close()) }()
	assert.True(t, h.Save(nil) != nil, "Save(nil) succeeded")
	assert.True(t, h.Save(sampleSession("other", "A", 0)) != nil, "a handle saved another slug")
}

func TestStaleTempsRemovedByWriter(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	mustCreate(t, dir, sampleSession("m", "A", 0))
	stale := filepath.Join(SessionsDir(dir), ".m.json.tmp-12345")
	staleBak := BackupPath(dir, "m") + ".tmp"
	other := filepath.Join(SessionsDir(dir), ".m-2.json.tmp-1") // another slug's
	for _, p := range []string{stale, staleBak, other} {
		require.NoError(t, os.WriteFile(p, []byte("half"), fileMode))
	}
	h, err := Open(dir, "m")
	require.NoError(t, err)
	require.NoError(t, h.Close())
	assert.True(t, !exists(stale), "stale temp file kept")
	assert.True(t, !exists(staleBak), "stale backup temp file kept")
	assert.True(t, exists(other), "another session's temp file was removed")
}

func TestSaveRefusesHandDamagedFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h, err := Create(dir, sampleSession("m", "A", 0))
	require.NoError(t, err)
	defer func() { require.NoError(t, h.Close()) }()
	s := h.Session()
	require.NoError(t, h.Save(s)) // now there is a good .bak
	bak := readFile(t, BackupPath(dir, "m"))

	// Someone edits the file by hand and breaks it while we hold it.
	const broken = `{"slug": "m", "runs": [`
	require.NoError(t, os.WriteFile(h.Path(), []byte(broken), fileMode))
	mustDamaged(t, h.Save(s))
	assert.Equal(t, broken, string(readFile(t, h.Path())), "damaged file after Save")
	assert.Equal(t, string(bak), string(readFile(t, BackupPath(dir, "m"))), "backup after a refused Save")

	// A valid hand edit is accepted and becomes the backup.
	writeDoc(t, dir, sampleSession("m", "E", 0))
	edited := readFile(t, h.Path())
	require.NoError(t, h.Save(s))
	assert.Equal(t, string(edited), string(readFile(t, BackupPath(dir, "m"))), "backup after saving over a hand edit")
}

func TestReadOnlyStateDir(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs a non-root unix user: root ignores directory permissions (TestRefusedLockOpensReadOnly injects the refusal instead)")
	}
	dir := t.TempDir()
	mustCreate(t, dir, sampleSession("m", "A", 0))
	require.NoError(t, os.Remove(LockPath(dir, "m")))
	require.NoError(t, os.Chmod(SessionsDir(dir), 0o500))
	t.Cleanup(func() { _ = os.Chmod(SessionsDir(dir), dirMode) })

	h, err := Open(dir, "m")
	require.NoError(t, err)
	assert.True(t, h.ReadOnly(), "ReadOnly in a read-only dir")
	assert.Contains(t, h.ReadOnlyReason(), "cannot take the session lock")
	require.ErrorIs(t, h.Save(h.Session()), ErrReadOnly)
}

// A handle recognises the file it wrote, so a normal save does not re-read it.
func TestHandleKnowsItsFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	h, err := Create(dir, sampleSession("m", "A", 1))
	require.NoError(t, err)
	defer func() { require.NoError(t, h.Close()) }()
	for i := range 2 {
		cur, err := os.Stat(h.Path())
		require.NoError(t, err)
		assert.Truef(t, sameVersion(cur, h.info), "save %d: the handle does not recognise its own file", i)
		require.NoError(t, h.Save(h.Session()))
	}
	writeDoc(t, dir, sampleSession("m", "E", 1))
	cur, err := os.Stat(h.Path())
	require.NoError(t, err)
	assert.True(t, !sameVersion(cur, h.info), "a replaced file looks unchanged")
}
