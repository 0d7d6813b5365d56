//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package main

import (
	"image/color"
	"time"
)

// queryControllingTerminal does not ask on this platform (no termios):
// the background is COLORFGBG's hint, else dark.
func queryControllingTerminal(time.Duration) (color.Color, bool) {
	return nil, false
}
