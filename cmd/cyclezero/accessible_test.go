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

	"github.com/cyclezero/cyclezero/catalog/ermrest"
	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/ui"
)

func TestAccessibleEnv(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{"": false, "0": false, "false": false, "FALSE": false, " ": false,
		"1": true, "true": true, "yes": true} {
		assert.Equal(t, want, accessibleEnv(v), "ACCESSIBLE=%q", v)
	}
}

// wizardIn runs the session-opening part of `resume` in dir with the
// given flags and scripted input, as a terminal would feed it.
func wizardIn(t *testing.T, dir string, g *globalFlags, input string, open func(*sessions) ui.Options) (string, error) {
	t.Helper()
	ctx := context.Background()
	ws, err := locate(ctx, g)
	require.NoError(t, err)
	m := newSessions(ws)
	opts := open(m)
	var out bytes.Buffer
	err = runWizard(ctx, stdio{in: strings.NewReader(input), out: &out, err: &out}, g, ws, m, opts)
	return out.String(), err
}

func TestAccessibleResumeIsLineBasedAndSavesThePhase(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "model-a")
	out, err := wizardIn(t, dir, &globalFlags{repo: dir, accessible: true}, "3\nq\n", func(m *sessions) ui.Options {
		s, ro, reason, err := m.open(context.Background(), "model-a")
		require.NoError(t, err)
		opts := m.uiOptions()
		opts.Session, opts.ReadOnly, opts.ReadOnlyReason = s, ro, reason
		return opts
	})
	require.NoError(t, err)
	for _, want := range []string{"Session model-a, local catalog", "Phase 1 of 8, Specify: not started.",
		"Phase 3 of 8, Development dataset: not started.",
		"Resume with: cyclezero -C " + dir + " --accessible resume model-a\n"} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "\x1b[", "no escape sequences: no alt screen, no colour")
	s, err := state.Load(mustStateDir(t, dir), "model-a")
	require.NoError(t, err)
	assert.Equal(t, "dev-dataset", s.Current, "moving saves the phase, as the wizard does")
	h, err := state.Open(mustStateDir(t, dir), "model-a")
	require.NoError(t, err)
	defer h.Close()
	assert.False(t, h.ReadOnly(), "the lock is released on exit")
}

func TestAccessibleNewCreatesTheSessionFromTypedAnswers(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	t.Setenv("ACCESSIBLE", "1") // the variable alone turns it on
	out, err := wizardIn(t, dir, &globalFlags{repo: dir}, "\nmy-model\nq\n", func(m *sessions) ui.Options {
		opts := m.uiOptions()
		opts.StartNew = true
		return opts
	})
	require.NoError(t, err)
	assert.Contains(t, out, "Model slug (enter for model-repo), or q to quit:", "the repository's name is suggested")
	assert.Contains(t, out, "Created session my-model. Catalog: local catalog.")
	assert.Contains(t, out, "Resume with: cyclezero -C "+dir+" resume my-model\n", "ACCESSIBLE=1 persists: no flag in the hint")
	_, err = os.Stat(sessionFile(t, dir, "my-model"))
	require.NoError(t, err, "the session exists")
	_, err = os.Stat(state.LocalCatalogPath(mustStateDir(t, dir), "my-model"))
	require.NoError(t, err, "and so does its embedded catalog")
}

// TestAccessibleStatusIsPlain: the global flag is accepted before any
// command; status without a terminal is plain anyway, and in a terminal
// accessible mode picks the same writer (see newStatusCmd).
func TestAccessibleStatusIsPlain(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "model-a")
	out, errOut, code := cli(t, "", "-C", dir, "--accessible", "status")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "1  Specify")
	assert.NotContains(t, out, "╭")
}

func mustStateDir(t *testing.T, dir string) string {
	t.Helper()
	loc, err := state.Locate(context.Background(), dir)
	require.NoError(t, err)
	return loc.StateDir
}

