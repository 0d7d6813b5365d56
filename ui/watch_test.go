package ui

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// fixtureView is the dashboard's reading of fixtureSession.
func fixtureView() StatusView {
	states := steps.Evaluate(fixtureSession(), state.Fingerprint{})
	return StatusView{
		Slug: "cifar10-2layer-cnn", Repo: "/home/ada/cifar", Catalog: "deriva.example.org · catalog 1", Saved: "2026-03-14 12:09",
		States: states, Summary: steps.Summary(states), Next: steps.NextAction(states),
	}
}

// newTestWatch is a dashboard whose Refresh counts its calls and answers
// with fixtureView, sized 100×30 with the clock fixed.
func newTestWatch(calls *atomic.Int32) Watch {
	m := NewWatch(WatchOptions{
		Interval: 2 * time.Second,
		Now:      nowFn,
		Refresh: func(context.Context) (StatusView, error) {
			calls.Add(1)
			return fixtureView(), nil
		},
	})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	return next.(Watch)
}

// The dashboard starts with the styles COLORFGBG hints at, as the wizard
// does, until the terminal answers.
func TestWatchStartsWithTheEnvironmentsBackground(t *testing.T) {
	t.Parallel()
	assert.False(t, NewWatch(WatchOptions{Env: []string{"COLORFGBG=0;15"}}).st.IsDark)
	assert.True(t, NewWatch(WatchOptions{Env: []string{"COLORFGBG=15;0"}}).st.IsDark)
}

func TestWatchTickStartsARefreshAndItsResultSchedulesTheNext(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	m := newTestWatch(&calls)
	m, cmd := update(t, m, watchResultMsg{seq: 1, view: fixtureView(), at: fixedNow})
	if cmd == nil || m.view == nil || !m.updated.Equal(fixedNow) {
		t.Fatalf("a result shows and schedules the next tick: cmd %v, view %v", cmd, m.view)
	}
	if calls.Load() != 0 {
		t.Fatal("Update must not refresh by itself: I/O belongs in the Cmd")
	}
	m, cmd = update(t, m, watchTickMsg{seq: 1})
	if cmd == nil || m.seq != 2 || !m.refreshing {
		t.Fatalf("a tick starts refresh 2: cmd %v, seq %d", cmd, m.seq)
	}
	res, ok := cmd().(watchResultMsg)
	if !ok || res.seq != 2 || res.err != nil || calls.Load() != 1 || !res.at.Equal(fixedNow) {
		t.Fatalf("the refresh Cmd reads once and answers for seq 2: %#v, calls %d", res, calls.Load())
	}
	if _, cmd = update(t, m, watchTickMsg{seq: 2}); cmd != nil {
		t.Fatal("a tick while a refresh is in flight must not start another")
	}
}

func TestWatchDropsStaleResultsAndTicks(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	m := newTestWatch(&calls)
	m, _ = update(t, m, watchResultMsg{seq: 1, view: fixtureView(), at: fixedNow})
	m, cmd := update(t, m, keyRune('r'))
	if cmd == nil || m.seq != 2 {
		t.Fatalf("r starts refresh 2 at once: seq %d", m.seq)
	}
	old := fixtureView()
	old.Slug = "from-an-old-refresh"
	m, cmd = update(t, m, watchResultMsg{seq: 1, view: old, at: fixedNow.Add(time.Minute)})
	if cmd != nil || m.view.Slug != "cifar10-2layer-cnn" || !m.updated.Equal(fixedNow) {
		t.Fatalf("a superseded result is dropped: slug %q", m.view.Slug)
	}
	if m, cmd = update(t, m, watchTickMsg{seq: 1}); cmd != nil || m.seq != 2 {
		t.Fatal("a tick scheduled before r is dropped, so refreshes never double up")
	}
}

func TestWatchKeepsTheLastGoodTableWhenARefreshFails(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	m := newTestWatch(&calls)
	m, _ = update(t, m, watchResultMsg{seq: 1, view: fixtureView(), at: fixedNow})
	m, _ = update(t, m, watchTickMsg{seq: 1})
	m, cmd := update(t, m, watchResultMsg{seq: 2, err: errors.New("session file is damaged"), at: fixedNow.Add(2 * time.Second)})
	if cmd == nil {
		t.Fatal("a failed refresh still schedules the next one")
	}
	frame := ansi.Strip(m.View().Content)
	for _, want := range []string{"Development dataset", "↻ stale",
		"refresh failed at 15:09:28: session file is damaged (showing the last good reading)", "updated 15:09:26"} {
		if !strings.Contains(frame, want) {
			t.Errorf("frame lacks %q:\n%s", want, frame)
		}
	}
	m, _ = update(t, m, watchTickMsg{seq: 2})
	m, _ = update(t, m, watchResultMsg{seq: 3, view: fixtureView(), at: fixedNow.Add(4 * time.Second)})
	if frame = ansi.Strip(m.View().Content); strings.Contains(frame, "refresh failed") || !strings.Contains(frame, "updated 15:09:30") {
		t.Fatalf("a good refresh clears the error line:\n%s", frame)
	}
}

