package ui

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/cyclezero/cyclezero/state"
)

// fixedNow is the clock every test uses, so frames never depend on the time.
var fixedNow = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)

func nowFn() time.Time { return fixedNow }

// bounded reports whether ctx has a deadline no further than limit away:
// the UI gives every call of an Options function one, so a hung git, disk
// or server cannot keep it waiting forever.
func bounded(ctx context.Context, limit time.Duration) bool {
	d, ok := ctx.Deadline()
	return ok && time.Until(d) <= limit
}

// fixtureSession is a resumed session: Specify and Schema design done, the
// development dataset done but stale, validation begun.
func fixtureSession() *state.Session {
	at := func(d time.Duration) *time.Time { t := fixedNow.Add(-d); return &t }
	return &state.Session{
		SchemaVersion: state.SchemaVersion,
		Slug:          "cifar10-2layer-cnn",
		CreatedAt:     fixedNow.Add(-96 * time.Hour),
		UpdatedAt:     fixedNow.Add(-3 * time.Hour),
		Catalog:       state.CatalogLocation{Kind: state.CatalogERMrest, Host: "https://deriva.example.org", CatalogID: "1"},
		Current:       "validate",
		Phases: map[string]*state.PhaseRecord{
			"specify":     {StartedAt: at(96 * time.Hour), CompletedAt: at(90 * time.Hour), Approved: true},
			"schema":      {StartedAt: at(80 * time.Hour), CompletedAt: at(72 * time.Hour)},
			"dev-dataset": {StartedAt: at(50 * time.Hour), CompletedAt: at(48 * time.Hour), StaleReason: "the design doc changed after this phase was done"},
			"validate":    {StartedAt: at(3 * time.Hour)},
		},
	}
}

// Keys as the terminal sends them.
func keyRune(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

var (
	keyEnter    = tea.KeyPressMsg{Code: tea.KeyEnter}
	keyEsc      = tea.KeyPressMsg{Code: tea.KeyEscape}
	keyTab      = tea.KeyPressMsg{Code: tea.KeyTab}
	keyShiftTab = tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}
	keyDown     = tea.KeyPressMsg{Code: tea.KeyDown}
	keyCtrlC    = tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	keyCtrlU    = tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
)

// update feeds one message to m (a Model or a Watch), as bubbletea would.
func update[M tea.Model](t *testing.T, m M, msg tea.Msg) (M, tea.Cmd) {
	t.Helper()
	next, cmd := m.Update(msg)
	nm, ok := next.(M)
	if !ok {
		t.Fatalf("Update returned %T, want %T", next, m)
	}
	return nm, cmd
}

// press feeds keys one by one and ignores the commands they return.
func press(t *testing.T, m Model, keys ...tea.KeyPressMsg) Model {
	t.Helper()
	for _, k := range keys {
		m, _ = update(t, m, k)
	}
	return m
}

// plainView is the rendered frame without ANSI styles.
func plainView(m Model) string { return ansi.Strip(m.View().Content) }

// driver runs a Model the way bubbletea does, without a terminal: it feeds
// messages, runs the commands Update returns in goroutines and feeds their
// messages back until none is outstanding. The one command it never runs is
// a text cursor's blink timer, which only answers after half a second and
// forever re-arms; it is recognised by its function's name.
type driver struct {
	t           *testing.T
	m           Model
	results     chan tea.Msg
	outstanding int // messages still to come from launched commands
	quit        bool
}

// settleTimeout bounds the wait for one command; reaching it is a failure
// (a command that blocks), never a timing assertion.
const settleTimeout = 10 * time.Second

