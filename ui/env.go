package ui

import (
	"image/color"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// BackgroundQuery asks the terminal for its background colour; ok is false
// when it gave no answer. The raw-terminal work lives with the caller (cmd
// asks once, with a short deadline), so ui holds no tty code.
type BackgroundQuery func() (bg color.Color, ok bool)

// DarkBackground says whether to draw for a dark background, by one rule
// for every screen: the terminal's own answer to query; else COLORFGBG's
// hint, read with getenv (some terminals set it, and tmux, which does not
// answer the query, passes it on); else dark. A nil query or getenv skips
// that step: the bubbletea screens pass no query, since they ask the
// terminal through tea.RequestBackgroundColor and its answer replaces this
// first guess.
func DarkBackground(query BackgroundQuery, getenv func(string) string) bool {
	if query != nil {
		if bg, ok := query(); ok && bg != nil {
			return tea.BackgroundColorMsg{Color: bg}.IsDark()
		}
	}
	if getenv != nil {
		if light, ok := lightFromCOLORFGBG(getenv("COLORFGBG")); ok {
			return !light
		}
	}
	return true
}

// envLookup is os.Getenv over env (entries "KEY=value"): the first entry
// for key wins, as with os.Getenv.
func envLookup(env []string) func(string) string {
	return func(key string) string {
		for _, kv := range env {
			if v, found := strings.CutPrefix(kv, key+"="); found {
				return v
			}
		}
		return ""
	}
}

// lightFromCOLORFGBG reads the background hint in a COLORFGBG value. It is
// "fg;bg" (rxvt also writes "fg;default;bg"); the last field is the
// background's palette index: 7 or 15 is a light background, 0–6 or 8 a
// dark one. ok is false when there is no usable hint.
func lightFromCOLORFGBG(v string) (light, ok bool) {
	if v == "" {
		return false, false
	}
	fields := strings.Split(v, ";")
	bg, err := strconv.Atoi(strings.TrimSpace(fields[len(fields)-1]))
	switch {
	case err != nil:
		return false, false
	case bg == 7 || bg == 15:
		return true, true
	case bg >= 0 && bg <= 6 || bg == 8:
		return false, true
	}
	return false, false
}