// Leaving without a session says so, and how to start one, keeping
// --accessible in the commands when it was given.
func TestLeavingWithoutASessionSaysHowToStartOne(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	out, err := wizardIn(t, dir, &globalFlags{repo: dir, accessible: true}, "", func(m *sessions) ui.Options {
		return m.uiOptions() // the input ends before any answer
	})
	require.NoError(t, err)
	// Each command ends a line of its own: nothing sticks to it when copied.
	assert.Contains(t, out, "No session created.\nStart one with: cyclezero -C "+dir+" --accessible new\n"+
		"Or try the demo first: cyclezero --accessible demo\n")
	assert.Equal(t, "No session opened.\nChoose one with: cyclezero\nOr open the most recent with: cyclezero resume\n",
		noSessionExit(workspace{}, []ui.SessionChoice{{Slug: "a", Problem: "damaged"}, {Slug: "b"}}))
	// resume skips sessions that cannot be read: it is not offered for them.
	assert.Equal(t, "No session opened.\nChoose one or start a new one with: cyclezero\n",
		noSessionExit(workspace{}, []ui.SessionChoice{{Slug: "a", Problem: "damaged"}}))

	// Leaving a form the catalog flags chose the catalog of keeps them.
	server := chosenCatalogArgs(&state.CatalogLocation{Kind: state.CatalogERMrest, Host: "https://example.org", CatalogID: "1"})
	assert.Equal(t, "No session created.\nStart one with: cyclezero new --host https://example.org --catalog 1\n"+
		"Or to choose another catalog in the form: cyclezero new\nOr try the demo first: cyclezero demo\n",
		noSessionExit(workspace{}, nil, server...))
	// A lone --local is kept too: one flag is still a catalog chosen.
	assert.Equal(t, "No session created.\nStart one with: cyclezero new --local\n"+
		"Or to choose another catalog in the form: cyclezero new\nOr try the demo first: cyclezero demo\n",
		noSessionExit(workspace{}, nil, "--local"))
	assert.Equal(t, "No session opened.\nChoose one with: cyclezero --local\nOr open the most recent with: cyclezero resume\n",
		noSessionExit(workspace{}, []ui.SessionChoice{{Slug: "b"}}, chosenCatalogArgs(&state.CatalogLocation{Kind: state.CatalogLocal})...))
	assert.Nil(t, chosenCatalogArgs(nil), "no catalog chosen, no flags")
}

// The plain report, which accessible mode prints, says a server catalog
// as the catalog commands and errors do, without a middle dot a screen
// reader would name;
// the styled one keeps the wizard header's separator.
func TestPlainStatusSaysTheCatalogInWords(t *testing.T) {
	t.Parallel()
	server := state.CatalogLocation{Kind: state.CatalogERMrest, Host: "https://h.org", CatalogID: "7"}
	var b bytes.Buffer
	require.NoError(t, writePlainStatus(&b, statusReport{Slug: "m", Catalog: server, Next: "Next: Specify — write it."}))
	assert.Contains(t, b.String(), "catalog: https://h.org catalog 7\n", "as ermrest's Describe says it, in ls and errors too")
	assert.NotContains(t, b.String(), "·")
	assert.Equal(t, "https://h.org · catalog 7", describeCatalogStyled(server))
	assert.Equal(t, "local catalog at /x/c.db", describeCatalog(state.CatalogLocation{Kind: state.CatalogLocal, Path: "/x/c.db"}))
}

// A session's server catalog is named as the client names it in ls,
// whoami and every error about it, so new and status never spell the same
// catalog a second way.
func TestDescribeCatalogIsTheClientsDescribe(t *testing.T) {
	t.Parallel()
	for _, loc := range []state.CatalogLocation{
		{Kind: state.CatalogERMrest, Host: "http://127.0.0.1:42027", CatalogID: "1"},
		{Kind: state.CatalogERMrest, Host: "https://deriva.example.org", CatalogID: "7@2T0-ABCD-EFG0"},
	} {
		c, err := ermrest.New(loc.Host, loc.CatalogID, ermrest.Options{})
		require.NoError(t, err)
		assert.Equal(t, c.Describe(), describeCatalog(loc))
	}
}