func newDriver(t *testing.T, m Model) *driver {
	d := &driver{t: t, m: m, results: make(chan tea.Msg, 1024)}
	d.feed(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.launch(m.Init())
	d.settle()
	return d
}

// send feeds msgs (keys, typically) one at a time, each followed by every
// message its commands produce.
func (d *driver) send(msgs ...tea.Msg) {
	d.t.Helper()
	for _, msg := range msgs {
		d.feed(msg)
		d.settle()
	}
}

// typeText types s one rune at a time.
func (d *driver) typeText(s string) {
	d.t.Helper()
	for _, r := range s {
		d.send(keyRune(r))
	}
}

func (d *driver) feed(msg tea.Msg) {
	d.t.Helper()
	if d.quit {
		return
	}
	var cmd tea.Cmd
	d.m, cmd = update(d.t, d.m, msg)
	d.launch(cmd)
}

func (d *driver) launch(cmd tea.Cmd) {
	if cmd == nil || isBlink(cmd) {
		return
	}
	d.outstanding++
	go func() { d.results <- cmd() }()
}

func (d *driver) settle() {
	d.t.Helper()
	for d.outstanding > 0 {
		select {
		case msg := <-d.results:
			d.outstanding--
			d.handle(msg)
		case <-time.After(settleTimeout):
			d.t.Fatalf("a command did not answer within %s", settleTimeout)
		}
	}
}

// settleUntil is settle for a command that blocks until a later message
// (a Create waiting on its context): it handles messages until ready is
// closed and that one command alone is still to answer.
func (d *driver) settleUntil(ready <-chan struct{}) {
	d.t.Helper()
	started := false
	for !started || d.outstanding > 1 {
		select {
		case msg := <-d.results:
			d.outstanding--
			d.handle(msg)
		case <-ready:
			started, ready = true, nil // a nil channel is never ready again
		case <-time.After(settleTimeout):
			d.t.Fatalf("a command did not answer within %s", settleTimeout)
		}
	}
}

// handle expands batches and sequences the way the bubbletea runtime does.
func (d *driver) handle(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil:
	case tea.QuitMsg:
		d.quit = true
	case tea.BatchMsg:
		for _, c := range msg {
			d.launch(c)
		}
	default:
		if cmds, ok := sequence(msg); ok {
			for _, c := range cmds { // in order: each one's messages first
				d.launch(c)
				d.settle()
			}
			return
		}
		d.feed(msg)
	}
}

// isBlink recognises bubbles' cursor blink timer.
func isBlink(cmd tea.Cmd) bool {
	fn := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer())
	return fn != nil && strings.Contains(fn.Name(), "/cursor.(*Model).Blink")
}

// sequence unwraps tea.Sequence's unexported message type, a []tea.Cmd.
func sequence(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeFor[tea.Cmd]() {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i] = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}

// view is the driver's current frame without styles.
func (d *driver) view() string { return plainView(d.m) }

// requireFrameFits fails unless the frame is exactly h lines of at most w cells.
func requireFrameFits(t *testing.T, m Model, w, h int) {
	t.Helper()
	content := m.View().Content
	if w <= 0 || h <= 0 {
		if content != "" {
			t.Fatalf("%dx%d: want an empty frame, got %q", w, h, content)
		}
		return
	}
	lines := strings.Split(content, "\n")
	if len(lines) != h {
		t.Fatalf("%dx%d: frame has %d lines, want %d:\n%s", w, h, len(lines), h, ansi.Strip(content))
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got > w {
			t.Fatalf("%dx%d: line %d is %d cells wide: %q", w, h, i, got, ansi.Strip(l))
		}
	}
}

// More assertion helpers; label formats their optional messages.

// quits fails unless cmd is non-nil and produces tea.QuitMsg.
func quits(t *testing.T, cmd tea.Cmd, msg ...any) {
	t.Helper()
	if cmd == nil {
		t.Fatalf("%swant a quit command, got nil", label(msg))
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatalf("%swant tea.QuitMsg", label(msg))
	}
}

func label(msg []any) string {
	if len(msg) == 0 {
		return ""
	}
	if f, ok := msg[0].(string); ok {
		return fmt.Sprintf(f, msg[1:]...) + ": "
	}
	return fmt.Sprint(msg...) + ": "
}
