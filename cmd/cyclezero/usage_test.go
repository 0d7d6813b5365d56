package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Wrong arguments and unknown commands are usage errors (exit 2) that say
// where the usage is, like unknown flags.
func TestArgumentErrorsAreUsageErrors(t *testing.T) {
	isolate(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"bogus"}, `unknown command "bogus"`},
		{[]string{"statsu"}, "did you mean status?"},
		{[]string{"resume", "a", "b"}, "resume takes at most 1 argument (the slug), got 2: a b"},
		{[]string{"status", "a", "b"}, "status takes at most 1 argument (the slug), got 2"},
		{[]string{"new", "a", "b"}, "new takes at most 1 argument"},
		{[]string{"demo", "a", "b"}, "demo takes at most 1 argument (the directory)"},
		{[]string{"version", "extra"}, `version takes no arguments (got "extra")`},
		{[]string{"catalog", "bogus"}, `unknown command "bogus" for catalog`},
		{[]string{"catalog", "show"}, "catalog show takes 1 argument (the table), got 0"},
		{[]string{"catalog", "ls", "x"}, "catalog ls takes no arguments"},
		{[]string{"status", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"catalog", "help", "bogus"}, `unknown command "bogus" for catalog`},
		// cobra's own help and completion commands follow the same rules.
		{[]string{"help", "bogus"}, "unknown command \"bogus\"\n  see: cyclezero --help"},
		{[]string{"help", "status", "extra"}, "unknown command \"extra\" for status\n  see: cyclezero status --help"},
		{[]string{"help", "catalog", "bogus"}, "unknown command \"bogus\" for catalog\n  see: cyclezero catalog --help"},
		{[]string{"completion", "bogus"}, "unknown command \"bogus\" for completion\n  see: cyclezero completion --help"},
		{[]string{"completion", "bash", "extra"}, "completion bash takes no arguments (got \"extra\")\n  see: cyclezero completion bash --help"},
	} {
		_, errOut, code := cli(t, "", tc.args...)
		assert.Equal(t, exitUsage, code, "%v: %s", tc.args, errOut)
		assert.Contains(t, errOut, tc.want, "%v", tc.args)
		assert.Contains(t, errOut, "see: cyclezero ", "%v", tc.args)
		assert.Contains(t, errOut, "--help", "%v", tc.args)
	}
	// A command group alone is its help, not an error.
	out, _, code := cli(t, "", "catalog")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "seed-demo")
}

// The catalog group takes help like the root: `catalog help ls` is what
// `help catalog ls` shows, and `catalog help` is the group's own help.
func TestCatalogHelp(t *testing.T) {
	isolate(t)
	for _, tc := range [][2][]string{
		{{"catalog", "help", "ls"}, {"help", "catalog", "ls"}},
		{{"catalog", "help", "show"}, {"catalog", "show", "--help"}},
		{{"catalog", "help"}, {"catalog", "--help"}},
	} {
		got, errOut, code := cli(t, "", tc[0]...)
		assert.Equal(t, exitOK, code, "%v: %s", tc[0], errOut)
		want, _, _ := cli(t, "", tc[1]...)
		assert.Equal(t, want, got, "%v is %v", tc[0], tc[1])
		assert.Contains(t, got, "Usage:", tc[0])
	}
}

