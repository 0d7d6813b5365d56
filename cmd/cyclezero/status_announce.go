package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cyclezero/cyclezero/ui"
)

// announcer is `status --watch` in accessible mode: the report once, then
// a line for each thing that changed since the last one ("15:04:05 phase
// 3 Development dataset: changed from not started to in progress"), and
// nothing when nothing did, so a screen reader is not made to read the
// table again every interval. A failed refresh is said once until it works again.
// A line q (or quit, or exit) on in stops it, as q does the dashboard, and
// so does ctrl+d when in is a terminal.
type announcer struct {
	// in is read for a line that stops the watch; nil reads nothing.
	in io.Reader
	// inTerminal reports whether in is a terminal, where its end is the
	// user pressing ctrl+d to leave; nil asks in itself (isTTY).
	inTerminal func() bool
	out        io.Writer
	// width is where the prose wraps, as the rest of accessible mode
	// wraps it (a terminal cutting "are" into "ar" and "e" is read out
	// so); 0 asks out (terminalWidth), which leaves each line whole when
	// out is not a terminal, so a script gets one line per event.
	width int
	// program is the first word of cyclezero's commands, which keeps a
	// command it gives ("…: cz resume x") whole; "" asks program(), once
	// when run starts (it cannot change while cyclezero runs).
	program  string
	interval time.Duration
	now      func() time.Time
	build    func(context.Context) (statusReport, error)
	lastErr  string
	prev     *statusReport
}

// errQuit is why the watch's context ends when the user typed q.
var errQuit = errors.New("the user typed q")

// run announces until the user types q or ctrl+d (returning nil) or ctx ends
// (returning its error: exit 130 for ctrl+c, 143 for SIGTERM), or the
// first error writing the output. Either way it stops it says "Stopped
// watching.".
func (a *announcer) run(ctx context.Context) error {
	if a.program == "" {
		a.program = programWord()
	}
	if err := a.println(fmt.Sprintf("Watching for changes %s; only changes are announced. "+
		"Type q and enter, or press ctrl+c, to stop.\n", ui.EveryInWords(a.interval))); err != nil {
		return fmt.Errorf("write the status: %w", err)
	}
	watch, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	if a.in != nil {
		go readQuit(a.in, a.stopsAtEnd(), stop)
	}
	err := refreshEvery(watch, a.interval, a.build, func(_ int, rep statusReport, err error) error {
		if err := a.say(rep, err); err != nil {
			return fmt.Errorf("write the status: %w", err)
		}
		return nil
	})
	switch {
	case ctx.Err() != nil:
		// ctrl+c (or SIGTERM): the terminal echoed ^C after the last
		// line, so the line break first keeps the shell's prompt, and
		// this, off it. It is said as q says it; the exit code still
		// says interrupted, and a failed write cannot change that.
		if _, werr := io.WriteString(a.out, "\n"); werr == nil {
			_ = a.println("Stopped watching.")
		}
		return err
	case errors.Is(context.Cause(watch), errQuit):
		if err := a.println("Stopped watching."); err != nil {
			return fmt.Errorf("write the status: %w", err)
		}
		return nil
	}
	return err
}

// stopsAtEnd reports whether the end of a.in stops the watch: only when
// it is a terminal, where it ends because the user pressed ctrl+d, as
// ctrl+d leaves the accessible picker and session.
func (a *announcer) stopsAtEnd() bool {
	if a.inTerminal != nil {
		return a.inTerminal()
	}
	return isTTY(a.in)
}

// readQuit reads in line by line and stops the watch at a line q, quit or
// exit (any case, spaces around ignored). Other lines are ignored. The
// end of in stops it too when atEnd is set (a terminal's ctrl+d, which is
// its first end: reading on would never see the q typed after it); else
// the end is ignored, so a watch run with </dev/null in a script keeps
// going until it is interrupted. The goroutine ends with in, or with the
// process when in is a terminal nobody types q in.
func readQuit(in io.Reader, atEnd bool, stop context.CancelCauseFunc) {
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		if ui.QuitWord(sc.Text()) {
			stop(errQuit)
			return
		}
	}
	if atEnd {
		stop(errQuit)
	}
}

