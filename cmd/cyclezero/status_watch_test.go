package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// fixedClock is the watch loop's clock in tests.
func fixedClock() time.Time { return time.Date(2026, 3, 14, 15, 9, 26, 0, time.Local) }

// testLoop is a watch loop over a report that counts its refreshes; the
// third refresh cancels ctx, as ctrl+c would during the third wait.
func testLoop(asJSON bool, cancel context.CancelFunc, fail map[int]error) (*watchLoop, *bytes.Buffer, *bytes.Buffer) {
	var out, warn bytes.Buffer
	n := 0
	l := &watchLoop{out: &out, warn: &warn, interval: time.Millisecond, asJSON: asJSON, now: fixedClock,
		build: func(context.Context) (statusReport, error) {
			n++
			if n == 3 {
				cancel()
				return statusReport{}, context.Canceled
			}
			if err := fail[n]; err != nil {
				return statusReport{}, err
			}
			return statusReport{Slug: "m", Summary: "0 of 8 phases done", Next: "Next: Specify"}, nil
		}}
	return l, &out, &warn
}

func TestWatchLoopPlainPrintsAReportPerIntervalUntilCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l, out, _ := testLoop(false, cancel, nil)
	err := l.run(ctx)
	if !errors.Is(err, context.Canceled) || exitCode(err) != exitCancelled {
		t.Fatalf("an interrupted watch ends with context.Canceled (exit 130): %v", err)
	}
	sep := "--- updated 2026-03-14 15:09:26 ---\n"
	if got := strings.Count(out.String(), sep); got != 2 {
		t.Fatalf("want 2 timestamp lines, got %d:\n%s", got, out)
	}
	if got := strings.Count(out.String(), "cyclezero session m\n"); got != 2 {
		t.Fatalf("want 2 reports, got %d:\n%s", got, out)
	}
	if !strings.HasPrefix(out.String(), sep) || !strings.Contains(out.String(), "Next: Specify\n\n"+sep) {
		t.Fatalf("each report sits under its timestamp, a blank line between them:\n%s", out)
	}
}

func TestWatchLoopJSONIsOneDocumentPerLine(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l, out, _ := testLoop(true, cancel, nil)
	if err := l.run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %d:\n%s", len(lines), out)
	}
	for _, l := range lines {
		var rep statusReport
		if err := json.Unmarshal([]byte(l), &rep); err != nil || rep.Slug != "m" {
			t.Fatalf("not a status document: %q (%v)", l, err)
		}
	}
}

func TestWatchLoopCarriesOnAfterAFailedRefresh(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	l, out, warn := testLoop(false, cancel, map[int]error{1: errors.New("session file is damaged")})
	if err := l.run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	if !strings.Contains(warn.String(), "refresh failed at 15:09:26: session file is damaged") {
		t.Fatalf("the failure is reported: %q", warn)
	}
	if strings.Count(out.String(), "cyclezero session m\n") != 1 {
		t.Fatalf("the next refresh still prints:\n%s", out)
	}
}

// cancelAfter is a writer that cancels the command's context once it has
// seen n timestamp lines, as ctrl+c would.
type cancelAfter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	n      int
	cancel context.CancelFunc
}

func (w *cancelAfter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Count(w.buf.String(), "--- updated ") >= w.n && strings.HasSuffix(w.buf.String(), "\n") {
		w.cancel()
	}
	return len(p), nil
}

