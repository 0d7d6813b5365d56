package ui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cyclezero/cyclezero/state"
)

// saves records what Options.Save was given.
type saves struct {
	mu        sync.Mutex
	currents  []string
	err       error
	unbounded int // calls whose context had no deadline within saveTimeout
}

func (s *saves) save(ctx context.Context, sess *state.Session) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !bounded(ctx, saveTimeout) {
		s.unbounded++
	}
	if s.err != nil {
		return s.err
	}
	s.currents = append(s.currents, sess.Current)
	return nil
}

func (s *saves) got() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.currents...)
}

// runLines runs accessible mode on a scripted input and returns its output.
func runLines(t *testing.T, o Options, input string) (Outcome, string) {
	t.Helper()
	var out bytes.Buffer
	o.Now = nowFn
	if o.Width == 0 {
		o.Width = 400 // one line per sentence, so the tests read them whole
	}
	got := RunAccessible(context.Background(), strings.NewReader(input), &out, o)
	return got, out.String()
}

// requireText fails unless out holds every want, and no glyph-only state.
func requireText(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.ContainsAny(out, "○◐✓↻✗▸⚠→·…") || strings.Contains(out, "\x1b[") {
		t.Errorf("accessible output must say states in words, without glyphs or escapes:\n%q", out)
	}
}

func TestAccessibleSessionReadsPhasesAndSavesWhereTheUserIs(t *testing.T) {
	t.Parallel()
	var s saves
	// fixtureSession was left on phase 4, but phase 3 went stale: it opens there.
	got, out := runLines(t, Options{Session: fixtureSession(), Save: s.save}, "3\nn\nn\np\nq\n")
	requireText(t, out,
		"Session cifar10-2layer-cnn, https://deriva.example.org catalog 1.",
		"2 of 8 phases done",
		"1. Specify: done\n",
		"3. Development dataset (selected): stale, the design doc changed after this phase was done\n",
		"Phase 3 of 8, Development dataset: stale.\nWhy: the design doc changed after this phase was done.\nWas completed 2 days ago.\nPurpose: Build",
		"Gate to move on: ",
		"Phase 4 of 8, Validate features and labels: blocked.\nWhy: needs a released development dataset (Development dataset: ",
		"4. Validate features and labels: blocked, needs a released",
		"Phase 5 of 8, Tier 1 — dry run: blocked.",
		"Phase 4 of 8. Command (h for help): ",
	)
	if want := []string{"validate", "tier1", "validate"}; strings.Join(s.got(), ",") != strings.Join(want, ",") {
		t.Errorf("saved currents %v, want %v (choosing the phase already shown saves nothing)", s.got(), want)
	}
	if s.unbounded != 0 {
		t.Errorf("Save was called without a deadline %d times", s.unbounded)
	}
	if got != (Outcome{Slug: "cifar10-2layer-cnn", Quit: true}) {
		t.Errorf("outcome %+v", got)
	}
}

// With no width known (output to a pipe: Options.Width 0) text wraps at
// 80 cells: a long sentence stays whole on one line, no line is wider.
func TestAccessibleWrapsAt80CellsWithoutAWidth(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	RunAccessible(context.Background(), strings.NewReader("q\n"), &out,
		Options{Session: fixtureSession(), Now: nowFn, Width: 0})
	text := out.String()
	if !strings.Contains(text, "\nSession cifar10-2layer-cnn, https://deriva.example.org catalog 1.\n") {
		t.Errorf("the session's sentence is not one line:\n%s", text)
	}
	for _, line := range strings.Split(text, "\n") {
		if displayWidth(line) > 80 {
			t.Errorf("line wider than 80 cells: %q", line)
		}
	}
}

func TestAccessibleSessionCommands(t *testing.T) {
	t.Parallel()
	_, out := runLines(t, Options{Session: fixtureSession()}, "1\np\n8\nn\ns\n9\nhello\n\nq\n")
	requireText(t, out,
		"This is the first phase.",
		"This is the last phase.",
		"8. Iterate (selected): not started\n2 of 8 phases done; stale: Development dataset; blocked: Validate features and labels, Tier 1 — dry run. Redo Development dataset",
		"There is no phase 9; phases are 1 to 8.",
		"Gate to move on: none, this is the last phase: it is done once the verdict is recorded; when the results fall short,",
		`"hello" is not a command.`,
		"s for the status of every phase, h for this help, q to quit.\nPhase 8 of 8. Command",
	)
}

func TestAccessibleSessionEndsWithItsInputAndRetriesAFailedSave(t *testing.T) {
	t.Parallel()
	s := saves{err: errors.New("disk full")}
	got, out := runLines(t, Options{Session: fixtureSession(), Save: s.save}, "6\n") // no q: the input ends
	requireText(t, out, "Phase 6 of 8, Tier 2 — small-data run: not started.", "Could not save the session: disk full")
	if strings.Count(out, "Could not save the session") != 2 {
		t.Errorf("the save is tried on the move and again on leaving:\n%s", out)
	}
	if !got.Quit || got.Interrupted || got.Err == nil || got.Slug != "cifar10-2layer-cnn" {
		t.Errorf("outcome %+v", got)
	}

	// A retry that succeeds clears the failure: cmd reports no error.
	var fails atomic.Int32
	fails.Store(1)
	failOnce := func(context.Context, *state.Session) error {
		if fails.Add(-1) >= 0 {
			return errors.New("disk full")
		}
		return nil
	}
	got, out = runLines(t, Options{Session: fixtureSession(), Save: failOnce}, "6\nq\n")
	requireText(t, out, "Could not save the session: disk full")
	if strings.Count(out, "Could not save the session") != 1 || got.Err != nil || !got.Quit {
		t.Errorf("the save on leaving succeeds and clears the error: outcome %+v\n%s", got, out)
	}
}

func TestAccessibleReadOnlySessionSaysSoAndNeverSaves(t *testing.T) {
	t.Parallel()
	var s saves
	_, out := runLines(t, Options{Session: fixtureSession(), Save: s.save, ReadOnly: true,
		ReadOnlyReason: "in use by another cyclezero (pid 42)"}, "7\nq\n")
	requireText(t, out, "Read-only: this session is in use by another cyclezero (pid 42), so nothing you do here is saved.")
	if strings.Index(out, "Read-only") > strings.Index(out, "Phases:") {
		t.Error("the read-only notice comes first")
	}
	if len(s.got()) != 0 {
		t.Errorf("a read-only session was saved: %v", s.got())
	}
}

// signalWriter collects output and closes seen once it holds want.
type signalWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	once sync.Once
	seen chan struct{}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func TestAccessibleCtrlCSavesAndReportsAnInterrupt(t *testing.T) {
	t.Parallel()
	var s saves
	pr, pw := io.Pipe() // a terminal that stays open
	defer pw.Close()
	out := &signalWriter{want: "Phase 7 of 8. Command", seen: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan Outcome)
	go func() {
		done <- RunAccessible(ctx, pr, out, Options{Session: fixtureSession(), Save: s.save, Now: nowFn})
	}()
	if _, err := io.WriteString(pw, "7\n"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-out.seen:
	case <-time.After(10 * time.Second):
		t.Fatal("phase 7 never showed")
	}
	cancel() // what SIGINT does to the command's context
	got := <-done
	if !got.Interrupted || !got.Quit || got.Slug != "cifar10-2layer-cnn" {
		t.Errorf("outcome %+v", got)
	}
	if c := s.got(); len(c) == 0 || c[len(c)-1] != "tier3" {
		t.Errorf("the phase the user was on is saved: %v", c)
	}
}
