package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/state/gittest"
)

// cli runs cyclezero in-process with no terminal and returns its output.
func cli(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, stdio{in: strings.NewReader(stdin), out: &out, err: &errb})
	return out.String(), errb.String(), code
}

// isolate keeps sessions and credentials of the test away from the user's.
func isolate(t *testing.T) {
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_STATE_HOME", t.TempDir())
}

// demoWorkspace creates a demo workspace through the CLI and returns its path.
func demoWorkspace(t *testing.T) string {
	t.Helper()
	gittest.Require(t)
	dir := filepath.Join(t.TempDir(), "ws")
	out, errOut, code := cli(t, "", "demo", dir)
	if code != exitOK {
		t.Fatalf("demo: exit %d\n%s%s", code, out, errOut)
	}
	return dir
}

func TestDemoWithoutTerminalSetsUpAndSaysHowToOpen(t *testing.T) {
	isolate(t)
	gittest.Require(t)
	dir := filepath.Join(t.TempDir(), "ws")
	out, _, code := cli(t, "", "demo", dir)
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	c := "cyclezero -C " + dir + " " // the hints carry the directory
	for _, want := range []string{"Demo workspace: " + dir, "Session:        diagnosis-classifier",
		"No terminal here", "open it with:\n  " + c + "resume diagnosis-classifier\n",
		"Or see where it stands with: " + c + "status --plain diagnosis-classifier\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	// Again on the same directory: the same session, not an error.
	out, errOut, code := cli(t, "", "demo", dir)
	if code != exitOK || !strings.Contains(out, "diagnosis-classifier") {
		t.Fatalf("second demo: exit %d\n%s%s", code, out, errOut)
	}
}

func TestStatusPlainAndJSON(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	out, _, code := cli(t, "", "-C", dir, "status")
	if code != exitOK {
		t.Fatalf("status: exit %d", code)
	}
	for _, want := range []string{"cyclezero session diagnosis-classifier", "#  PHASE", "1  Specify", "8  Iterate",
		"0 of 8 phases done", "Next: Specify"} {
		if !strings.Contains(out, want) {
			t.Errorf("plain status lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Errorf("plain status has escape sequences:\n%q", out)
	}
	out, _, code = cli(t, "", "-C", dir, "status", "--json")
	if code != exitOK {
		t.Fatalf("status --json: exit %d", code)
	}
	var rep statusReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("status --json is not JSON: %v\n%s", err, out)
	}
	if rep.Slug != "diagnosis-classifier" || len(rep.Phases) != 8 || rep.Phases[0].Status != "not started" {
		t.Errorf("unexpected report: %+v", rep)
	}
}

func TestStatusIsReadOnly(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	loc, err := state.Locate(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(state.SessionPath(loc.StateDir, "diagnosis-classifier"))
	if err != nil {
		t.Fatal(err)
	}
	// Hold the session like a running wizard would: status still works.
	h, err := state.Open(loc.StateDir, "diagnosis-classifier")
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if _, _, code := cli(t, "", "-C", dir, "status", "--plain"); code != exitOK {
		t.Fatalf("status while the session is open elsewhere: exit %d", code)
	}
	after, _ := os.ReadFile(state.SessionPath(loc.StateDir, "diagnosis-classifier"))
	if !bytes.Equal(before, after) {
		t.Error("status changed the session file")
	}
}

func TestInteractiveCommandsNeedATerminal(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	c := "cyclezero -C " + dir + " "
	for _, tc := range []struct {
		args    []string
		suggest string // the command the error says to run instead
	}{
		{[]string{"-C", dir}, c + "status --plain\n"},
		{[]string{"-C", dir, "resume"}, c + "status --plain\n"},
		{[]string{"-C", dir, "resume", "diagnosis-classifier"}, c + "status --plain diagnosis-classifier\n"},
		// new wants a session made, not one shown: the form that needs no
		// terminal, named after the directory like the form's suggestion.
		{[]string{"-C", dir, "new"}, c + "new ws --local\n"},
		// Accessible mode needs no terminal: see TestAccessibleModeRunsOnPipes.
	} {
		_, errOut, code := cli(t, "", tc.args...)
		assert.Equal(t, exitNoTerminal, code, "%v: %s", tc.args, errOut)
		assert.Contains(t, errOut, "needs an interactive terminal", tc.args)
		assert.Contains(t, errOut, "run: "+tc.suggest, tc.args)
	}
}

// Without a terminal, resume names what is wrong with the slug before
// anything else, rather than suggesting a status that would only fail.
func TestResumeWithoutATerminalSaysABadSlugFirst(t *testing.T) {
	isolate(t)
	dir := repoWithSessions(t, "first-model")
	_, errOut, code := cli(t, "", "-C", dir, "resume", "nope")
	assert.Equal(t, exitUsage, code, errOut)
	assert.Contains(t, errOut, `no session "nope" in this repository (its sessions: first-model); start it with: cyclezero -C `+dir+" new nope\n")
	assert.NotContains(t, errOut, "status --plain")

	_, errOut, code = cli(t, "", "-C", dir, "resume", "../x")
	assert.Equal(t, exitUsage, code, errOut)
	assert.Contains(t, errOut, `slug "../x"`)
	assert.NotContains(t, errOut, "status --plain")
}

// In a repository without sessions there is no status to suggest: the
// wizard, new and resume point at the new command that needs no terminal,
// and following that advice works.
func TestWithoutSessionsOrTerminalTheHintCreatesOne(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	want := "cyclezero -C " + dir + " new model-repo --local"
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"-C", dir}, exitNoTerminal},
		{[]string{"-C", dir, "new"}, exitNoTerminal},
		{[]string{"-C", dir, "resume"}, exitError}, // nothing to resume, terminal or not
		{[]string{"-C", dir, "status"}, exitError},
	} {
		_, errOut, code := cli(t, "", tc.args...)
		assert.Equal(t, tc.code, code, "%v: %s", tc.args, errOut)
		assert.Contains(t, errOut, want, tc.args)
		assert.NotContains(t, errOut, "status --plain", tc.args)
	}
	out, errOut, code := cli(t, "", strings.Fields(want)[1:]...)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Created session model-repo.")

	// Once the suggested slug is taken, new leaves the slug to the user.
	_, errOut, code = cli(t, "", "-C", dir, "new")
	assert.Equal(t, exitNoTerminal, code)
	assert.Contains(t, errOut, "run: cyclezero -C "+dir+" new SLUG --local\n")
}