// TestStatusWatchPlainIsReadOnlyAndExits130WhenInterrupted watches the
// demo session while a wizard holds it: the watch needs no lock, writes
// nothing, and ctrl+c ends it with 130.
func TestStatusWatchPlainIsReadOnlyAndExits130WhenInterrupted(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	loc, err := state.Locate(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	path := state.SessionPath(loc.StateDir, "diagnosis-classifier")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := state.Open(loc.StateDir, "diagnosis-classifier")
	if err != nil || h.ReadOnly() {
		t.Fatalf("hold the session as a wizard would: %v", err)
	}
	defer h.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &cancelAfter{n: 2, cancel: cancel}
	var errb bytes.Buffer
	code := run(ctx, []string{"-C", dir, "status", "--watch", "--interval", "200ms"}, stdio{in: strings.NewReader(""), out: out, err: &errb})
	if code != exitCancelled {
		t.Fatalf("exit %d, want 130\n%s", code, errb.String())
	}
	if got := strings.Count(out.buf.String(), "cyclezero session diagnosis-classifier"); got < 1 {
		t.Fatalf("no report printed:\n%s", out.buf.String())
	}
	if errb.Len() != 0 {
		t.Fatalf("an interrupt prints nothing on stderr: %q", errb.String())
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("status --watch changed the session file")
	}
}

func TestStatusWatchFlagsAreValidated(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{
		{"status", "--watch", "--interval", "100ms"},
		{"status", "--watch", "--interval", "0s"},
		{"status", "--interval", "5s"},
		{"status", "--watch", "--plain", "--json"},
	} {
		_, errOut, code := cli(t, "", args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want 2\n%s", args, code, errOut)
		}
	}
	_, errOut, _ := cli(t, "", "status", "--watch", "--interval", "100ms")
	if !strings.Contains(errOut, "use 200ms or more") {
		t.Errorf("the error says the minimum: %q", errOut)
	}
}

// report is a status report whose phase 3 has status s (and reason why).
func report(s, why, next string) statusReport {
	return statusReport{Slug: "m", Summary: "0 of 8 phases done", Next: next, Phases: []statusPhase{
		{ID: "specify", Number: 1, Title: "Specify", Status: "done"},
		{ID: "dev-dataset", Number: 3, Title: "Development dataset", Status: s, Reason: why},
	}}
}

func TestAccessibleWatchAnnouncesOnlyChanges(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	steps := []struct {
		rep statusReport
		err error
	}{
		{rep: report("not started", "", "Next: Development dataset — build it.")},
		{rep: report("not started", "", "Next: Development dataset — build it.")}, // nothing changed
		{rep: report("in progress", "", "Continue Development dataset: build it.")},
		{err: errors.New("the session file is damaged")},
		{err: errors.New("the session file is damaged")}, // the same failure: said once
		{rep: report("in progress", "2 classes short of their quota", "Continue Development dataset: build it.")},
		{rep: report("done", "", "Next: Feature validation — check it.")},
	}
	var out bytes.Buffer
	n := 0
	a := announcer{out: &out, interval: time.Millisecond, now: fixedClock,
		build: func(context.Context) (statusReport, error) {
			if n == len(steps) {
				cancel()
				return statusReport{}, context.Canceled
			}
			s := steps[n]
			n++
			return s.rep, s.err
		}}
	err := a.run(ctx)
	require.ErrorIs(t, err, context.Canceled)
	got := out.String()
	want := "Watching for changes every millisecond; only changes are announced. Type q and enter, or press ctrl+c, to stop.\n\n"
	require.True(t, strings.HasPrefix(got, want), got)
	rest := got[strings.Index(got, "Next: Development dataset — build it.\n")+len("Next: Development dataset — build it.\n"):]
	assert.Equal(t, "15:09:26 phase 3 Development dataset: changed from not started to in progress.\n"+
		"15:09:26 Continue Development dataset: build it.\n"+
		"15:09:26 refresh failed, still trying every millisecond: the session file is damaged\n"+
		"15:09:26 refresh works again.\n"+
		"15:09:26 phase 3 Development dataset: still in progress; 2 classes short of their quota.\n"+
		"15:09:26 phase 3 Development dataset: changed from in progress to done.\n"+
		"15:09:26 Next: Feature validation — check it.\n"+
		"\nStopped watching.\n", rest, "the next step is said once, as steps words it; ctrl+c ends it")
	assert.Equal(t, 1, strings.Count(got, "cyclezero session m"), "the whole report once")
	assert.NotContains(t, got, "no changes")
}
