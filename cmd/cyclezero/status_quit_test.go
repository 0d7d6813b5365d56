package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// typeAfterReport is the output of a watch: once the first report is on
// it (it holds after, "cyclezero session " when that is empty), it types
// line into the watch's stdin, as a user reading it would.
type typeAfterReport struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	once  sync.Once
	stdin *io.PipeWriter
	line  string
	after string
}

func (w *typeAfterReport) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	after := w.after
	if after == "" {
		after = "cyclezero session "
	}
	if strings.Contains(w.buf.String(), after) {
		w.once.Do(func() { go func() { _, _ = io.WriteString(w.stdin, w.line) }() })
	}
	return len(p), nil
}

func (w *typeAfterReport) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// A line q, quit or exit (any case, spaces around) on stdin stops an
// accessible watch cleanly; other lines before it do not.
func TestAccessibleWatchStopsOnQ(t *testing.T) {
	t.Parallel()
	for _, typed := range []string{"q\n", "  QUIT \n", "hello\n\nExit\n"} {
		pr, pw := io.Pipe()
		out := &typeAfterReport{stdin: pw, line: typed}
		a := announcer{in: pr, out: out, interval: time.Millisecond, now: fixedClock,
			build: func(context.Context) (statusReport, error) {
				return report("not started", "", "Next: Development dataset — build it."), nil
			}}
		err := a.run(context.Background())
		_ = pw.Close()
		require.NoError(t, err, "%q stops the watch with success", typed)
		got := out.String()
		assert.True(t, strings.HasSuffix(got, "Next: Development dataset — build it.\nStopped watching.\n"), "%q:\n%s", typed, got)
	}
}

// Stdin that ends (</dev/null in a script) or says something else does
// not stop the watch: only ctrl+c does then.
func TestAccessibleWatchKeepsGoingAtTheEndOfStdin(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	var out bytes.Buffer
	a := announcer{in: strings.NewReader("hello\nqq\n"), out: &out, interval: time.Millisecond, now: fixedClock,
		build: func(context.Context) (statusReport, error) {
			if n++; n == 20 {
				cancel() // ctrl+c
			}
			return report("not started", "", "Next: Development dataset — build it."), nil
		}}
	require.ErrorIs(t, a.run(ctx), context.Canceled)
	assert.Equal(t, 20, n, "it refreshed until interrupted")
	assert.Equal(t, 1, strings.Count(out.String(), "Stopped watching."), "said once, for the ctrl+c: %s", out.String())
	assert.True(t, strings.HasSuffix(out.String(), "\n\nStopped watching.\n"), out.String())
}

// The whole command: `--accessible status --watch` with q typed on its
// stdin after the first report exits 0 and leaves stderr empty.
func TestStatusWatchAccessibleQuitsOnQ(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	pr, pw := io.Pipe()
	defer pw.Close()
	out := &typeAfterReport{stdin: pw, line: "q\n"}
	var errb bytes.Buffer
	code := run(context.Background(), []string{"--accessible", "-C", dir, "status", "--watch", "--interval", "200ms"},
		stdio{in: pr, out: out, err: &errb})
	require.Equal(t, exitOK, code, errb.String())
	assert.Empty(t, errb.String())
	got := out.String()
	assert.True(t, strings.HasPrefix(got, "Watching for changes every 200 milliseconds; only changes are announced. "+
		"Type q and enter, or press ctrl+c, to stop.\n\ncyclezero session diagnosis-classifier\n"), got)
	assert.True(t, strings.HasSuffix(got, "\nStopped watching.\n"), got)
}
