package ui

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"charm.land/huh/v2"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// RunAccessible is accessible mode (`--accessible`, ACCESSIBLE=1): the
// same journey as running New(o) in bubbletea — the picker, the
// new-session form, then the session's phases — as plain lines on out,
// read from in with line prompts. Nothing redraws, nothing is said by a
// glyph or a colour alone, and there is no spinner, so it reads well with
// a screen reader and in any terminal, or none: in and out may be pipes.
// Typed answers are huh's accessible prompts; numbered choices are our own
// (see askNumber).
//
// Unlike the bubbletea model it calls the Options functions directly (it
// has no Update to keep free of I/O). It returns when the user quits, the
// input ends, or ctx is done (ctrl+c: Outcome.Interrupted); cmd prints the
// next step from the Outcome, as after the full-screen wizard.
func RunAccessible(ctx context.Context, in io.Reader, out io.Writer, o Options) Outcome {
	o = o.withDefaults()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the input goroutine at its next line
	a := &lineUI{ctx: ctx, in: newLineReader(ctx, in), out: out, o: o, width: o.Width}
	if f := strings.Fields(o.Command()); len(f) > 0 {
		a.program = f[0]
	}
	if a.width <= 0 {
		a.width = defaultLineWidth
	}
	sess, ro, reason := o.Session, o.ReadOnly, o.ReadOnlyReason
	if sess == nil {
		var ok bool
		if sess, ro, reason, ok = a.choose(); !ok {
			a.stop()
			return a.outcome
		}
	}
	a.runSession(sess, ro, reason)
	return a.outcome
}

// defaultLineWidth is where accessible text wraps when no width is known.
const defaultLineWidth = 80

// lineUI is one accessible-mode run: its input, output and what it ends with.
type lineUI struct {
	ctx     context.Context
	in      *lineReader
	out     io.Writer
	o       Options
	width   int
	program string // the first word of o.Command(): how a command starts
	outcome Outcome
}

// say prints text wrapped to the width, then a line break: never inside a
// word, and each command it gives as a fix on a line of its own, unwrapped
// (see plainLines).
func (a *lineUI) say(text string) {
	fmt.Fprintln(a.out, strings.Join(plainLines(text, a.width, a.program), "\n"))
}

// sayf is say with formatting.
func (a *lineUI) sayf(format string, args ...any) { a.say(fmt.Sprintf(format, args...)) }

// stop records how a run ended early: ctrl+c, or the input ran out.
func (a *lineUI) stop() {
	a.outcome.Quit = true
	if a.in.interrupted() {
		a.outcome.Interrupted = true
	}
}

// runForm runs f as huh's accessible prompts on our input and output;
// false when the input ended or ctrl+c was pressed meanwhile.
func (a *lineUI) runForm(f *huh.Form) bool {
	f = f.WithAccessible(true).WithInput(a.in).WithOutput(a.out).
		WithTheme(huh.ThemeFunc(huh.ThemeBase)) // no colour codes in plain lines
	err := f.RunWithContext(a.ctx)
	if err != nil && !a.in.stopped() {
		a.sayf("The form failed: %v", err) // nothing after an error: it can end with a command
		return false
	}
	return !a.in.stopped()
}

// choose offers the sessions (unless o.StartNew or there are none), then
// the new-session form; it returns the session to open, or false when the
// user stopped.
func (a *lineUI) choose() (*state.Session, bool, string, bool) {
	taken := map[string]bool{}
	for _, s := range a.o.Sessions {
		taken[s.Slug] = true
	}
	if len(a.o.Sessions) > 0 && !a.o.StartNew {
		told := map[string]bool{} // damaged sessions whose fix was said
		for round := 0; ; round++ {
			i, ok := a.pick(round, told)
			if !ok {
				return nil, false, "", false
			}
			if i == len(a.o.Sessions) {
				break // start a new one
			}
			if s, ro, reason, ok := a.open(a.o.Sessions[i].Slug); ok {
				return s, ro, reason, true
			}
		}
	}
	s, ok := a.newSession(taken)
	return s, false, "", ok
}

