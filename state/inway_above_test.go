package state

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// outsideGitWork is a directory outside any git repository, for tests that
// set where its XDG state home is.
func outsideGitWork(t *testing.T) string {
	t.Helper()
	root := realTempDir(t)
	t.Setenv("GIT_CEILING_DIRECTORIES", root)
	work := filepath.Join(root, "w")
	require.NoError(t, os.Mkdir(work, 0o755))
	return work
}

// mustAbove checks that listing (what status does, through Locate and
// List) and creating a session (what new does) in work's state dir both
// fail with an *InTheWayError naming file as in the way of the XDG state
// home, and returns the message.
func mustAbove(t *testing.T, work, file, home string, fromEnv bool) string {
	t.Helper()
	_, err := Locate(context.Background(), work)
	var in *InTheWayError
	require.ErrorAs(t, err, &in)
	assert.Equal(t, file, in.Path, "what is in the way")
	assert.Equal(t, home, in.StateHome)
	assert.Equal(t, fromEnv, in.FromEnv)
	assert.Error(t, in.Unwrap(), "the failure it caused is kept")

	stateDir, err := xdgStateDir(work)
	require.NoError(t, err)
	_, err = List(stateDir)
	require.ErrorAs(t, err, &in, "list")
	assert.Equal(t, file, in.Path, "list")
	_, err = Create(stateDir, sampleSession("m", "A", 0))
	require.ErrorAs(t, err, &in, "create")
	assert.Equal(t, file, in.Path, "create")
	assert.Contains(t, err.Error(), `create session "m": `)
	return in.Error()
}

// XDG_STATE_HOME naming a file, or a path under one, stops status and new
// with the file named and XDG_STATE_HOME to fix, not a bare "not a
// directory"; the file is the user's, so moving it is not suggested.
func TestXDGStateHomeIsAFile(t *testing.T) {
	work := outsideGitWork(t)
	file := filepath.Join(realTempDir(t), "xfile")
	require.NoError(t, os.WriteFile(file, []byte("mine"), fileMode))
	for _, home := range []string{file, filepath.Join(file, "a", "b")} {
		t.Setenv("XDG_STATE_HOME", home)
		msg := mustAbove(t, work, file, home, true)
		assert.Equal(t, file+" is a file, not a directory, so cyclezero cannot keep its state under XDG_STATE_HOME="+
			home+": set XDG_STATE_HOME to a directory, then try again", msg, home)
	}
	assert.Equal(t, "mine", string(readFile(t, file)), "the file is left alone")

	t.Setenv("XDG_STATE_HOME", filepath.Join(filepath.Dir(file), "dir")) // as the message says
	loc, err := Locate(context.Background(), work)
	require.NoError(t, err)
	mustCreate(t, loc.StateDir, sampleSession("m", "A", 0))
}

// With XDG_STATE_HOME unset the state home is ~/.local/state: a file
// there, or at ~/.local two levels above cyclezero's directory, is to be
// moved aside, and once it is, sessions work.
func TestDefaultStateHomeIsAFile(t *testing.T) {
	for _, name := range []string{".local/state", ".local"} {
		t.Run(name, func(t *testing.T) {
			work := outsideGitWork(t)
			h := realTempDir(t)
			t.Setenv("HOME", h)
			if runtime.GOOS == "windows" {
				t.Setenv("USERPROFILE", h)
			}
			t.Setenv("XDG_STATE_HOME", "")
			file := filepath.Join(h, filepath.FromSlash(name))
			require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
			require.NoError(t, os.WriteFile(file, []byte("mine"), fileMode))
			home := filepath.Join(h, ".local", "state")

			msg := mustAbove(t, work, file, home, false)
			assert.Equal(t, file+" is a file, not a directory, so cyclezero cannot keep its state under "+home+
				" (the XDG state home): move it aside, then try again, with: mv "+file+" "+file+".bak"+
				"; or set XDG_STATE_HOME to a directory", msg)

			require.NoError(t, os.Rename(file, file+".bak")) // as the message says
			loc, err := Locate(context.Background(), work)
			require.NoError(t, err)
			assert.Equal(t, filepath.Join(home, stateSubdir), ownTop(loc.StateDir))
			mustCreate(t, loc.StateDir, sampleSession("m", "A", 0))
			assert.Equal(t, "mine", string(readFile(t, file+".bak")), "the moved file is kept")
		})
	}
}

// A state home that does not exist yet, under directories that do, is
// no error: new makes it.
func TestMissingStateHomeIsMade(t *testing.T) {
	work := outsideGitWork(t)
	home := filepath.Join(realTempDir(t), "not", "yet")
	t.Setenv("XDG_STATE_HOME", home)
	loc, err := Locate(context.Background(), work)
	require.NoError(t, err)
	sums, err := List(loc.StateDir)
	require.NoError(t, err)
	assert.Empty(t, sums)
	mustCreate(t, loc.StateDir, sampleSession("m", "A", 0))
}
