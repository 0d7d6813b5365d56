package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// setCurrent moves slug's session to phase id, as a wizard in another
// terminal does when the user goes to that phase and quits.
func setCurrent(t *testing.T, stateDir, slug, id string) {
	t.Helper()
	h, err := state.Open(stateDir, slug)
	require.NoError(t, err)
	defer h.Close()
	s := h.Session()
	s.Current = id
	require.NoError(t, h.Save(s))
}

// status says which phase the session is on, in words, in the plain
// report (and the JSON keeps its id); a session with none says nothing.
func TestStatusPlainSaysTheCurrentPhase(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	setCurrent(t, stateDirOf(t, dir), "diagnosis-classifier", "")
	out, _, code := cli(t, "", "-C", dir, "status", "--plain")
	require.Equal(t, exitOK, code)
	assert.NotContains(t, out, "current")

	setCurrent(t, stateDirOf(t, dir), "diagnosis-classifier", "tier2")
	out, _, code = cli(t, "", "-C", dir, "status", "--plain")
	require.Equal(t, exitOK, code)
	assert.Regexp(t, `\nsaved:   [-0-9: ]+\ncurrent: phase 6, Tier 2 — small-data run\n\n#`, out)

	out, _, code = cli(t, "", "-C", dir, "status", "--json")
	require.Equal(t, exitOK, code)
	var rep statusReport
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	assert.Equal(t, "tier2", rep.Current)
}

// The styled view gets the current phase, which it marks and names.
func TestStatusViewCarriesTheCurrentPhase(t *testing.T) {
	t.Parallel()
	rep := report("in progress", "", "Continue Development dataset: build it.")
	rep.Current = "dev-dataset"
	assert.EqualValues(t, "dev-dataset", statusView(rep, nil, "").Current)
}

// In accessible mode --watch says when the session moves to another
// phase, once, in words; a session that stays put or has no current
// phase says nothing about it.
func TestStatusChangesSayTheSessionMovedPhase(t *testing.T) {
	t.Parallel()
	on := func(id string) statusReport {
		rep := report("not started", "", "Next: Development dataset — build it.")
		rep.Current = id
		return rep
	}
	assert.Equal(t, []string{"15:09:26 phase 3, Development dataset, is now the current phase."},
		statusChanges(on("specify"), on("dev-dataset"), "15:09:26"))
	assert.Equal(t, []string{"15:09:26 phase 1, Specify, is now the current phase."},
		statusChanges(on(""), on("specify"), "15:09:26"))
	assert.Empty(t, statusChanges(on("dev-dataset"), on("dev-dataset"), "15:09:28"))
	assert.Empty(t, statusChanges(on("dev-dataset"), on(""), "15:09:28"))
	assert.Empty(t, statusChanges(on("specify"), on("no-such-phase"), "15:09:28"))
}

// Outside git the plain report labels the workspace "directory", as the
// note under it does, aligned with the other labels; the styled view gets
// the same label; the JSON key stays "repo". In git it is "repo".
func TestStatusLabelsTheWorkspaceDirectoryOutsideGit(t *testing.T) {
	t.Parallel()
	rep := report("not started", "", "Next: Specify — write it.")
	rep.Repo, rep.CodeState = "/w/no-repo", "unknown"
	var b strings.Builder
	require.NoError(t, writePlainStatus(&b, rep))
	assert.Contains(t, b.String(), "\ndirectory: /w/no-repo\ncatalog:   local catalog\n")
	assert.NotContains(t, b.String(), "repo:")
	assert.Equal(t, "directory", statusView(rep, nil, "").RepoLabel)
	doc, err := json.Marshal(rep)
	require.NoError(t, err)
	assert.Contains(t, string(doc), `"repo":"/w/no-repo"`)

	rep.CodeState = "git"
	b.Reset()
	require.NoError(t, writePlainStatus(&b, rep))
	assert.Contains(t, b.String(), "\nrepo:    /w/no-repo\ncatalog: local catalog\n")
	assert.Equal(t, "repo", statusView(rep, nil, "").RepoLabel)
}
