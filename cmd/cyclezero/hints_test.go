package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/ui"
)

func TestProgramSpelling(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	installed := filepath.Join(dir, "cyclezero")
	require.NoError(t, os.WriteFile(installed, []byte("#!/bin/sh\n"), 0o755))
	other := filepath.Join(dir, "other")
	require.NoError(t, os.WriteFile(other, []byte("#!/bin/sh\n"), 0o755))
	onPath := func(name string) (string, error) {
		if name == "cyclezero" {
			return installed, nil
		}
		return "", errors.New("not found")
	}
	nothing := func(string) (string, error) { return "", errors.New("not found") }
	for _, tc := range []struct {
		name      string
		exe, arg0 string
		goRun     bool
		look      func(string) (string, error)
		want      string
	}{
		{"go run, nothing installed", "/tmp/go-build1/b001/exe/cyclezero", "/tmp/go-build1/b001/exe/cyclezero", true, nothing, "go run ./cmd/cyclezero"},
		{"go run, cyclezero installed", "/tmp/go-build1/b001/exe/cyclezero", "/tmp/go-build1/b001/exe/cyclezero", true, onPath, "cyclezero"},
		{"found on PATH", installed, "cyclezero", false, onPath, "cyclezero"},
		{"a renamed binary on PATH", other, "cz", false, nothing, "cz"},
		{"started by the path of the installed one", installed, installed, false, onPath, "cyclezero"},
		{"started by a path, not on PATH", other, "./bin/cz", false, nothing, "./bin/cz"},
		{"a path with a space", other, "/opt/my tools/cz", false, nothing, "'/opt/my tools/cz'"},
		{"a path, while another cyclezero is on PATH", other, other, false, onPath, other},
		{"a build named cyclezero started by path, while another is on PATH", other, "./bin/cyclezero", false, onPath, "./bin/cyclezero"},
	} {
		assert.Equal(t, tc.want, programSpelling(tc.exe, tc.arg0, tc.goRun, tc.look), tc.name)
	}
}

func TestBuiltByGoRun(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		exe, gocache, userCache string
		want                    bool
	}{
		{"/tmp/go-build3501667213/b001/exe/cyclezero", "", "/home/u/.cache", true},
		{"/home/u/.cache/go-build/ab/abcdef-d/cyclezero", "", "/home/u/.cache", true},
		{"/srv/gocache/ab/abcdef-d/cyclezero", "/srv/gocache", "/home/u/.cache", true},
		{"/home/u/go/bin/cyclezero", "", "/home/u/.cache", false},
		{"/usr/local/bin/cyclezero", "/srv/gocache", "", false},
		{"", "", "", false},
	} {
		assert.Equal(t, tc.want, builtByGoRun(tc.exe, tc.gocache, tc.userCache), tc.exe)
	}
}

// Every hint that names a command carries -C DIR when the command ran on
// another directory, so it can be pasted as is.
func TestHintsCarryTheDirectory(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "diagnosis-classifier")
	c := "cyclezero -C " + dir + " "
	empty := filepath.Join(t.TempDir(), "no-sessions")
	require.NoError(t, os.Mkdir(empty, 0o755))
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-C", dir}, c + "status --plain"},
		{[]string{"-C", dir, "resume", "diagnosis-classifier"}, c + "status --plain diagnosis-classifier"},
		{[]string{"-C", dir, "status", "nope"}, c + "new nope"},
		{[]string{"-C", dir, "new", "--local"}, c + "new model-repo --local"},
		{[]string{"-C", dir, "new", "diagnosis-classifier", "--local"}, c + "resume diagnosis-classifier"},
		{[]string{"-C", dir, "catalog", "show", "Nope"}, c + "catalog ls"},
		{[]string{"-C", dir, "catalog", "show", "Nope", "--session", "diagnosis-classifier"}, c + "catalog ls --session diagnosis-classifier"},
		// Without a terminal, the new that needs none.
		{[]string{"-C", empty, "status"}, "cyclezero -C " + empty + " new no-sessions --local\n  or try the demo: cyclezero demo\n"},
		// --accessible is kept in every command of the hint, the demo's too;
		// its form needs no terminal, so the hint is the form.
		{[]string{"-C", empty, "--accessible", "status"},
			"cyclezero -C " + empty + " --accessible new\n  or try the demo: cyclezero --accessible demo\n"},
	} {
		_, errOut, code := cli(t, "", tc.args...)
		assert.NotEqual(t, exitOK, code, "%v", tc.args)
		assert.Contains(t, errOut, tc.want, "%v", tc.args)
	}
}

