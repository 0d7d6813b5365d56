package main

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Bare cyclezero takes the catalog flags new takes (DESIGN.md §1: the same
// way in), under the same names and help.
func TestRootTakesNewsCatalogFlags(t *testing.T) {
	t.Parallel()
	std := stdio{in: strings.NewReader(""), out: io.Discard, err: io.Discard}
	root := newRootCmd(std)
	newCmd, _, err := root.Find([]string{"new"})
	require.NoError(t, err)
	for _, name := range []string{"local", "host", "catalog"} {
		want := newCmd.Flags().Lookup(name)
		require.NotNil(t, want, name)
		got := root.Flags().Lookup(name)
		if assert.NotNil(t, got, "cyclezero lacks --%s", name) {
			assert.Equal(t, want.Usage, got.Usage, name)
			assert.Equal(t, want.Value.Type(), got.Value.Type(), name)
		}
		assert.Nil(t, root.PersistentFlags().Lookup(name), "--%s is not for every command", name)
	}

	out, _, code := cli(t, "", "--help")
	require.Equal(t, exitOK, code)
	for _, want := range []string{"--local", "--host string", "--catalog string"} {
		assert.Contains(t, out, want)
	}
}

// newArgs suggests the slug the form would (the repository's name) unless
// it is taken or no slug, and carries the flags as given.
func TestNewArgsCarriesTheFlags(t *testing.T) {
	t.Parallel()
	server := &catalogFlags{host: "deriva.example.org", catalogID: "1"}
	assert.Equal(t, []string{"new", "model-repo", "--host", "deriva.example.org", "--catalog", "1"},
		newArgs("model-repo", nil, server))
	assert.Equal(t, []string{"new", "model-repo", "--local"}, newArgs("Model Repo", nil, &catalogFlags{local: true}))
	assert.Equal(t, []string{"new", "SLUG", "--local"},
		newArgs("model-repo", map[string]bool{"model-repo": true}, &catalogFlags{local: true}))
	assert.Equal(t, []string{"new", "SLUG", "--host", "'a b'", "--catalog", "1"},
		newArgs("...", nil, &catalogFlags{host: "a b", catalogID: "1"}), "quoted for the shell")
}

// Without a terminal, cyclezero with catalog flags says how to create a
// session on that catalog, with the flags, whether or not the repository
// has sessions; following the advice works.
func TestRootWithCatalogFlagsWithoutATerminal(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	c := "cyclezero -C " + dir + " "

	_, errOut, code := cli(t, "", "-C", dir, "--host", "deriva.example.org", "--catalog", "1")
	assert.Equal(t, exitNoTerminal, code, errOut)
	assert.Contains(t, errOut, "run: "+c+"new model-repo --host deriva.example.org --catalog 1\n")

	_, errOut, code = cli(t, "", "-C", dir, "--local")
	require.Equal(t, exitNoTerminal, code, errOut)
	want := c + "new model-repo --local"
	require.Contains(t, errOut, "run: "+want+"\n")
	out, errOut, code := cli(t, "", strings.Fields(want)[1:]...)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Created session model-repo.")

	// With a session: still a new session's command (status --plain would
	// ignore the flags), and the taken slug is left to the user.
	_, errOut, code = cli(t, "", "-C", dir, "--local")
	assert.Equal(t, exitNoTerminal, code, errOut)
	assert.Contains(t, errOut, "run: "+c+"new SLUG --local\n")
	assert.NotContains(t, errOut, "status --plain")
}

// Catalog flags that could not work are said as such before anything else.
func TestRootWithWrongCatalogFlags(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--local", "--host", "example.org", "--catalog", "1"}, "exclusive"},
		{[]string{"--host", "example.org"}, "needs both --host and --catalog"},
		{[]string{"--catalog", "1@2PX-WS30-E58W"}, "needs both"},
		{[]string{"--host", "example.org", "--catalog", "1@2PX-WS30-E58W"}, "a snapshot is read-only"},
	} {
		_, errOut, code := cli(t, "", append([]string{"-C", dir}, tc.args...)...)
		assert.Equal(t, exitUsage, code, "%v: %s", tc.args, errOut)
		assert.Contains(t, errOut, tc.want, tc.args)
	}
}

