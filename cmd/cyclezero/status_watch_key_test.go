package main

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ctrl+c pressed in the full-screen `status --watch` is a key, not a
// signal (the terminal is raw, ctx is never cancelled): the dashboard
// still ends as interrupted, exit 130, while q ends it with success.
func TestStatusWatchCtrlCKeyExits130(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	for _, c := range []struct {
		name, key string
		code      int
	}{
		{"ctrl+c", "\x03", exitCancelled},
		{"q", "q", exitOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			pr, pw := io.Pipe()
			defer pw.Close()
			// Once the dashboard is up (it has set the window title:
			// without a terminal there is no size to draw the report in),
			// the key is typed into its input.
			out := &typeAfterReport{stdin: pw, line: c.key, after: "cyclezero status — "}
			var errb bytes.Buffer
			done := make(chan error, 1)
			go func() {
				done <- runStatusWatch(context.Background(), stdio{in: pr, out: out, err: &errb}, &globalFlags{repo: dir},
					"", watchMode{interval: time.Hour})
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(20 * time.Second): // a hang guard, not a timing assertion
				t.Fatalf("the dashboard did not end after the key; it drew:\n%q", out.String())
			}
			require.Equal(t, c.code, exitCode(err), "%v\n%s", err, errb.String())
			assert.Empty(t, errb.String())
		})
	}
}