// Run in the repository itself (or with -C naming it), hints need no
// -C: they are pasted into the same shell.
func TestHintsFromTheCurrentDirectoryHaveNoDirectory(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "diagnosis-classifier")
	t.Chdir(dir)
	for _, args := range [][]string{{"status", "nope"}, {"-C", ".", "status", "nope"}, {"-C", dir, "status", "nope"}} {
		_, errOut, code := cli(t, "", args...)
		assert.NotEqual(t, exitOK, code, "%v", args)
		assert.Contains(t, errOut, "cyclezero new nope", "%v", args)
		assert.NotContains(t, errOut, " -C ", "%v", args)
	}
}

// A damaged session's fix names the program and the directory too.
func TestDamagedSessionHint(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "diagnosis-classifier")
	path := sessionFile(t, dir, "diagnosis-classifier")
	_ = os.Remove(path + ".bak") // no good copy to restore
	require.NoError(t, os.WriteFile(path, []byte("{not json"), 0o600))
	_, errOut, code := cli(t, "", "-C", dir, "status", "diagnosis-classifier")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "session file "+path+" is damaged")
	assert.Contains(t, errOut, "mv "+path+" "+path+".damaged && cyclezero -C "+dir+" new diagnosis-classifier")
	assert.NotContains(t, errOut, "&& cyclezero new", "state's own spelling of the fix is replaced")
}

// When the only session is damaged, there is nothing status --plain or
// resume could show: without a terminal the bare command suggests the new
// that needs none, with the damaged session's fix; accessible mode's
// picker, left, does not offer resume.
func TestOnlyADamagedSessionIsNotOfferedToStatusOrResume(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "third")
	path := sessionFile(t, dir, "third")
	_ = os.Remove(path + ".bak")
	require.NoError(t, os.WriteFile(path, []byte("{not json"), 0o600))
	c := "cyclezero -C " + dir + " "

	_, errOut, code := cli(t, "", "-C", dir)
	assert.Equal(t, exitNoTerminal, code, errOut)
	assert.Contains(t, errOut, "to create a session without one, run: "+c+"new model-repo --local\n"+
		"  session third cannot be opened: session file "+path+" is damaged")
	assert.Contains(t, errOut, "&& "+c+"new third")
	assert.NotContains(t, errOut, "status --plain")

	out, errOut, code := cli(t, "\n", "-C", dir, "--accessible")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "No session opened.\nChoose one or start a new one with: "+c+"--accessible\n")
	assert.NotContains(t, out, "resume\n")
}

// The picker's problem line is the same fix, spelled for this command
// line, and says "damaged" in a word for the list.
func TestPickerChoicesSpellTheDamagedFix(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "good-model", "broken-model")
	path := sessionFile(t, dir, "broken-model")
	_ = os.Remove(path + ".bak")
	require.NoError(t, os.WriteFile(path, []byte("{not json"), 0o600))
	ws, err := locate(t.Context(), &globalFlags{repo: dir})
	require.NoError(t, err)
	choices, err := newSessions(ws).choices()
	require.NoError(t, err)
	var broken ui.SessionChoice
	for _, c := range choices {
		if c.Slug == "broken-model" {
			broken = c
		}
	}
	assert.Equal(t, "damaged", broken.Broken)
	assert.Contains(t, broken.Problem, "&& cyclezero -C "+dir+" new broken-model")
}

func TestCreatingATakenSlugIsErrExistsSaidOnce(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "taken")
	ws, err := locate(t.Context(), &globalFlags{repo: dir})
	require.NoError(t, err)
	_, err = newSessions(ws).createWith("taken", state.CatalogLocation{Kind: state.CatalogLocal})
	require.ErrorIs(t, err, state.ErrExists, "the form puts it at the slug field by this")
	assert.Equal(t, "a session taken already exists in this repository; open it with: cyclezero -C "+dir+" resume taken", err.Error())

	// A damaged one: its own fix, since resume would fail on it.
	path := sessionFile(t, dir, "taken")
	_ = os.Remove(path + ".bak")
	require.NoError(t, os.WriteFile(path, []byte("{not json"), 0o600))
	_, errOut, code := cli(t, "", "-C", dir, "new", "taken", "--local")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "a session taken already exists in this repository but cannot be opened: session file "+path+" is damaged")
	assert.Contains(t, errOut, "&& cyclezero -C "+dir+" new taken")
	assert.NotContains(t, errOut, "resume")
}

// The header names the repository by its full path (shortened in the
// middle when needed) whether the session is opened by demo or resume:
// both take it from uiOptions.
func TestHeaderWorkspaceIsTheRepositorysPath(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "model-a")
	ws, err := locate(t.Context(), &globalFlags{repo: dir})
	require.NoError(t, err)
	assert.Equal(t, ws.RepoRoot, newSessions(ws).uiOptions().Workspace)
	assert.True(t, filepath.IsAbs(ws.RepoRoot), ws.RepoRoot)
}
