package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state/gittest"
)

// pinProgram makes hints spell the program as word for one test. Not for
// parallel tests: program is shared, and parallel tests start only once
// every sequential one has finished, so this one cannot race them.
func pinProgram(t *testing.T, word string) {
	old := program
	program = func() string { return word }
	t.Cleanup(func() { program = old })
}

// Hints name the program as it was run (README: "the hints cyclezero
// prints use whichever spelling you ran"), also the demo's refusal of a
// file and the note about catalog serve in the login hint.
func TestHintsUseTheProgramAsRun(t *testing.T) {
	isolate(t)
	gittest.Require(t) // demo checks for git first
	pinProgram(t, "./bin/cz")
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	_, errOut, code := cli(t, "", "demo", file)
	assert.Equal(t, exitUsage, code, errOut)
	assert.Equal(t, "cyclezero: "+file+" is a file: give ./bin/cz demo a new or empty directory\n", errOut)
	_, errOut, _ = cli(t, "", "--accessible", "demo", file)
	assert.Contains(t, errOut, "give ./bin/cz --accessible demo a new or empty directory")

	assert.Contains(t, loginHint("http://127.0.0.1:8086"), "; if this is `./bin/cz catalog serve`, it has no login")
	assert.NotContains(t, loginHint("https://example.org"), "catalog serve", "only a plain http server can be ours")
}
