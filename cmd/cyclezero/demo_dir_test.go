package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state/gittest"
)

// A demo directory that cannot be read or created is the argument's
// fault: said in the user's terms, with what to do.
func TestDemoDirectoryThatCannotBeUsed(t *testing.T) {
	isolate(t)
	gittest.Require(t)
	base := t.TempDir()
	file := filepath.Join(base, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	// A dangling link: the directory is not there, and cannot be made
	// (even by root, whom permissions would not stop).
	link := filepath.Join(base, "link")
	require.NoError(t, os.Symlink(filepath.Join(base, "gone", "target"), link))

	for dir, want := range map[string]string{
		filepath.Join(link, "x"): "cannot create the demo directory " + filepath.Join(link, "x") +
			" (file exists); choose another: cyclezero demo DIR",
		filepath.Join(file, "x"): "cannot read the demo directory " + filepath.Join(file, "x") +
			" (not a directory); choose another: cyclezero demo DIR",
		file: file + " is a file: give cyclezero demo a new or empty directory",
	} {
		_, errOut, code := cli(t, "", "demo", dir)
		assert.Equal(t, exitUsage, code, errOut)
		assert.Equal(t, "cyclezero: "+want+"\n", errOut)
	}
}

// Without DIR the demo goes in a temporary directory: a TMPDIR that is
// not there is named, with both ways out.
func TestDemoWithAMissingTMPDIR(t *testing.T) {
	isolate(t)
	gittest.Require(t)
	missing := filepath.Join(t.TempDir(), "nonexistent")
	t.Setenv("TMPDIR", missing)
	_, errOut, code := cli(t, "", "demo")
	assert.Equal(t, exitError, code, errOut)
	assert.Equal(t, "cyclezero: the temporary directory TMPDIR="+missing+" does not exist: set TMPDIR to an existing "+
		"directory, or give the demo one: cyclezero demo DIR\n", errOut)

	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	t.Setenv("TMPDIR", file)
	_, errOut, code = cli(t, "", "--accessible", "demo")
	assert.Equal(t, exitError, code, errOut)
	assert.Equal(t, "cyclezero: cannot create the demo in the temporary directory TMPDIR="+file+" (not a directory): "+
		"set TMPDIR to a writable directory, or give the demo one: cyclezero --accessible demo DIR\n", errOut)
}

// demo DIR again, on a demo whose session file is damaged, says so with
// the fix: it does not try to make the session again (which would say it
// exists already) over the file that is there.
func TestDemoAgainWithADamagedSession(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	path := sessionFile(t, dir, "diagnosis-classifier")
	require.NoError(t, os.WriteFile(path, []byte("{not json"), 0o600))

	_, errOut, code := cli(t, "", "demo", dir)
	assert.Equal(t, exitError, code, errOut)
	assert.Contains(t, errOut, "cyclezero: session file "+path+" is damaged")
	assert.Contains(t, errOut, "mv "+path+" "+path+".damaged && cyclezero -C "+dir+" new diagnosis-classifier")
	assert.NotContains(t, errOut, "exists")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "{not json", string(b), "the damaged file is left for the user to look at")
}
