package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/steps"
)

// The README written into the demo folder gives commands a user can copy:
// each names the demo's session, and each does what it says when run in
// the folder (status reports the session; resume, with no terminal here,
// gets as far as asking for one rather than failing on the slug). The
// go run spelling is the same command with -C.
func TestDemoReadmeCommandsNameTheSessionAndWork(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	b, err := os.ReadFile(filepath.Join(dir, "README.md"))
	require.NoError(t, err)
	readme := string(b)

	indented := regexp.MustCompile(`(?m)^    (cyclezero|go run ./cmd/cyclezero) (.+)$`).FindAllStringSubmatch(readme, -1)
	require.Len(t, indented, 3, "resume, status and the go run form:\n%s", readme)
	ran := map[string]int{}
	for _, m := range indented {
		args := strings.Fields(m[2])
		require.Equal(t, steps.DemoSlug, args[len(args)-1], "%q names the demo's session", m[0])
		if m[1] != "cyclezero" {
			require.Equal(t, "-C", args[0], "%q reaches the folder from the checkout", m[0])
			args = args[2:] // the placeholder path: run it on the folder itself
		}
		out, errOut, code := cli(t, "", append([]string{"-C", dir}, args...)...)
		ran[args[0]]++
		switch args[0] {
		case "status":
			assert.Equal(t, exitOK, code, errOut)
			assert.Contains(t, out, "cyclezero session "+steps.DemoSlug)
		case "resume":
			assert.Equal(t, exitNoTerminal, code, "%q: %s", m[0], errOut)
		default:
			t.Errorf("unexpected command %q", m[0])
		}
	}
	assert.Equal(t, map[string]int{"status": 1, "resume": 2}, ran)
}