// say reports one refresh: the whole report the first time, then what
// changed, or the failure when it is a new one.
func (a *announcer) say(rep statusReport, err error) error {
	at := a.now().Format(time.TimeOnly)
	var lines []string
	switch {
	case err != nil:
		if msg := err.Error(); msg != a.lastErr {
			a.lastErr = msg
			// The failure last: it can end with the command that fixes
			// it ("restore it with: cp A B"), pasteable only when nothing
			// follows it.
			lines = append(lines, fmt.Sprintf("%s refresh failed, still trying %s: %s", at, ui.EveryInWords(a.interval), msg))
		}
	case a.prev == nil:
		a.lastErr = ""
		a.prev = &rep
		w, program := a.layout()
		return writePlainStatusWrapped(a.out, rep, w, program)
	default:
		if a.lastErr != "" {
			a.lastErr = ""
			lines = append(lines, at+" refresh works again.")
		}
		lines = append(lines, statusChanges(*a.prev, rep, at)...)
		a.prev = &rep
	}
	for _, l := range lines {
		if err := a.println(l); err != nil {
			return err
		}
	}
	return nil
}

// println writes text and a line break, wrapped as accessible mode wraps
// it when out is a terminal (see width).
func (a *announcer) println(text string) error {
	w, program := a.layout()
	_, err := io.WriteString(a.out, strings.Join(wrapPlain(text, w, program), "\n")+"\n")
	return err
}

// layout is the width the prose wraps at (0: not at all) and the program
// word commands start with (set by run). The terminal's width is asked on
// every line, not once: a watch runs for hours, and a resized terminal
// should wrap the next line to its new width.
func (a *announcer) layout() (width int, program string) {
	width = a.width
	if width == 0 {
		width = terminalWidth(a.out)
	}
	return width, a.program
}

// statusChanges says, one line each, how cur differs from prev: the
// session moving to another phase (resume, or a wizard in another
// terminal), a phase whose status or reason changed, another cyclezero
// opening or leaving the session, and a new next step (said as steps
// words it).
func statusChanges(prev, cur statusReport, at string) []string {
	before := map[string]statusPhase{}
	for _, p := range prev.Phases {
		before[p.ID] = p
	}
	var out []string
	if now := cur.currentPhase(); now != "" && now != prev.currentPhase() {
		out = append(out, fmt.Sprintf("%s %s, is now the current phase.", at, now))
	}
	for _, p := range cur.Phases {
		old, ok := before[p.ID]
		switch {
		case !ok:
			continue
		case old.Status != p.Status:
			line := fmt.Sprintf("%s phase %d %s: changed from %s to %s", at, p.Number, p.Title, old.Status, p.Status)
			if p.Reason != "" {
				line += "; " + p.Reason
			}
			// ui.Sentence: no full stop after a reason ending with a command.
			out = append(out, ui.Sentence(line))
		case old.Reason != p.Reason && p.Reason != "":
			out = append(out, ui.Sentence(fmt.Sprintf("%s phase %d %s: still %s; %s", at, p.Number, p.Title, p.Status, p.Reason)))
		}
	}
	switch {
	case cur.InUse == prev.InUse:
	case cur.InUse != "":
		out = append(out, fmt.Sprintf("%s the session is now %s.", at, cur.InUse))
	default:
		out = append(out, at+" no other cyclezero has the session open now.")
	}
	if cur.Next != prev.Next {
		// Next is already a sentence ("Next: …", "Continue …", "Redo …"):
		// no label of our own, which would say "next" twice.
		out = append(out, at+" "+cur.Next)
	}
	return out
}