func TestWatchQuitKeys(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	for _, k := range []tea.KeyPressMsg{keyRune('q'), keyEsc, keyCtrlC} {
		m, cmd := update(t, newTestWatch(&calls), k)
		if cmd == nil {
			t.Fatalf("%s does not quit", k)
		}
		if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Fatalf("%s: want tea.Quit", k)
		}
		if m.Interrupted() != (k.String() == "ctrl+c") {
			t.Fatalf("%s: Interrupted is %v", k, m.Interrupted())
		}
	}
}

func TestWatchFitsEverySize(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	m := newTestWatch(&calls)
	m, _ = update(t, m, watchResultMsg{seq: 1, view: fixtureView(), at: fixedNow})
	m, _ = update(t, m, watchTickMsg{seq: 1})
	m, _ = update(t, m, watchResultMsg{seq: 2, err: errors.New("the session file is damaged"), at: fixedNow})
	for _, size := range [][2]int{{20, 5}, {40, 10}, {80, 24}, {200, 60}} {
		m, _ = update(t, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		lines := strings.Split(m.View().Content, "\n")
		if len(lines) != size[1] {
			t.Fatalf("%v: %d lines", size, len(lines))
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > size[0] {
				t.Fatalf("%v: a line is %d wide: %q", size, ansi.StringWidth(l), ansi.Strip(l))
			}
		}
		last := strings.TrimRight(ansi.Strip(m.View().Content), "\n ")
		if i := strings.LastIndex(last, "\n"); i >= 0 {
			last = last[i+1:]
		}
		if size[0] >= 80 && !strings.HasPrefix(last, "updated 15:09:26") ||
			size[0] >= 40 && !strings.HasSuffix(last, "q quit") || !strings.Contains(last, "q quit") && !strings.Contains(last, "updated") {
			t.Fatalf("%v: the footer must always show when and how to quit, as far as they fit:\n%s", size, ansi.Strip(m.View().Content))
		}
	}
}

// TestGoldenWatch is the dashboard's frame at 100×30 after one refresh,
// of a session on phase 3.
func TestGoldenWatch(t *testing.T) {
	var calls atomic.Int32
	m := newTestWatch(&calls)
	v := fixtureView()
	v.Current = steps.DevDataset
	m, _ = update(t, m, watchResultMsg{seq: 1, view: v, at: fixedNow})
	golden.RequireEqual(t, ansi.Strip(m.View().Content))
}

// sizedWatch is a dashboard showing v at w×h.
func sizedWatch(t *testing.T, v StatusView, w, h int) Watch {
	t.Helper()
	var calls atomic.Int32
	m := newTestWatch(&calls)
	m, _ = update(t, m, watchResultMsg{seq: 1, view: v, at: fixedNow})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func TestWatchFitsEveryPhaseAt80x24(t *testing.T) {
	t.Parallel()
	frame := ansi.Strip(sizedWatch(t, blockedView(), 80, 24).View().Content)
	// Every detail in full fits in a list, not in the table.
	assert.Contains(t, frame, "\n2 Schema design                ✗ blocked\n  needs an approved design doc (Specify: the design doc is not approved yet)\n")
	assert.NotContains(t, frame, "│")
	for _, want := range []string{"0 of 8 phases done", "Continue Specify", "q quit", "saved   2026-03-14 15:09",
		"catalog local catalog at /tmp/xdemo-1/.g", "…", "diagnosis-classifier/catalog.sqlite"} {
		assert.Contains(t, frame, want)
	}
	assert.NotContains(t, frame, "↓", "nothing to scroll")
}

func TestWatchScrollsThePhasesAndKeepsSummaryAndNext(t *testing.T) {
	t.Parallel()
	for _, v := range []StatusView{blockedView(), fixtureView()} {
		m := sizedWatch(t, v, 50, 14)
		frame := ansi.Strip(m.View().Content)
		assert.Len(t, strings.Split(frame, "\n"), 14)
		assert.Contains(t, frame, "↓ ", "a hint says there is more:\n%s", frame)
		assert.Regexp(t, `↓ \d+ more`, frame)
		assert.Contains(t, frame, "↑/↓ scroll", "the keys say how")
		seen := map[int]bool{}
		for range 30 {
			for _, n := range phaseRows(frame) {
				seen[n] = true
			}
			assert.Contains(t, frame, "phases done", "the summary stays:\n%s", frame)
			assert.Regexp(t, `(Continue|Redo|Next)`, frame, "the next step stays")
			m, _ = update(t, m, keyRune('j'))
			frame = ansi.Strip(m.View().Content)
		}
		assert.Len(t, seen, 8, "j reaches every phase: %v", seen)
		assert.Regexp(t, `↑ \d+ more`, frame, "at the end, the hint says what is above")
		end := m.offset
		m, _ = update(t, m, keyRune('k'))
		assert.Equal(t, end-1, m.offset, "scrolling past the end costs no extra k")
		m, _ = update(t, m, keyRune('g'))
		assert.Zero(t, m.offset)
		m, _ = update(t, m, tea.KeyPressMsg{Code: tea.KeyPgDown})
		assert.Positive(t, m.offset, "pgdn scrolls")
		m, _ = update(t, m, tea.WindowSizeMsg{Width: 120, Height: 60})
		assert.Zero(t, m.offset, "once everything fits there is no scroll")
	}
}

// TestWatchEndShowsTheLastLine: on a frame too short for the phases, G
// (and end) scrolls until the region's last line sits above the hint and
// nothing is left below.
func TestWatchEndShowsTheLastLine(t *testing.T) {
	t.Parallel()
	for _, v := range []StatusView{blockedView(), fixtureView()} {
		m := sizedWatch(t, v, 50, 14)
		for _, k := range []tea.KeyPressMsg{keyRune('G'), {Code: tea.KeyEnd}} {
			m, _ = update(t, m, keyRune('g'))
			m, _ = update(t, m, k)
			frame := ansi.Strip(m.View().Content)
			assert.NotRegexp(t, `↓ \d+ more`, frame, "nothing is left below")
			assert.Regexp(t, `↑ \d+ more`, frame)
			last := ansi.Strip(m.fr.region[len(m.fr.region)-1])
			assert.Regexp(t, "(?m)^"+regexp.QuoteMeta(last)+"\n↑ \\d+ more", frame, "the last line shows, above the hint")
		}
	}
}

// TestWatchScrollHintIsNeverCutMidWord: the hint under the scrolling
// phases counts lines as the wizard's pane does and leaves the keys to the
// footer; too wide, it drops the unit, and a hint still too wide ends in
// "…".
func TestWatchScrollHintIsNeverCutMidWord(t *testing.T) {
	t.Parallel()
	m := sizedWatch(t, fixtureView(), 40, 12)
	m, _ = update(t, m, keyRune('j'))
	m, _ = update(t, m, keyRune('j'))
	frame := ansi.Strip(m.View().Content)
	assert.Regexp(t, `(?m)^↑ 2 more lines · ↓ \d+ more lines$`, frame, "the counts, whole, without keys")
	assert.NotContains(t, frame, "to scro")
	assert.Contains(t, frame, "↑/↓ scroll", "the footer still names the keys")

	lines := []string{"a", "b", "c", "d", "e", "f"}
	hint := func(width int) string {
		rows := scrollWindow(NewStyles(true), lines, 1, 3, width)
		return ansi.Strip(rows[len(rows)-1])
	}
	assert.Equal(t, "↑ 1 more line · ↓ 3 more lines", hint(80))
	assert.Equal(t, "↑ 1 more line · ↓ 3 more lines", hint(30))
	assert.Equal(t, "↑ 1 more · ↓ 3 more", hint(29), "the counts without their unit")
	assert.Equal(t, "↑ 1 more · ↓…", hint(13))
}

// TestWatchFooterKeepsQuitOnNarrowTerminals: on the narrowest terminals
// the footer still says how to quit, and keeps the time of the reading
// while it fits beside it.
func TestWatchFooterKeepsQuitOnNarrowTerminals(t *testing.T) {
	t.Parallel()
	m := sizedWatch(t, fixtureView(), 80, 24)
	for w, want := range map[int]string{
		18: "r refresh · q quit", 17: "q quit · 15:09:26", 16: "q quit", 6: "q quit",
	} {
		m.w = w
		assert.Equal(t, want, m.keysLine(false), "at %d columns", w)
	}
	// Scrolling, the scroll keys take the room "r refresh" had.
	for w, want := range map[int]string{25: "updated 15:09:26 · q quit", 24: "q quit · 15:09:26", 16: "q quit"} {
		m.w = w
		assert.Equal(t, want, m.keysLine(true), "scrolling at %d columns", w)
	}
}

// The dashboard names the current phase in full, wrapped when it must
// be, where it shortens a long path in its middle.
func TestWatchNamesTheCurrentPhaseWhole(t *testing.T) {
	t.Parallel()
	v := blockedView()
	v.Current = steps.Validate
	frame := ansi.Strip(sizedWatch(t, v, 40, 40).View().Content)
	assert.Contains(t, frame, "\ncurrent phase 4, Validate features and\n        labels\n", frame)
	assert.Contains(t, frame, "catalog local cata…", "a path is still shortened in its middle")
}
