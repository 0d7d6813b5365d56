package main

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// Opening to write a session stored in an older schema rewrites it; the
// user is told once, on stderr, with where the old file is kept for good
// (the .bak is replaced by the next save) and how to go back to it.
// Opening it again says nothing, and leaves that copy as it is.
func TestOpeningAnOlderSessionSaysItWasUpgraded(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	stateDir := stateDirOf(t, dir)
	path := state.SessionPath(stateDir, "diagnosis-classifier")
	v1 := `{"schema_version": 1, "slug": "diagnosis-classifier", "repo_root": "` + dir + `", ` +
		`"catalog": {"kind": "local", "path": "` + state.LocalCatalogPath(stateDir, "diagnosis-classifier") + `"}, "current": "specify"}`
	require.NoError(t, os.WriteFile(path, []byte(v1), 0o600))

	out, errOut, code := cli(t, "", "demo", dir)
	require.Equal(t, exitOK, code, out+errOut)
	kept := state.SchemaCopyPath(stateDir, "diagnosis-classifier", 1)
	want := "cyclezero: session diagnosis-classifier was upgraded from schema 1 to " +
		strconv.Itoa(state.SchemaVersion) + "; the old file is kept as " + kept +
		" (for an older cyclezero: copy it back over diagnosis-classifier.json)\n"
	assert.Equal(t, 1, strings.Count(errOut, want), "said once: %q", errOut)
	got, err := os.ReadFile(kept)
	require.NoError(t, err)
	assert.Equal(t, v1, string(got), "the old file is kept")

	_, errOut, code = cli(t, "", "demo", dir)
	require.Equal(t, exitOK, code)
	assert.NotContains(t, errOut, "upgraded", "nothing to say the second time")
	bak, err := os.ReadFile(state.BackupPath(stateDir, "diagnosis-classifier"))
	require.NoError(t, err)
	assert.NotEqual(t, v1, string(bak), "the .bak has moved on")
	got, err = os.ReadFile(kept)
	require.NoError(t, err)
	assert.Equal(t, v1, string(got), "the kept copy has not")
}
