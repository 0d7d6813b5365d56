package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// releasedModel is a read-only wizard at w×h whose other cyclezero has
// quit, run as `cyclezero -C dir`.
func releasedModel(t *testing.T, dir string, w, h int) Model {
	t.Helper()
	f := &fakeReleased{released: true, watch: true}
	m := wizardModel(t, Options{ReadOnly: true, ReadOnlyReason: "in use by another cyclezero (pid 4242)", Released: f.check,
		Command: func(args ...string) string { return "cyclezero -C " + dir + " " + strings.Join(args, " ") }})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	m, _ = askNow(t, m)
	require.True(t, m.released)
	requireFrameFits(t, m, w, h)
	return m
}

// The command to paste is shown whole, never cut: at 80×24 with a long -C
// path it takes a line of its own, the notice's third; on one line when it
// fits after the words; and when it cannot fit at all (or a short terminal
// leaves the notice one line), the notice says to quit, which prints it.
func TestReleasedNoticeShowsTheCommandWhole(t *testing.T) {
	t.Parallel()
	slug := fixtureSession().Slug
	long := "/home/alex/src/imaging/lesion-seg-2026"
	command := "cyclezero -C " + long + " resume " + slug
	require.Greater(t, len(command), 40, "long enough not to fit after the words")
	require.LessOrEqual(t, len(command), 80)

	m := releasedModel(t, long, 80, 24)
	lines := m.notices()
	require.Len(t, lines, 2, "%q", lines)
	view := plainView(m)
	assert.Contains(t, view, "\nread-only: the other cyclezero has quit; quit and resume to make changes:\n"+command+"\n")
	assert.NotContains(t, strings.Join(lines, "\n"), "…")

	// Narrower: the words take two lines and the command the third.
	m = releasedModel(t, "/home/alex/seg", 60, 24)
	require.Len(t, m.notices(), 3)
	assert.Contains(t, plainView(m), "\ncyclezero -C /home/alex/seg resume "+slug+"\n")

	// Short enough to follow the words: one line.
	m = releasedModel(t, "/r", 120, 24)
	require.Len(t, m.notices(), 1)
	assert.Contains(t, plainView(m), "quit and resume to make changes: cyclezero -C /r resume "+slug+"\n")

	// A path too long for any line, or a short terminal: quit to see it.
	deep := "/home/alex/" + strings.Repeat("nested-directory/", 5) + "lesion-segmentation"
	for _, c := range []struct {
		dir  string
		w, h int
	}{{deep, 80, 24}, {long, 80, 12}} {
		m = releasedModel(t, c.dir, c.w, c.h)
		view = plainView(m)
		assert.Contains(t, view, "read-only: the other cyclezero has quit; quit to see the command to resume.", "%d×%d", c.w, c.h)
		assert.NotContains(t, view, "cyclezero -C", "no cut command, %d×%d", c.w, c.h)
	}
}
