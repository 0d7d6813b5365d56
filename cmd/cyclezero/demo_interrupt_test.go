package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state/gittest"
	"github.com/cyclezero/cyclezero/steps"
)

// interruptedDemoRun runs args with a context already cancelled, as
// ctrl+c while the demo sets up would leave it.
func interruptedDemoRun(t *testing.T, args ...string) (stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code = run(ctx, args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	return errb.String(), code
}

// A demo interrupted after its repository is made (while it seeds the
// catalog) exits 130 and says, on one line, that DIR is a partial demo
// and that running demo DIR again finishes it, which it does.
func TestDemoInterruptedWhileSeedingSaysHowToFinishIt(t *testing.T) {
	isolate(t)
	gittest.Require(t)
	dir := filepath.Join(t.TempDir(), "my demo")
	_, err := steps.CreateDemoWorkspace(context.Background(), dir)
	require.NoError(t, err)

	errOut, code := interruptedDemoRun(t, "demo", dir)
	require.Equal(t, exitCancelled, code, errOut)
	assert.Equal(t, "interrupted: "+dir+" is a partial demo; to finish it, run again: cyclezero demo '"+dir+"'\n", errOut)

	// --accessible is kept in the command, and -C DIR is the same DIR.
	errOut, code = interruptedDemoRun(t, "--accessible", "-C", dir, "demo")
	require.Equal(t, exitCancelled, code, errOut)
	assert.Equal(t, "interrupted: "+dir+" is a partial demo; to finish it, run again: cyclezero --accessible demo '"+dir+"'\n",
		errOut)

	stdout, errOut, code := cli(t, "", "demo", dir)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, stdout, "Session:        diagnosis-classifier\n")
}

// Interrupted before its repository is made (its files written, git not
// yet run), the demo is still one demo DIR finishes. Cut short before
// even its README, the directory is not one demo recognises: the line
// says to empty it first. A demo the user gave no DIR is not run "again"
// but with the directory it made.
func TestDemoInterruptedBeforeItsRepositoryIsFinishedByARerun(t *testing.T) {
	isolate(t)
	gittest.Require(t)
	dir := filepath.Join(t.TempDir(), "d")
	errOut, code := interruptedDemoRun(t, "demo", dir)
	require.Equal(t, exitCancelled, code, errOut)
	assert.Equal(t, "interrupted: "+dir+" is a partial demo; to finish it, run again: cyclezero demo "+dir+"\n", errOut)
	stdout, errOut, code := cli(t, "", "demo", dir)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, stdout, "Session:        diagnosis-classifier\n")

	bare := filepath.Join(t.TempDir(), "e")
	require.NoError(t, os.MkdirAll(filepath.Join(bare, "src"), 0o755))
	assert.Equal(t, "interrupted: "+bare+" is a partial demo that demo cannot finish; empty it, then run: cyclezero demo "+bare,
		interruptedDemo(bare, false, false))
}
