package state

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// requireNonRoot skips a test that needs the file system to refuse access:
// root is never refused.
func requireNonRoot(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("needs a non-root unix user: root ignores permissions (permission_refused_test.go injects the refusals instead)")
	}
}

// assertPermissionFix checks that err keeps the refusal and says to check
// path, with the XDG_STATE_HOME way out or without.
func assertPermissionFix(t *testing.T, err error, path string, xdg bool) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, fs.ErrPermission, "the refusal is kept: %v", err)
	assert.ErrorAs(t, err, new(*fs.PathError), "the path error is kept: %v", err)
	var pe *PermissionError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, path, pe.Check)
	assert.Contains(t, err.Error(), "permission denied — check the owner and permissions of "+path+
		" (ls -ld "+ShellQuote(path)+")")
	if xdg {
		assert.Contains(t, err.Error(), ", or set XDG_STATE_HOME to a writable directory")
	} else {
		assert.NotContains(t, err.Error(), "XDG_STATE_HOME")
	}
}

// The fix names the path that refused, or the directory that cannot be
// written when the refusal was to make something in it; the XDG way out
// only for the state of a directory outside git, and not for its sessions.
func TestExplainPermission(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	gitDir := filepath.Join(root, "repo", ".git")
	require.NoError(t, os.MkdirAll(gitDir, 0o755))
	xdgHome := filepath.Join(root, "xdg")
	require.NoError(t, os.Mkdir(xdgHome, 0o755))
	xdgState := filepath.Join(xdgHome, stateSubdir, "proj-0123456789ab")
	fallback := filepath.Join(xdgHome, stateSubdir, "fallback-0123456789ab")
	noteFallback(fallback, fallbackUse{gitStateDir: filepath.Join(gitDir, stateSubdir), top: filepath.Dir(gitDir)})
	doc := SessionPath(xdgState, "x")
	require.NoError(t, os.MkdirAll(filepath.Dir(doc), dirMode))
	require.NoError(t, os.WriteFile(doc, nil, 0o000))

	denied := func(op, path string) error {
		return &fs.PathError{Op: op, Path: path, Err: syscall.EACCES}
	}
	for name, c := range map[string]struct {
		stateDir string
		err      error
		check    string
		xdg      bool
	}{
		"read-only .git":         {filepath.Join(gitDir, stateSubdir), denied("mkdir", filepath.Join(gitDir, stateSubdir)), gitDir, false},
		"read-only XDG home":     {xdgState + "-new", denied("mkdir", filepath.Join(xdgHome, stateSubdir, "x")), filepath.Join(xdgHome, stateSubdir), true},
		"unreadable document":    {xdgState, denied("open", doc), doc, false},
		"temp file in sessions/": {xdgState, denied("open", SessionsDir(xdgState)+"/.x.json.tmp-1"), SessionsDir(xdgState), false},
		"fallback of a repo":     {fallback, denied("mkdir", fallback), filepath.Join(xdgHome, stateSubdir), false},
	} {
		t.Run(name, func(t *testing.T) {
			wrapped := ExplainPermission(c.stateDir, fmt.Errorf("create directory: %w", c.err)) // at any depth
			assertPermissionFix(t, wrapped, c.check, c.xdg)
			assert.Equal(t, wrapped, ExplainPermission(c.stateDir, wrapped), "said once")
		})
	}

	other := &fs.PathError{Op: "open", Path: doc, Err: syscall.EIO}
	assert.Equal(t, error(other), ExplainPermission(xdgState, other), "other errors are kept as they are")
	assert.NoError(t, ExplainPermission(xdgState, nil))
	bare := fs.ErrPermission
	assert.Equal(t, bare, ExplainPermission(xdgState, bare), "no path, nothing to name")
}

// chmod 000 on a session document: Load and Open say which file to check.
func TestUnreadableSessionSaysWhatToCheck(t *testing.T) {
	t.Parallel()
	requireNonRoot(t)
	dir := t.TempDir()
	mustCreate(t, dir, sampleSession("x", "A", 0))
	doc := SessionPath(dir, "x")
	require.NoError(t, os.Chmod(doc, 0o000))
	t.Cleanup(func() { _ = os.Chmod(doc, fileMode) })

	_, err := Load(dir, "x")
	assertPermissionFix(t, err, doc, false)
	assert.Contains(t, err.Error(), `open session "x": open `+doc)
	_, err = Open(dir, "x")
	assertPermissionFix(t, err, doc, false)
}

// A read-only .git with no cyclezero dir yet: Create names .git.
func TestCreateInAReadOnlyGitDirSaysWhatToCheck(t *testing.T) {
	t.Parallel()
	requireNonRoot(t)
	gitDir := filepath.Join(t.TempDir(), ".git")
	require.NoError(t, os.Mkdir(gitDir, 0o555))
	t.Cleanup(func() { _ = os.Chmod(gitDir, 0o755) })

	_, err := Create(filepath.Join(gitDir, stateSubdir), sampleSession("x", "A", 0))
	assertPermissionFix(t, err, gitDir, false)
	assert.Contains(t, err.Error(), "mkdir "+filepath.Join(gitDir, stateSubdir))
}

// A read-only XDG_STATE_HOME outside a repository: Create names it and
// says XDG_STATE_HOME can point elsewhere.
func TestCreateInAReadOnlyXDGStateHomeSaysWhatToDo(t *testing.T) {
	_, work := preGitDir(t)
	xdg := realTempDir(t)
	require.NoError(t, os.Chmod(xdg, 0o555))
	t.Cleanup(func() { _ = os.Chmod(xdg, 0o755) })
	t.Setenv("XDG_STATE_HOME", xdg)
	requireNonRoot(t)

	loc := locate(t, work)
	require.False(t, loc.InGit)
	_, err := Create(loc.StateDir, sampleSession("x", "A", 0))
	assertPermissionFix(t, err, xdg, true)
}

// A read-only sessions dir: Create is refused with the fix (Open still
// opens read-only, see TestReadOnlyStateDir).
func TestCreateInAReadOnlySessionsDirSaysWhatToCheck(t *testing.T) {
	t.Parallel()
	requireNonRoot(t)
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(SessionDir(dir, "x"), dirMode))
	require.NoError(t, os.Chmod(SessionsDir(dir), 0o500))
	t.Cleanup(func() { _ = os.Chmod(SessionsDir(dir), dirMode) })

	_, err := Create(dir, sampleSession("x", "A", 0))
	assertPermissionFix(t, err, SessionsDir(dir), false)
	assert.False(t, errors.Is(err, ErrExists))
}
