package ui

import (
	"strconv"
	"strings"
)

// lightFromEnv reads the background hint in COLORFGBG from env (entries
// "KEY=value"). The variable is "fg;bg" (rxvt also writes "fg;default;bg");
// the last field is the background's palette index: 7 or 15 is a light
// background, 0–6 or 8 a dark one. ok is false when there is no usable hint.
func lightFromEnv(env []string) (light, ok bool) {
	var v string
	for _, kv := range env {
		if s, found := strings.CutPrefix(kv, "COLORFGBG="); found {
			v = s
			break // the first one wins, as with os.Getenv
		}
	}
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
