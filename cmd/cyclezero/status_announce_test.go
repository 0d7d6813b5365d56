package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A failed refresh says that the watch carries on before the failure, so
// a failure ending with its fix leaves the command last on its line:
// pasted, "cp A B" must not become "cp A B. Still trying" (a file "B.").
func TestAccessibleWatchSaysTheFixLast(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fix := "cp /s/sessions/m.json.bak /s/sessions/m.json"
	n := 0
	var out bytes.Buffer
	a := announcer{out: &out, interval: 2 * time.Second, now: fixedClock,
		build: func(context.Context) (statusReport, error) {
			if n++; n == 3 {
				cancel()
			}
			if n == 1 {
				return report("not started", "", "Next: Development dataset — build it."), nil
			}
			return statusReport{}, errors.New("session file is damaged — restore it with: " + fix)
		}}
	require.ErrorIs(t, a.run(ctx), context.Canceled)
	got := out.String()
	assert.Contains(t, got, "\n15:09:26 refresh failed, still trying every 2 seconds: session file is damaged — restore it with: "+fix+"\n")
	assert.NotContains(t, got, fix+".")
}

// ctrl+d in a terminal ends its input: the watch stops there, as the
// accessible picker and session do, since q typed after it would never be
// read. Stdin that is not a terminal may end (</dev/null in a script)
// without stopping it: only ctrl+c does then.
func TestAccessibleWatchStopsAtCtrlDInATerminal(t *testing.T) {
	t.Parallel()
	for _, terminal := range []bool{true, false} {
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		var out bytes.Buffer
		a := announcer{in: strings.NewReader("hello\n"), inTerminal: func() bool { return terminal },
			out: &out, interval: time.Millisecond, now: fixedClock,
			build: func(context.Context) (statusReport, error) {
				if n++; n == 50 && !terminal {
					cancel() // ctrl+c; in a terminal, ctrl+d alone must stop it
				}
				return report("not started", "", "Next: Development dataset — build it."), nil
			}}
		err := a.run(ctx)
		cancel()
		if terminal {
			require.NoError(t, err, "ctrl+d stops the watch with success")
			assert.True(t, strings.HasSuffix(out.String(), "\nStopped watching.\n"), out.String())
			continue
		}
		require.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 50, n, "it refreshed until interrupted")
		assert.True(t, strings.HasSuffix(out.String(), "build it.\n\nStopped watching.\n"),
			"ctrl+c: a line break after the echoed ^C, then what q says: %s", out.String())
	}
}

// A phase's reason that ends with a command is announced without a full
// stop after it; any other gets one.
func TestAccessibleWatchPutsNoFullStopAfterAReasonsCommand(t *testing.T) {
	t.Parallel()
	prev := report("not started", "", "Next: Development dataset — build it.")
	cur := report("in progress", "the manifest is damaged — restore it with: cp m.bak m", "Next: Development dataset — build it.")
	later := report("in progress", "2 classes short", "Next: Development dataset — build it.")
	assert.Equal(t, []string{"15:09:26 phase 3 Development dataset: changed from not started to in progress; " +
		"the manifest is damaged — restore it with: cp m.bak m"}, statusChanges(prev, cur, "15:09:26"))
	assert.Equal(t, []string{"15:09:26 phase 3 Development dataset: still in progress; 2 classes short."},
		statusChanges(cur, later, "15:09:26"))
}

// In a terminal the announcements wrap at spaces as the rest of accessible
// mode does, so a screen reader reading by row never hears half a word
// ("ar", "e"), and a command stays whole on its own line; written to a
// pipe (width 0, a buffer here) each event stays one line for scripts.
func TestAccessibleWatchWrapsItsProseInATerminal(t *testing.T) {
	t.Parallel()
	fix := "cp /s/sessions/m.json.bak /s/sessions/m.json"
	run := func(width int) string {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		n := 0
		var out bytes.Buffer
		a := announcer{out: &out, width: width, program: "cz", interval: time.Millisecond, now: fixedClock,
			build: func(context.Context) (statusReport, error) {
				switch n++; n {
				case 1:
					return report("not started", "", "Next: Specify — write the design doc and approve it."), nil
				case 2:
					return statusReport{}, errors.New("session file is damaged — restore it with: " + fix)
				case 4:
					cancel()
				}
				return report("in progress", "", "Next: Development dataset — build it and check its labels."), nil
			}}
		require.ErrorIs(t, a.run(ctx), context.Canceled)
		return out.String()
	}

	got := run(50)
	for _, want := range []string{
		"Watching for changes every millisecond; only\nchanges are announced. Type q and enter, or press\nctrl+c, to stop.\n\n",
		"\nNext: Specify — write the design doc and approve\nit.\n",
		"\n15:09:26 refresh failed, still trying every\nmillisecond: session file is damaged — restore it\nwith:\n" + fix + "\n",
		"\n15:09:26 phase 3 Development dataset: changed from\nnot started to in progress.\n",
		"\n15:09:26 Next: Development dataset — build it and\ncheck its labels.\n",
	} {
		assert.Contains(t, got, want)
	}
	for _, l := range strings.Split(got, "\n") {
		if l != fix && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "1 ") && !strings.HasPrefix(l, "3 ") {
			assert.LessOrEqual(t, len([]rune(l)), 50, "line %q", l)
		}
	}

	got = run(0)
	for _, want := range []string{
		"Watching for changes every millisecond; only changes are announced. Type q and enter, or press ctrl+c, to stop.\n\n",
		"\nNext: Specify — write the design doc and approve it.\n",
		"\n15:09:26 refresh failed, still trying every millisecond: session file is damaged — restore it with: " + fix + "\n",
		"\n15:09:26 phase 3 Development dataset: changed from not started to in progress.\n",
		"\n15:09:26 Next: Development dataset — build it and check its labels.\n",
	} {
		assert.Contains(t, got, want)
	}
}
