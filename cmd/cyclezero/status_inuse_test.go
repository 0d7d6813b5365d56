package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// holdAsAnotherProcess takes slug's session lock and writes an owner
// record naming pid, as another cyclezero holding the session would.
func holdAsAnotherProcess(t *testing.T, stateDir, slug string, pid int) {
	t.Helper()
	holdAs(t, stateDir, slug, pid) // held until the test ends
}

// status says when another cyclezero has the session open, in the text
// (a note) and in the JSON (who, and its pid), and nothing when nobody has.
func TestStatusSaysAnotherCyclezeroHasTheSessionOpen(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	const note = "note: in use by another cyclezero (pid 4242) — what you see may change\n"

	out, _, code := cli(t, "", "-C", dir, "status", "--plain")
	require.Equal(t, exitOK, code)
	assert.NotContains(t, out, "in use")
	out, _, code = cli(t, "", "-C", dir, "status", "--json")
	require.Equal(t, exitOK, code)
	assert.NotContains(t, out, "in_use", "nobody holds it: no in_use fields")

	holdAsAnotherProcess(t, stateDirOf(t, dir), "diagnosis-classifier", 4242)
	out, _, code = cli(t, "", "-C", dir, "status", "--plain")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, note)

	out, _, code = cli(t, "", "-C", dir, "status", "--json")
	require.Equal(t, exitOK, code)
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	assert.Equal(t, "in use by another cyclezero (pid 4242)", rep["in_use"])
	assert.EqualValues(t, 4242, rep["in_use_by_pid"])
	assert.Contains(t, rep["notes"], strings.TrimSuffix(strings.TrimPrefix(note, "note: "), "\n"))
}

// In accessible mode --watch announces another cyclezero opening the
// session and leaving it, once each.
func TestStatusChangesSayWhenTheSessionIsTakenAndLeft(t *testing.T) {
	t.Parallel()
	free := statusReport{Slug: "m", Next: "Next: Specify"}
	held := free
	held.InUse = "in use by another cyclezero (pid 4242)"
	assert.Equal(t, []string{"15:09:26 the session is now in use by another cyclezero (pid 4242)."},
		statusChanges(free, held, "15:09:26"))
	assert.Empty(t, statusChanges(held, held, "15:09:28"))
	assert.Equal(t, []string{"15:09:30 no other cyclezero has the session open now."}, statusChanges(held, free, "15:09:30"))
}
