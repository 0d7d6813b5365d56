package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/cyclezero/cyclezero/ui"
)

// minWatchInterval keeps --watch from re-reading git and the session file
// in a busy loop.
const minWatchInterval = 200 * time.Millisecond

// watchMode is how `status --watch` shows its refreshes.
type watchMode struct {
	interval time.Duration
	plain    bool // reports as plain text, one after another
	asJSON   bool // one JSON document per line (NDJSON)
	announce bool // accessible mode: the report once, then only changes
}

// runStatusWatch resolves the session once (so every refresh reads the
// same one, and warnings about skipped sessions print before the display
// starts), then refreshes it until the user quits or interrupts. Like
// status it only reads: no lock is taken and nothing is written.
func runStatusWatch(ctx context.Context, std stdio, g *globalFlags, slug string, mode watchMode) error {
	ws, err := locate(ctx, g)
	if err != nil {
		return err
	}
	ws.headless = !std.interactive(g)
	named := slug != ""
	if slug, err = ws.pickSlug(slug, std.err); err != nil {
		return err
	}
	build := func(ctx context.Context) (statusReport, error) {
		rep, _, err := ws.status(ctx, slug)
		return rep, err
	}
	if mode.announce && !mode.asJSON {
		a := announcer{in: std.in, out: std.out, interval: mode.interval, now: time.Now, build: build}
		return a.run(ctx)
	}
	if mode.plain || mode.asJSON {
		loop := watchLoop{out: std.out, warn: std.err, interval: mode.interval, asJSON: mode.asJSON, now: time.Now,
			build: build}
		return loop.run(ctx)
	}
	m := ui.NewWatch(ui.WatchOptions{
		Interval: mode.interval,
		Env:      os.Environ(),
		Refresh: func(ctx context.Context) (ui.StatusView, error) {
			rep, states, err := ws.status(ctx, slug)
			return statusView(rep, states, g.command(statusArgs(slug, named)...)), err
		},
	})
	// A signal leaves the dashboard as ctrl+c does (see runLeaving).
	final, err := runLeaving(ctx, std, m, leaveGrace)
	switch {
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		return fmt.Errorf("run the status dashboard: %w", err)
	}
	if w, ok := final.(ui.Watch); ok && w.Interrupted() {
		return errInterrupted
	}
	return nil
}

// watchLoop prints a fresh report every interval until ctx ends: plain
// reports each under a timestamp line, or one JSON document per line. A
// failed refresh is reported on warn and the loop carries on.
type watchLoop struct {
	out, warn io.Writer
	interval  time.Duration
	asJSON    bool
	now       func() time.Time
	build     func(context.Context) (statusReport, error)
}

// run returns ctx's error when it ends (exit 130 for an interrupt), or the
// first error writing the output (a closed pipe ends the watch).
func (l watchLoop) run(ctx context.Context) error {
	return refreshEvery(ctx, l.interval, l.build, func(n int, rep statusReport, err error) error {
		if err != nil {
			fmt.Fprintf(l.warn, "cyclezero: refresh failed at %s: %v\n", l.now().Format(time.TimeOnly), err)
			return nil
		}
		if err := l.print(rep, n); err != nil {
			return fmt.Errorf("write the status: %w", err)
		}
		return nil
	})
}

// refreshEvery builds the report at once, then interval after each show,
// until ctx ends (returning its error; a build cut off by it is not
// shown) or show fails (returning show's error). n counts the refreshes.
func refreshEvery(ctx context.Context, interval time.Duration, build func(context.Context) (statusReport, error),
	show func(n int, rep statusReport, err error) error) error {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		}
		rep, err := build(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := show(n, rep, err); err != nil {
			return err
		}
		timer.Reset(interval)
	}
}

// print writes one report: a compact JSON line, or a timestamp line and
// the plain report (after a blank line from the second on).
func (l watchLoop) print(rep statusReport, n int) error {
	if l.asJSON {
		return json.NewEncoder(l.out).Encode(rep)
	}
	sep := fmt.Sprintf("--- updated %s ---\n", l.now().Format(time.DateTime))
	if n > 0 {
		sep = "\n" + sep
	}
	if _, err := io.WriteString(l.out, sep); err != nil {
		return err
	}
	return writePlainStatus(l.out, rep)
}