// Where the wizard runs (accessible mode needs no terminal, so piped
// lines drive it), the catalog flags choose a new session's catalog: the
// form says it and asks only the slug, then creates the session there.
func TestRootWithCatalogFlagsAsksOnlyTheSlug(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	out, errOut, code := cli(t, "q\n", "-C", dir, "--accessible", "--host", "deriva.example.org", "--catalog", "1")
	assert.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "New session. Catalog: https://deriva.example.org catalog 1, as the command line")
	assert.Contains(t, out, "Model slug (enter for model-repo), or q to quit:")
	assert.NotContains(t, out, "Where is the catalog?")
	assert.NotContains(t, errOut, "usage")

	out, errOut, code = cli(t, "\nq\n", "-C", dir, "--accessible", "--local")
	require.Equal(t, exitOK, code, errOut)
	assert.NotContains(t, out, "Where is the catalog?")
	assert.Contains(t, out, "Created session model-repo. Catalog: local catalog.")
}

// With sessions, the picker's new session is on the flags' catalog (its
// form asks only the slug); a saved session opened from it keeps its own.
func TestRootWithCatalogFlagsAndSessions(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	_, errOut, code := cli(t, "", "-C", dir, "new", "first-model", "--local")
	require.Equal(t, exitOK, code, errOut)

	out, errOut, code := cli(t, "2\nsecond-model\nq\n", "-C", dir, "--accessible", "--local")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "2. Start a new session; local catalog\n")
	assert.NotContains(t, out, "Where is the catalog?")
	assert.Contains(t, out, "Created session second-model. Catalog: local catalog.")

	// Sessions list newest first: first-model is 2.
	out, errOut, code = cli(t, "2\nq\n", "-C", dir, "--accessible", "--host", "deriva.example.org", "--catalog", "1")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "3. Start a new session; https://deriva.example.org catalog 1\n")
	assert.Contains(t, out, "Session first-model, local catalog.", "the saved session keeps its catalog")
}

// new with catalog flags and no slug asks only the slug where a form can
// run; where none can (no terminal, not accessible) it says so, as new
// without flags does, and the command it suggests keeps the flags.
func TestNewWithCatalogFlagsAsksOnlyTheSlug(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	out, errOut, code := cli(t, "my-model\nq\n", "-C", dir, "--accessible", "new", "--local")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "New session. Catalog: local catalog, as the command line chose.")
	assert.NotContains(t, out, "Where is the catalog?")
	assert.Contains(t, out, "Created session my-model. Catalog: local catalog.")

	_, errOut, code = cli(t, "", "-C", dir, "new", "--host", "deriva.example.org", "--catalog", "1")
	assert.Equal(t, exitNoTerminal, code, errOut)
	assert.Contains(t, errOut, "to create a session on that catalog without one, run: cyclezero -C "+dir+
		" new model-repo --host deriva.example.org --catalog 1\n")
}

// TestTmuxRootWithCatalogFlag drives the real binary in a real terminal:
// cyclezero --local opens the form asking only the slug, and with a
// session the picker's new session does the same.
func TestTmuxRootWithCatalogFlag(t *testing.T) {
	tmp, bin := terminalTestBinary(t)
	dir := gitRepo(t)
	term := newTmux(t, tmp, 100, 30)

	term.run(fmt.Sprintf("%s -C %q --local", bin, dir))
	screen := term.waitFor("the form asking only the slug", func(s string) bool {
		return strings.Contains(s, "step 1 of 1") && strings.Contains(s, "> model-repo")
	})
	assert.Contains(t, screen, "Catalog: local catalog")
	assert.NotContains(t, screen, "Where is the catalog?")
	term.keys("Enter")
	term.waitFor("the wizard on the new session", func(s string) bool {
		return strings.Contains(s, "Phase 1 of 8") && strings.Contains(s, "model-repo · local catalog")
	})
	term.keys("q")
	term.waitFor("a clean exit", func(s string) bool { return strings.Contains(s, "EXIT=0") })

	term.clear()
	term.run(fmt.Sprintf("%s -C %q --local", bin, dir))
	screen = term.waitFor("the picker", func(s string) bool { return strings.Contains(s, "+ Start a new session") })
	assert.Contains(t, screen, "on local catalog")
	term.keys("n")
	term.waitFor("the form asking only the slug", func(s string) bool { return strings.Contains(s, "step 1 of 1") })
	term.line("second-model")
	term.waitFor("the wizard on the second session", func(s string) bool {
		return strings.Contains(s, "Phase 1 of 8") && strings.Contains(s, "second-model · local catalog")
	})
	term.keys("q")
	term.waitFor("a clean exit", func(s string) bool { return strings.Contains(s, "EXIT=0") })
}
