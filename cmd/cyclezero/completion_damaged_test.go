package main

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A session whose file is damaged is still offered (the user may be about
// to run the fix on it), described as damaged, as the picker and status
// say it, not left blank as if it were on no phase; a readable session
// beside it keeps its phase.
func TestCompletionDescribesADamagedSession(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "broken", "readable")
	path := sessionFile(t, dir, "broken")
	require.NoError(t, os.WriteFile(path, []byte("{not json"), 0o600))

	out, errOut, code := cli(t, "", "__complete", "-C", dir, "resume", "")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "broken\tdamaged\n")
	assert.Contains(t, out, "readable\tphase 1, Specify\n")
	words, _ := complete(t, "-C", dir, "status", "b")
	assert.Equal(t, []string{"broken"}, words, "offered under its prefix")
}