func TestNewWithFlagsCreatesWithoutATerminal(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	out, errOut, code := cli(t, "", "-C", dir, "new", "second-model", "--local")
	if code != exitOK {
		t.Fatalf("new: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(out, "Created session second-model.\nCatalog: local catalog at ") ||
		!strings.Contains(out, "Resume with: cyclezero -C "+dir+" resume second-model") || strings.Contains(out, "((") {
		t.Errorf("new says what it made, where its catalog is, and how to open it:\n%s", out)
	}
	_, errOut, code = cli(t, "", "-C", dir, "new", "second-model", "--local")
	want := "cyclezero: a session second-model already exists in this repository; open it with: cyclezero -C " + dir + " resume second-model\n"
	if code != exitError || errOut != want {
		t.Errorf("a second new with the same slug says so once, with one fix: exit %d\n%s", code, errOut)
	}
	// The newest session's catalog: deriva-ml plus an empty domain schema
	// named after the repository, and none of the demo's tables.
	out, _, _ = cli(t, "", "-C", dir, "catalog", "ls")
	if !strings.Contains(out, "second-model/catalog.sqlite") || !strings.Contains(out, "deriva-ml  Dataset ") ||
		strings.Contains(out, "Image") {
		t.Errorf("the new session has its own catalog with the deriva-ml schema:\n%s", out)
	}
}

func TestUsageErrors(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-C", dir, "new", "Bad Slug", "--local"}, "slug"},
		{[]string{"-C", dir, "new", "ok-slug", "--host", "example.org"}, "--host and --catalog"},
		{[]string{"-C", dir, "new", "ok-slug", "--host", "http://example.org", "--catalog", "1"}, "--host"},
		{[]string{"-C", dir, "status", "--plain", "--json"}, "exclusive"},
		{[]string{"--no-such-flag"}, "unknown flag"},
		{[]string{"-C", dir, "status", "../escape"}, "slug"},
		{[]string{"-C", "/nope/not/here", "status"}, "cyclezero: -C /nope/not/here: no such directory; give the model's working tree"},
		{[]string{"-C", filepath.Join(dir, "README.md"), "status"}, "is a file, not a directory"},
		{[]string{"demo", dir + "/src"}, "is not empty and is not a cyclezero demo workspace: pass an empty or new directory to cyclezero demo"},
		{[]string{"demo", filepath.Join(dir, "README.md")}, "is a file"},
		{[]string{"-C", dir, "demo", t.TempDir()}, "name different directories"},
	} {
		_, errOut, code := cli(t, "", tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d (want %d), stderr %q should mention %q", tc.args, code, exitUsage, errOut, tc.want)
		}
		if strings.Contains(errOut, "stat ") || strings.Contains(errOut, "locate session state") {
			t.Errorf("%v: the raw error chain leaks: %q", tc.args, errOut)
		}
	}
}

// -C DIR demo is demo DIR.
func TestDemoTakesItsDirectoryFromC(t *testing.T) {
	isolate(t)
	gittest.Require(t)
	dir := filepath.Join(t.TempDir(), "ws")
	out, errOut, code := cli(t, "", "-C", dir, "demo")
	if code != exitOK || !strings.Contains(out, "Demo workspace: "+dir+"\n") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = cli(t, "", "-C", dir, "demo", dir) // both, the same: fine
	if code != exitOK || !strings.Contains(out, "Demo workspace: "+dir+"\n") {
		t.Fatalf("again with both: exit %d\n%s%s", code, out, errOut)
	}
	// The same directory spelled another way (a trailing slash, a
	// symlink to it) is the same directory, not two.
	link := filepath.Join(t.TempDir(), "link")
	require.NoError(t, os.Symlink(dir, link))
	for _, same := range []string{dir + "/", link} {
		out, errOut, code = cli(t, "", "-C", dir, "demo", same)
		assert.Equal(t, exitOK, code, "%s: %s%s", same, out, errOut)
		assert.NotContains(t, errOut, "name different directories", same)
	}
}

func TestStatusWithoutSessions(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	_, errOut, code := cli(t, "", "-C", dir, "status")
	if code != exitError || !strings.Contains(errOut, "no cyclezero sessions") || !strings.Contains(errOut, "cyclezero -C "+dir+" new") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

func TestCatalogCommandsOnTheDemo(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	out, _, code := cli(t, "", "-C", dir, "catalog", "ls")
	if code != exitOK {
		t.Fatalf("catalog ls: exit %d", code)
	}
	for _, want := range []string{"demo       Image                          asset        1000", "feature", "vocabulary", "deriva-ml"} {
		if !strings.Contains(out, want) {
			t.Errorf("catalog ls lacks %q:\n%s", want, out)
		}
	}
	out, _, code = cli(t, "", "-C", dir, "catalog", "show", "Execution_Image_Diagnosis")
	if code != exitOK || !strings.Contains(out, "demo:Execution_Image_Diagnosis (feature)") || !strings.Contains(out, "(Diagnosis) → demo:Diagnosis(Name)") {
		t.Errorf("catalog show: exit %d\n%s", code, out)
	}
	// --json: DerivaML's classification and ERMrest's own "kind" each under a name of its own.
	out, _, code = cli(t, "", "-C", dir, "catalog", "show", "Execution_Image_Diagnosis", "--json")
	var shown struct {
		DerivaMLKind string `json:"derivaml_kind"`
		Table        struct {
			Kind string `json:"kind"`
		} `json:"table"`
	}
	if err := json.Unmarshal([]byte(out), &shown); code != exitOK || err != nil || shown.DerivaMLKind != "feature" || shown.Table.Kind != "table" {
		t.Errorf("catalog show --json: exit %d, %v\n%s", code, err, out)
	}
	_, errOut, code := cli(t, "", "-C", dir, "catalog", "show", "Nope")
	if code != exitUsage || !strings.Contains(errOut, "catalog ls") {
		t.Errorf("unknown table: exit %d %s", code, errOut)
	}
	out, _, code = cli(t, "", "-C", dir, "catalog", "whoami", "--json")
	if code != exitOK || !strings.Contains(out, `"id": "local:`) {
		t.Errorf("whoami: exit %d\n%s", code, out)
	}
}

func TestValidateConfigExitCodes(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	out, _, code := cli(t, `{"datasets":[{"rid":"ZZZZ","version":"0.1.0"}]}`, "-C", dir, "catalog", "validate-config", "-")
	if code != exitCheckFailed || !strings.Contains(out, "FAIL Validation failed with 1 error(s)") ||
		!strings.Contains(out, "Dataset RID 'ZZZZ' does not exist in catalog") {
		t.Errorf("invalid config: exit %d\n%s", code, out)
	}
	out, _, code = cli(t, `{"datasets":[]}`, "-C", dir, "catalog", "validate-config", "-", "--json")
	if code != exitOK || !strings.Contains(out, `"all_valid": true`) {
		t.Errorf("empty config: exit %d\n%s", code, out)
	}
	_, errOut, code := cli(t, `not json`, "-C", dir, "catalog", "validate-config", "-")
	if code != exitUsage || !strings.Contains(errOut, "datasets") {
		t.Errorf("malformed config: exit %d %s", code, errOut)
	}
}

func TestSeedDemoIntoAFile(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "demo.sqlite")
	out, errOut, code := cli(t, "", "catalog", "seed-demo", "--db", db)
	if code != exitOK || !strings.Contains(out, "1000 images") || !strings.Contains(out, "Metaplasia") {
		t.Fatalf("seed-demo: exit %d\n%s%s", code, out, errOut)
	}
	out, errOut, code = cli(t, "", "catalog", "seed-demo", "--db", db)
	if code != exitOK || !strings.Contains(out, "Already seeded") || !strings.Contains(out, "1000 images") {
		t.Errorf("seeding twice is a no-op that says so: exit %d\n%s%s", code, out, errOut)
	}
	out, _, code = cli(t, "", "catalog", "ls", "--db", db, "--json")
	if code != exitOK || !strings.Contains(out, `"table": "Image"`) {
		t.Errorf("ls --db: exit %d\n%s", code, out)
	}
}

func TestResumeHint(t *testing.T) {
	if got := resumeHint(workspace{}, "x"); got != "Resume with: cyclezero resume x\n" {
		t.Errorf("in the repo: %q", got)
	}
	if got := resumeHint(workspace{hint: "/tmp/a b"}, "x"); got != "Resume with: cyclezero -C '/tmp/a b' resume x\n" {
		t.Errorf("elsewhere: %q", got)
	}
}

// Without git, demo and new fail at once, saying git is missing and how to
// get it, and leave nothing behind: no directory, no session.
func TestDemoAndNewWithoutGitSayToInstallIt(t *testing.T) {
	isolate(t)
	t.Setenv("PATH", t.TempDir()) // no git here
	dir := filepath.Join(t.TempDir(), "ws")
	out, errOut, code := cli(t, "", "demo", dir)
	assert.Equal(t, exitError, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "git is not installed (not found on PATH), and it is needed to create the demo workspace")
	assert.Contains(t, errOut, "install git")
	_, err := os.Stat(dir)
	assert.ErrorIs(t, err, os.ErrNotExist, "no half-made demo workspace")

	repo := t.TempDir()
	for _, args := range [][]string{{"-C", repo, "new", "mine", "--local"}, {"-C", repo, "new"}} {
		out, errOut, code = cli(t, "", args...)
		assert.Equal(t, exitError, code, args)
		assert.Empty(t, out, args)
		assert.Contains(t, errOut, "git is not installed (not found on PATH), and it is needed to start a session", args)
		assert.Contains(t, errOut, "install git", args)
	}
	_, _, code = cli(t, "", "-C", repo, "status", "mine")
	assert.NotEqual(t, exitOK, code, "no session was made")
}