// help and completion, which cobra adds, still do their job: help shows
// what --help shows, completion writes a script to the command's output.
func TestHelpAndCompletionCommands(t *testing.T) {
	isolate(t)
	for _, tc := range [][2][]string{
		{{"help"}, {"--help"}},
		{{"help", "status"}, {"status", "--help"}},
		{{"help", "completion", "bash"}, {"completion", "bash", "--help"}},
	} {
		got, errOut, code := cli(t, "", tc[0]...)
		assert.Equal(t, exitOK, code, "%v: %s", tc[0], errOut)
		want, _, _ := cli(t, "", tc[1]...)
		assert.Equal(t, want, got, "%v is %v", tc[0], tc[1])
	}
	out, _, code := cli(t, "", "help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "--version", "the root's help lists --version however it is asked for")
	for shell, want := range map[string]string{
		"bash": "# bash completion V2 for cyclezero", "zsh": "#compdef cyclezero",
		"fish": "# fish completion for cyclezero", "powershell": "# powershell completion for cyclezero",
	} {
		out, errOut, code := cli(t, "", "completion", shell)
		assert.Equal(t, exitOK, code, "%s: %s", shell, errOut)
		assert.True(t, strings.HasPrefix(out, want), "%s: %.80q", shell, out)
	}
}

func TestVersionFlagAndCommand(t *testing.T) {
	out, _, code := cli(t, "", "version")
	assert.Equal(t, exitOK, code)
	assert.True(t, strings.HasPrefix(out, "cyclezero "), out)
	flag, _, code := cli(t, "", "--version")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, out, flag)
}

func TestFormatVersion(t *testing.T) {
	t.Parallel()
	stamped := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "abc1234def5678"},
		{Key: "vcs.time", Value: "2026-11-25T18:11:03Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	assert.Equal(t, "cyclezero dev (abc1234, 2026-11-25, dirty) go1.26.8 linux/amd64",
		formatVersion("dev", stamped, "go1.26.8", "linux/amd64"))
	clean := &debug.BuildInfo{Main: debug.Module{Version: "v0.3.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "abc1234def5678"}, {Key: "vcs.modified", Value: "false"},
	}}
	assert.Equal(t, "cyclezero v0.3.0 (abc1234) go1.26.8 linux/amd64", formatVersion("dev", clean, "go1.26.8", "linux/amd64"))
	assert.Equal(t, "cyclezero v1.0.0 (abc1234) go1.26.8 linux/amd64", formatVersion("v1.0.0", clean, "go1.26.8", "linux/amd64"),
		"-X main.version wins over the module version")
	// go run and -buildvcs=false record no revision: a dev build says so
	// rather than seeming to have none; a released version names its source.
	assert.Equal(t, "cyclezero dev (no source revision recorded: built with go run or -buildvcs=false) go1.26.8 linux/amd64",
		formatVersion("dev", nil, "go1.26.8", "linux/amd64"))
	unstamped := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}
	assert.Equal(t, "cyclezero dev (no source revision recorded: built with go run or -buildvcs=false) go1.26.8 linux/amd64",
		formatVersion("dev", unstamped, "go1.26.8", "linux/amd64"))
	installed := &debug.BuildInfo{Main: debug.Module{Version: "v0.3.0"}}
	assert.Equal(t, "cyclezero v0.3.0 go1.26.8 linux/amd64", formatVersion("dev", installed, "go1.26.8", "linux/amd64"))
}

// new with catalog flags but no slug, without a terminal to ask the slug
// in, suggests the same catalog back: the user's server, never the local
// catalog in its place.
func TestNewWithoutSlugSuggestsTheGivenCatalog(t *testing.T) {
	isolate(t)
	dir := gitRepo(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"new", "--host", "https://example.org", "--catalog", "1"}, "new model-repo --host https://example.org --catalog 1\n"},
		{[]string{"new", "--local"}, "new model-repo --local\n"},
	} {
		_, errOut, code := cli(t, "", append([]string{"-C", dir}, tc.args...)...)
		assert.Equal(t, exitNoTerminal, code, "%v", tc.args)
		assert.Contains(t, errOut, "to create a session on that catalog without one, run: cyclezero -C "+dir+" "+tc.want, "%v", tc.args)
	}

	// Flags that could not work are refused as such, never echoed back in
	// an example that would fail.
	for _, args := range [][]string{
		{"new", "--catalog", "1"},
		{"new", "--host", "example.org"},
		{"new", "--local", "--host", "https://example.org", "--catalog", "1"},
	} {
		_, errOut, code := cli(t, "", args...)
		assert.Equal(t, exitUsage, code, "%v", args)
		assert.NotContains(t, errOut, "e.g.:", "%v", args)
	}
}
