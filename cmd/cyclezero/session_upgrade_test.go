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
// user is told once, on stderr, with where the old file is kept. Opening
// it again says nothing.
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
	want := "cyclezero: session diagnosis-classifier was upgraded from schema 1 to " +
		strconv.Itoa(state.SchemaVersion) + "; the old file is kept as " + state.BackupPath(stateDir, "diagnosis-classifier") + "\n"
	assert.Equal(t, 1, strings.Count(errOut, want), "said once: %q", errOut)
	got, err := os.ReadFile(state.BackupPath(stateDir, "diagnosis-classifier"))
	require.NoError(t, err)
	assert.Equal(t, v1, string(got), "the old file is the backup")

	_, errOut, code = cli(t, "", "demo", dir)
	require.Equal(t, exitOK, code)
	assert.NotContains(t, errOut, "upgraded", "nothing to say the second time")
}
