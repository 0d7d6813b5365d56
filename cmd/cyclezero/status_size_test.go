package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A terminal's size gives the status frame's; a side the terminal leaves
// at 0 (an unsized pty) gets 80 columns, or no height limit, instead of
// the natural width of the table or one line a phase.
func TestStatusFrameSize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ cols, rows, w, h int }{
		{80, 24, 80, 23},
		{200, 60, 120, 59},
		{40, 1, 40, 1},
		{0, 0, 80, 0},
		{0, 30, 80, 29},
		{100, 0, 100, 0},
	} {
		w, h := statusFrameSize(tc.cols, tc.rows)
		assert.Equal(t, [2]int{tc.w, tc.h}, [2]int{w, h}, "%d×%d", tc.cols, tc.rows)
	}
}
