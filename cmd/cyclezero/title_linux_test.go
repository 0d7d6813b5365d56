package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quitter is a model that quits as soon as it starts.
type quitter struct{}

func (quitter) Init() tea.Cmd                       { return tea.Quit }
func (quitter) Update(tea.Msg) (tea.Model, tea.Cmd) { return quitter{}, nil }
func (quitter) View() tea.View                      { return tea.NewView("quitter") }

// On a terminal, runLeaving saves the window title on xterm's title stack
// before the program draws anything and restores it once the program has
// ended, after everything bubbletea writes on its way out (which clears
// the title it set rather than restoring the shell's).
func TestRunLeavingKeepsTheWindowTitle(t *testing.T) {
	t.Parallel()
	master, _, out := openPTYFile(t)
	require.True(t, isTTY(out))
	written := readUntil(master, "END-OF-TEST")

	r, w := io.Pipe() // input that stays open, as a terminal's does
	t.Cleanup(func() { _ = w.Close() })
	_, err := runLeaving(context.Background(), stdio{in: r, out: out, err: &bytes.Buffer{}}, quitter{}, time.Minute)
	require.NoError(t, err)
	_, err = out.WriteString("END-OF-TEST") // after it, in order: the end of what runLeaving wrote
	require.NoError(t, err)

	// xterm's window operations: 22;0 pushes the window and icon titles,
	// 23;0 pops them.
	got := strings.TrimSuffix(string(<-written), "END-OF-TEST")
	assert.True(t, strings.HasPrefix(got, "\x1b[22;0t"), "the title is pushed first: %q", got)
	assert.True(t, strings.HasSuffix(got, "\x1b[23;0t"), "and popped last: %q", got)
	assert.Equal(t, 1, strings.Count(got, "\x1b[22;"), "pushed once: %q", got)
	assert.Equal(t, 1, strings.Count(got, "\x1b[23;"), "popped once: %q", got)
}