// Accessible mode's line prompts read any input and write plain lines to
// any output, so the commands that prompt run on pipes too (as `printf …
// | cyclezero --accessible new` or `cyclezero --accessible | tee log`).
func TestAccessibleModeRunsOnPipes(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	c := "cyclezero -C " + dir + " --accessible "

	// new: the form's answers come from the pipe (1: the embedded catalog).
	out, errOut, code := cli(t, "1\nmy-model\nq\n", "-C", dir, "--accessible", "new")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Created session my-model. Catalog: local catalog.")
	assert.Contains(t, out, "Session my-model, local catalog.")
	assert.Contains(t, out, "Resume with: "+c+"resume my-model\n")
	assert.NotContains(t, out+errOut, "interactive terminal")
	_, err := os.Stat(sessionFile(t, dir, "my-model"))
	require.NoError(t, err, "the session was created")

	// new SLUG opens the session only in a terminal (see
	// TestCreateThenOpenLeavesAScriptsInputAlone); resume opens it here.
	out, errOut, code = cli(t, "2\nq\n", "-C", dir, "--accessible", "new", "other-model", "--local")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Created session other-model.")
	out, errOut, code = cli(t, "2\nq\n", "-C", dir, "--accessible", "resume", "other-model")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Phase 2 of 8, Schema design")

	// The bare command: the picker, then the session chosen.
	out, errOut, code = cli(t, "2\nq\n", "-C", dir, "--accessible")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Choose a session")
	assert.Contains(t, out, "Resume with: "+c+"resume my-model\n")

	// resume: the session used last (other-model was left on phase 2).
	out, errOut, code = cli(t, "q\n", "-C", dir, "--accessible", "resume", "other-model")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Phase 2 of 8, Schema design")
	assert.Contains(t, out, "Resume with: "+c+"resume other-model\n")

}

// new SLUG and demo create, then open the session only when stdin and
// stdout are a terminal, in accessible mode too: a script running
// `cz new "$s" --local` in a loop over its stdin must keep that input.
func TestCreateThenOpenLeavesAScriptsInputAlone(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	in := strings.NewReader("y\nz\n")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"-C", dir, "--accessible", "new", "x", "--local"},
		stdio{in: in, out: &out, err: &errb})
	require.Equal(t, exitOK, code, errb.String())
	assert.Equal(t, 4, in.Len(), "stdin was left unread")
	assert.Contains(t, out.String(), "Created session x.")
	assert.Contains(t, out.String(), "Resume with: cyclezero -C "+dir+" --accessible resume x\n")
	assert.NotContains(t, out.String(), "Phase 1 of 8")

	t.Setenv("ACCESSIBLE", "1")
	demo := filepath.Join(t.TempDir(), "demo")
	in = strings.NewReader("y\nz\n")
	out.Reset()
	code = run(context.Background(), []string{"demo", demo}, stdio{in: in, out: &out, err: &errb})
	require.Equal(t, exitOK, code, errb.String())
	assert.Equal(t, 4, in.Len(), "stdin was left unread")
	// ACCESSIBLE may have been set for this run only, and the hint does not
	// carry it: run without it, that command needs a terminal.
	assert.Contains(t, out.String(), "No terminal here, so the wizard did not start. In a terminal, open it with:\n"+
		"  cyclezero -C "+demo+" resume diagnosis-classifier\n")

	// With --accessible the hint carries the flag, and works anywhere.
	t.Setenv("ACCESSIBLE", "")
	demo = filepath.Join(t.TempDir(), "demo2")
	out.Reset()
	code = run(context.Background(), []string{"--accessible", "demo", demo}, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	require.Equal(t, exitOK, code, errb.String())
	assert.Contains(t, out.String(), "No terminal here, so the wizard did not start. Open it with:\n"+
		"  cyclezero -C "+demo+" --accessible resume diagnosis-classifier\n")
	assert.NotContains(t, out.String(), "Phase ")
}

// Input that ends before any answer (an empty pipe, or ctrl+d) ends
// accessible mode cleanly: nothing is created or opened, exit 0, and it
// says how to start.
func TestAccessibleModeEndsCleanlyOnEmptyInput(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	out, errOut, code := cli(t, "", "-C", dir, "--accessible", "new")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "No session created.\nStart one with: cyclezero -C "+dir+" --accessible new\n"+
		"Or try the demo first: cyclezero --accessible demo\n")
	sums, err := state.List(mustStateDir(t, dir))
	require.NoError(t, err)
	assert.Empty(t, sums, "no session was made")

	// The picker: the input ending and q say the same.
	withSessions := repoWithSessions(t, "model-a")
	for _, input := range []string{"", "q\n"} {
		out, errOut, code = cli(t, input, "-C", withSessions, "--accessible")
		require.Equal(t, exitOK, code, errOut)
		assert.Contains(t, out, "No session opened.\nChoose one with: cyclezero -C "+withSessions+" --accessible\n"+
			"Or open the most recent with: cyclezero -C "+withSessions+" --accessible resume\n", "input %q", input)
	}
}
