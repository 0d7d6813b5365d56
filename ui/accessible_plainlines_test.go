package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
)

// PlainLines is accessible mode's layout for cmd's own announcements: the
// lines `status --watch` used to let the terminal cut mid-word at 50
// columns wrap at spaces, and a command stays whole on its own line.
func TestPlainLinesExportWrapsAtSpacesAndKeepsCommandsWhole(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		text  string
		width int
		want  []string
	}{
		{"Watching for changes every second; only changes are announced.", 50,
			[]string{"Watching for changes every second; only changes", "are announced."}},
		{"Next: Specify — write the design doc and approve it.", 50,
			[]string{"Next: Specify — write the design doc and approve", "it."}},
		{"15:04:05 refresh failed, still trying every second: restore it with: cp '/a b/s.json.bak' '/a b/s.json'", 30,
			[]string{"15:04:05 refresh failed, still", "trying every second: restore", "it with:", "cp '/a b/s.json.bak' '/a b/s.json'"}},
		{"or try the demo: cz demo --accessible", 10, []string{"or try the", "demo:", "cz demo --accessible"}},
	} {
		got := PlainLines(c.text, c.width, "cz")
		assert.Equal(t, c.want, got, c.text)
		for _, l := range got {
			if !strings.HasPrefix(l, "cp ") && !strings.HasPrefix(l, "cz ") { // a command may be wider
				assert.LessOrEqual(t, displayWidth(l), c.width, "line %q", l)
			}
		}
	}
}

// Outside git the status frame labels the workspace "directory", as every
// message there calls it, aligned with the other labels; in git "repo".
func TestStatusFrameLabelsTheWorkspaceDirectoryOutsideGit(t *testing.T) {
	t.Parallel()
	v := notStartedView()
	for _, w := range []int{0, 60} {
		frame := ansi.Strip(StatusFrame(NewStyles(true), v, w, 0))
		assert.Contains(t, frame, "\nrepo    /tmp/xdemo-1\ncatalog local catalog", "width %d", w)
		assert.NotContains(t, frame, "directory")
	}
	v.RepoLabel = "directory"
	for _, w := range []int{0, 60} {
		frame := ansi.Strip(StatusFrame(NewStyles(true), v, w, 0))
		assert.Contains(t, frame, "\ndirectory /tmp/xdemo-1\ncatalog   local catalog", "width %d", w)
		assert.NotContains(t, frame, "repo ")
	}
}
