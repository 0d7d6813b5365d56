package main

import (
	"image/color"
	"os"
	"testing"

	"github.com/charmbracelet/colorprofile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rgb16 is an answer's colour as 16-bit channels, for comparing.
func rgb16(c color.Color) [3]uint32 {
	r, g, b, _ := c.RGBA()
	return [3]uint32{r, g, b}
}

func TestBGReplyParsesAnswers(t *testing.T) {
	t.Parallel()
	white := [3]uint32{0xffff, 0xffff, 0xffff}
	for _, c := range []struct {
		name, in string
		done     bool
		bg       *[3]uint32 // nil: no colour
	}{
		{"OSC 11 ended by BEL, then DA1", "\x1b]11;rgb:ffff/ffff/ffff\x07\x1b[?62;22c", true, &white},
		{"OSC 11 ended by ST, then DA1", "\x1b]11;rgb:0000/0000/0000\x1b\\\x1b[?1;2c", true, &[3]uint32{}},
		{"8-bit channels", "\x1b]11;rgb:ff/80/00\x07\x1b[?6c", true, &[3]uint32{0xffff, 0x8080, 0}},
		{"typeahead and other reports around it", "ab\x1b[A\x1b]11;rgb:ffff/ffff/ffff\x07x\x1b[?62c", true, &white},
		{"DA1 only: the terminal does not know OSC 11", "\x1b[?62;4c", true, nil},
		{"an answer that is no colour", "\x1b]11;?\x07\x1b[?62c", true, nil},
		{"the foreground colour is not the background", "\x1b]10;rgb:ffff/ffff/ffff\x07\x1b[?62c", true, nil},
		{"garbage", "hello\x1b[2Jworld\x1b]0;title\x07", false, nil},
		{"a cut-off colour", "\x1b]11;rgb:ffff/ff", false, nil},
		{"a colour without DA1 yet", "\x1b]11;rgb:ffff/ffff/ffff\x07", false, &white},
		{"a non-DA1 CSI ending in c is not the end", "\x1b[62c\x1b[>1;10;0c", false, nil},
	} {
		// Whole, and a byte a read: the answer's pieces arrive as they come.
		for _, chunk := range []int{len(c.in), 1} {
			r := newBGReply()
			done := false
			for b := []byte(c.in); len(b) > 0 && !done; {
				n := min(chunk, len(b))
				done = r.feed(b[:n])
				b = b[n:]
			}
			assert.Equal(t, c.done, done, "%s (chunks of %d): done", c.name, chunk)
			bg, ok := r.color()
			if c.bg == nil {
				assert.False(t, ok, "%s (chunks of %d): no colour, got %v", c.name, chunk, bg)
				continue
			}
			if assert.True(t, ok, "%s (chunks of %d): a colour", c.name, chunk) {
				assert.Equal(t, *c.bg, rgb16(bg), "%s (chunks of %d)", c.name, chunk)
			}
		}
	}
}

// TestTerminalBackgroundSkipsWithoutColour: no query where the report's
// colour is stripped anyway, so NO_COLOR (and a dumb terminal, or output
// that is no terminal) never pays for one, nor leaves its escapes behind.
func TestTerminalBackgroundSkipsWithoutColour(t *testing.T) {
	t.Parallel()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	colour := []string{"TERM=xterm-256color", "COLORTERM=truecolor"}
	assert.Nil(t, terminalBackground(colorprofile.Detect(w, colour)), "not a terminal")

	tty := openTestTTY(t) // skips where there are no pseudo-terminals
	assert.NotNil(t, terminalBackground(colorprofile.Detect(tty, colour)), "a colour terminal is asked")
	assert.Nil(t, terminalBackground(colorprofile.Detect(tty, append(colour, "NO_COLOR=1"))), "NO_COLOR")
	assert.Nil(t, terminalBackground(colorprofile.Detect(tty, []string{"TERM=dumb"})), "TERM=dumb")
	assert.NotNil(t, terminalBackground(colorprofile.Detect(tty, append(colour, "NO_COLOR=0"))), "NO_COLOR=0 is colour, as colorprofile reads it")
}