// pick is the picker as a numbered list: the sessions, then "Start a new
// session"; it returns the index chosen (len(Sessions) for a new one), or
// false when the user quit (q, as in the session's menu) or the input
// stopped. Enter picks the first session that can be opened, as the
// full-screen picker does. A session that cannot be opened is refused with
// its fix, said in full once (told) and briefly after; round 0 also says
// what the list is and how to leave it.
func (a *lineUI) pick(round int, told map[string]bool) (int, bool) {
	labels := make([]string, 0, len(a.o.Sessions)+1)
	for _, c := range a.o.Sessions {
		labels = append(labels, a.choiceLabel(c))
	}
	if c := a.o.Catalog; c != nil {
		labels = append(labels, "Start a new session; "+DescribeCatalogInWords(*c))
	} else {
		labels = append(labels, "Start a new session")
	}
	def := firstUsable(a.o.Sessions)
	if round == 0 {
		a.sayf("Sessions in this %s: %d. Open one to resume it, or start a new one; q quits.", a.o.place(), len(a.o.Sessions))
	}
	return a.askNumber(fmt.Sprintf("Choose a session (enter for %d):", def+1), labels, def,
		func(i int) string { return a.refusal(i, told) })
}

// askNumber says title and labels as a numbered list, then reads answers
// until one is taken: a number, enter for def (0-based), or q to quit.
// refuse, when not nil, says why a choice cannot be taken ("" takes it).
// It returns the index chosen, or false when the user quit or the input
// stopped.
//
// It is our own line prompt rather than huh's accessible select, which
// takes only numbers (q would be refused as "Invalid") and panics when the
// input ends after an answer it refused.
func (a *lineUI) askNumber(title string, labels []string, def int, refuse func(int) string) (int, bool) {
	a.say(title)
	for i, l := range labels {
		a.sayf("%d. %s", i+1, l)
	}
	n := len(labels)
	for {
		fmt.Fprintf(a.out, "Type a number from 1 to %d, or q to quit: ", n)
		line, ok := a.in.readLine()
		if !ok {
			fmt.Fprintln(a.out)
			return 0, false
		}
		answer := strings.ToLower(strings.TrimSpace(line))
		i := def
		switch {
		case QuitWord(answer):
			return 0, false
		case answer == "":
		default:
			v, err := strconv.Atoi(answer)
			if err != nil || v < 1 || v > n {
				a.sayf("Not accepted: %s is not a number from 1 to %d. Try again, or type q to quit.", echoed(line), n)
				continue
			}
			i = v - 1
		}
		if refuse != nil {
			if msg := refuse(i); msg != "" {
				a.say(msg)
				continue
			}
		}
		return i, true
	}
}

// refusal is why choice i cannot be taken ("" when it can): a session
// that cannot be opened, with its fix the first time (told records it).
func (a *lineUI) refusal(i int, told map[string]bool) string {
	if i >= len(a.o.Sessions) || a.o.Sessions[i].Problem == "" {
		return ""
	}
	c := a.o.Sessions[i]
	if told[c.Slug] {
		return c.Slug + " cannot be opened as it is; its fix is above. Choose another."
	}
	told[c.Slug] = true
	// The problem can end with the command that fixes it: nothing is
	// put after it on its line, or pasting it would run something else.
	return fmt.Sprintf("%s cannot be opened as it is: %s\nChoose another.", c.Slug, c.Problem)
}

// choiceLabel describes a session in one line of words. A session that
// cannot be opened says only that (its phase and time would come from a
// file that cannot be read); its fix is said when it is picked.
func (a *lineUI) choiceLabel(c SessionChoice) string {
	parts := []string{c.Slug}
	if c.Problem != "" {
		return c.Slug + "; " + brokenWord(c) + ", cannot be opened as it is"
	}
	if ph, ok := steps.PhaseByID(steps.PhaseID(c.Current)); ok {
		parts = append(parts, "on "+ph.Label())
	} else {
		parts = append(parts, "not started")
	}
	if !c.UpdatedAt.IsZero() {
		parts = append(parts, "updated "+agoInWords(a.o.Now(), c.UpdatedAt))
	}
	if c.Catalog.Kind != "" {
		parts = append(parts, DescribeCatalogInWords(c.Catalog))
	}
	if c.InUse != "" {
		parts = append(parts, c.InUse+", opens read-only")
	}
	return strings.Join(parts, "; ")
}

// open opens slug through Options.Open, saying what went wrong if it fails.
func (a *lineUI) open(slug string) (*state.Session, bool, string, bool) {
	if a.o.Open == nil {
		a.say("Opening sessions is not available here.")
		return nil, false, "", false
	}
	a.sayf("Opening %s.", slug)
	ctx, cancel := context.WithTimeout(a.ctx, openTimeout)
	defer cancel()
	s, ro, reason, err := a.o.Open(ctx, slug)
	switch {
	case err != nil:
		a.sayf("Could not open %s: %v", slug, err)
		return nil, false, "", false
	case s == nil:
		a.sayf("Could not open %s: no session came back.", slug)
		return nil, false, "", false
	}
	return s, ro, reason, true
}
