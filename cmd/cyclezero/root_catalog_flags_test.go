package main

import (
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
	io := stdio{in: strings.NewReader(""), out: io.Discard, err: io.Discard}
	root := newRootCmd(io)
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

// Where the wizard would run (accessible mode needs no terminal), the
// flags are not dropped in silence: the new-session form cannot take them
// yet, so the command that creates the session on that catalog is named.
func TestRootWithCatalogFlagsWhereTheWizardRuns(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	c := "cyclezero -C " + dir + " --accessible "
	out, errOut, code := cli(t, "", "-C", dir, "--accessible", "--host", "deriva.example.org", "--catalog", "1")
	assert.Equal(t, exitUsage, code, errOut)
	assert.Empty(t, out, "no form was started")
	assert.Contains(t, errOut, "the new-session form cannot take the catalog flags (--host deriva.example.org --catalog 1): "+
		"create the session with: "+c+"new model-repo --host deriva.example.org --catalog 1, or run "+
		strings.TrimSuffix(c, " ")+" without them")

	_, errOut, code = cli(t, "", "-C", dir, "new", "first-model", "--local")
	require.Equal(t, exitOK, code, errOut)
	out, errOut, code = cli(t, "", "-C", dir, "--accessible", "--local")
	assert.Equal(t, exitUsage, code, errOut)
	assert.Empty(t, out, "no picker was started")
	assert.Contains(t, errOut, "the catalog flags (--local) apply only to a new session")
	assert.Contains(t, errOut, "create one with: "+c+"new model-repo --local; to open a saved session, run "+
		strings.TrimSuffix(c, " ")+" without them")
}
