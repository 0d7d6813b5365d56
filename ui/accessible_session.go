package ui

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// lineSession is the wizard in accessible mode: the selected phase as
// plain wrapped text, and a line prompt to move between phases. Like the
// wizard it saves the selected phase as the session's current one.
type lineSession struct {
	a            *lineUI
	sess         *state.Session // replaced, never mutated, once saved
	readOnly     bool
	states       []steps.PhaseState
	sel          int
	savedCurrent string
}

// sessionHelp lists the menu's commands.
var sessionHelp = "Type a phase number (1 to " + strconv.Itoa(len(steps.Phases)) + ") to read it, n for the next phase, p for the previous one, " +
	"s for the status of every phase, h for this help, q to quit."

// runSession shows sess until the user quits, the input ends or ctx is done.
func (a *lineUI) runSession(sess *state.Session, readOnly bool, reason string) {
	a.outcome.Slug = sess.Slug
	ls := &lineSession{a: a, sess: sess, readOnly: readOnly}
	fmt.Fprintln(a.out)
	a.sayf("Session %s, %s.", sess.Slug, DescribeCatalogInWords(sess.Catalog))
	if readOnly {
		if reason == "" {
			reason = "open in another cyclezero"
		}
		a.sayf("Read-only: this session is %s, so nothing you do here is saved.", reason)
	}
	ls.evaluate()
	// Opening at the resume phase is not the user's change: not saved.
	ls.sel = max(steps.Index(steps.OpenAt(ls.states, steps.PhaseID(sess.Current))), 0)
	ls.setCurrent()
	ls.savedCurrent = ls.sess.Current

	a.say(steps.Summary(ls.states) + ".")
	ls.list()
	a.say(sessionHelp)
	ls.show()
	ls.loop()
}

// evaluate judges the phases against the workspace as it is now; without
// a fingerprint they are judged from the session alone, as the wizard does
// until its fingerprint arrives.
func (ls *lineSession) evaluate() {
	var fp state.Fingerprint
	if fn := ls.a.o.Fingerprint; fn != nil {
		ctx, cancel := context.WithTimeout(ls.a.ctx, fingerprintTimeout)
		got, err := fn(ctx)
		cancel()
		if err != nil {
			ls.a.sayf("Could not check the %s for changes, so stale phases may not show: %v", ls.a.o.place(), err)
		} else {
			fp = got
		}
	}
	ls.states = steps.Evaluate(ls.sess, fp)
}

// loop reads commands until the user quits or the input stops.
func (ls *lineSession) loop() {
	a := ls.a
	for {
		fmt.Fprintf(a.out, "Phase %d of %d. Command (h for help): ", ls.sel+1, len(ls.states))
		line, ok := a.in.readLine()
		if !ok {
			fmt.Fprintln(a.out)
			a.stop()
			ls.save()
			return
		}
		cmd := strings.ToLower(strings.TrimSpace(line))
		switch cmd {
		case "q", "quit", "exit":
			a.outcome.Quit = true
			ls.save()
			return
		case "n", "next":
			ls.move(ls.sel+1, "This is the last phase.")
		case "p", "prev", "previous":
			ls.move(ls.sel-1, "This is the first phase.")
		case "s", "status":
			ls.list()
			a.say(steps.Summary(ls.states) + ". " + steps.NextAction(ls.states))
			fmt.Fprintln(a.out)
		case "", "h", "help", "?":
			a.say(sessionHelp)
		default:
			if !phaseNumber(cmd) {
				a.sayf("%s is not a command. %s", echoed(line), sessionHelp)
				continue
			}
			n, err := strconv.Atoi(cmd)
			if err != nil || n < 1 || n > len(ls.states) {
				a.sayf("There is no phase %s; phases are 1 to %d.", cutAnswer(cmd), len(ls.states))
				continue
			}
			ls.move(n-1, "")
		}
	}
}

// move selects phase i (0-based) and shows it, saving it as the current
// phase; at either end it says edge instead.
func (ls *lineSession) move(i int, edge string) {
	if i < 0 || i >= len(ls.states) {
		ls.a.say(edge)
		return
	}
	ls.sel = i
	ls.setCurrent()
	ls.show()
	ls.save()
}

// setCurrent records the selected phase in the session, copy-on-write.
func (ls *lineSession) setCurrent() {
	id := string(ls.states[ls.sel].Phase.ID)
	if ls.sess.Current == id {
		return
	}
	next := *ls.sess
	next.Current = id
	ls.sess = &next
}

// save persists a changed current phase (never for a read-only session);
// a failure is said and retried on the next change or on quitting.
func (ls *lineSession) save() {
	o := ls.a.o
	if ls.readOnly || o.Save == nil || ls.sess.Current == ls.savedCurrent {
		return
	}
	// Not bound to a.ctx: the save on the way out after ctrl+c must still
	// happen.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ls.a.ctx), saveTimeout)
	defer cancel()
	if err := o.Save(ctx, ls.sess); err != nil {
		ls.a.outcome.Err = err // cmd words the failure itself
		ls.a.sayf("Could not save the session: %v", err)
		return
	}
	ls.a.outcome.Err = nil
	ls.savedCurrent = ls.sess.Current
}

// list says every phase's status in words, one line each.
func (ls *lineSession) list() {
	ls.a.say("Phases:")
	for i, ps := range ls.states {
		// "(selected)" before the reason, which can end with a command.
		line := fmt.Sprintf("%d. %s", ps.Phase.Number, ps.Phase.Title)
		if i == ls.sel {
			line += " (selected)"
		}
		line += ": " + ps.Status.String()
		if why := reason(ps); why != "" {
			line += ", " + why
		}
		ls.a.say(line)
	}
}

// show prints the selected phase: the same content as the wizard's pane,
// as plain wrapped text with the status in words.
func (ls *lineSession) show() {
	a := ls.a
	ps := ls.states[ls.sel]
	p := ps.Phase
	fmt.Fprintln(a.out)
	a.sayf("Phase %d of %d, %s: %s.", p.Number, len(ls.states), p.Title, ps.Status)
	if why := reason(ps); why != "" {
		a.say("Why: " + Sentence(why))
	}
	if when := phaseWhen(ps, ls.sess.Phases[string(p.ID)], a.o.Now(), agoInWords); when != "" {
		a.say(strings.ToUpper(when[:1]) + when[1:] + ".")
	}
	for _, sec := range [][2]string{
		{"Purpose", p.Purpose}, {"What it writes", p.WritesFor(ls.sess.Slug)}, {"What it catches", p.Catches}, {"Gate to move on", p.Gate},
	} {
		a.say(sec[0] + ": " + Sentence(sec[1]))
	}
	fmt.Fprintln(a.out)
}

// reason is a phase's reason without the status it would repeat after
// "blocked" or "stale" (steps no longer starts a reason with it; this
// keeps older wording from reading twice).
func reason(ps steps.PhaseState) string {
	return strings.TrimPrefix(ps.Reason, ps.Status.String()+": ")
}
