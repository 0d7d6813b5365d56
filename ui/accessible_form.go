package ui

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"charm.land/huh/v2"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// newSession is the new-session form as line prompts: where the catalog
// is (a numbered choice), then huh's accessible prompts for the server's
// host and catalog id when it is a server, and the slug. Each field says
// what it wants first, and what pressing enter keeps. A bad answer is
// refused with the reason and asked again; a failed Create says why and
// asks everything again with the answers kept. With Options.Catalog the
// catalog is said, not asked: only the slug is.
func (a *lineUI) newSession(taken map[string]bool) (*state.Session, bool) {
	ans := &formAnswers{Kind: state.CatalogLocal, Slug: usableSuggestion(a.o.SuggestedSlug, taken), Fixed: a.o.Catalog}
	if ans.Fixed != nil {
		a.sayf("New session. Catalog: %s, as the command line chose. Type the model's slug, then press enter; ctrl+c quits.",
			DescribeCatalogInWords(*ans.Fixed))
	} else {
		a.say("New session. Answer each question, then press enter; ctrl+c quits.")
	}
	for {
		if (ans.Fixed == nil && !a.askCatalog(ans)) || !a.askSlug(ans, taken) {
			return nil, false
		}
		ns := ans.newSession()
		a.say(creatingInWords(ns))
		s, err := a.create(ns)
		if err == nil {
			a.sayf("Created session %s. Catalog: %s.", s.Slug, DescribeCatalogInWords(s.Catalog))
			return s, true
		}
		if a.ctx.Err() != nil {
			// ctrl+c while creating: the user stopped it, nothing to
			// report. The terminal echoed ^C after the last line: a line
			// break, so what cmd says next is not on the ^C's line.
			fmt.Fprintln(a.out)
			return nil, false
		}
		if errors.Is(err, state.ErrExists) {
			taken[ns.Slug] = true
		}
		fix := createFix(err)
		if ans.Fixed != nil && blame(err, ans.Fixed.Kind) != keySlug {
			err = fixedCatalogError(err, a.o.Command)
		}
		a.sayf("Could not create the session: %v", withFix(err, fix, ans.Fixed == nil))
		a.say("Answer again; press enter to keep an earlier answer.")
		fmt.Fprintln(a.out)
	}
}

// creatingInWords says what a create waits for: a server that accepts
// the connection but never answers takes the client's whole read budget
// (see createTimeout) to give up on, so the wait is named, and how to
// stop it.
func creatingInWords(ns NewSession) string {
	if ns.Catalog.Kind == state.CatalogERMrest {
		return fmt.Sprintf("Creating session %s: contacting %s for catalog %s; ctrl+c quits.",
			ns.Slug, ns.Catalog.Host, ns.Catalog.CatalogID)
	}
	return fmt.Sprintf("Creating session %s and preparing its embedded catalog; ctrl+c quits.", ns.Slug)
}

// create calls Options.Create.
func (a *lineUI) create(ns NewSession) (*state.Session, error) {
	if a.o.Create == nil {
		return nil, errors.New("creating sessions is not available here")
	}
	ctx, cancel := context.WithTimeout(a.ctx, createTimeout)
	defer cancel()
	s, err := a.o.Create(ctx, ns)
	if err == nil && s == nil {
		err = errors.New("no session came back")
	}
	return s, err
}

// askCatalog asks where the catalog is and, for a server, its host and id.
func (a *lineUI) askCatalog(ans *formAnswers) bool {
	a.say(kindDesc)
	kinds := []state.CatalogKind{state.CatalogLocal, state.CatalogERMrest}
	def := 0
	if ans.Kind == state.CatalogERMrest {
		def = 1
	}
	i, ok := a.askNumber(fmt.Sprintf("Where is the catalog? (enter for %d):", def+1),
		[]string{"Embedded local catalog (offline)", "A Deriva server"}, def, nil)
	if !ok {
		return false
	}
	if ans.Kind = kinds[i]; ans.Kind != state.CatalogERMrest {
		return true
	}
	a.say(hostDesc)
	if !a.askTyped("Deriva host", &ans.Host, checkHost) {
		return false
	}
	a.say(catalogDesc)
	return a.askTyped("Catalog id", &ans.CatalogID, steps.ValidateCatalogID)
}

// askSlug asks for the model's slug, refusing one a session already uses.
func (a *lineUI) askSlug(ans *formAnswers, taken map[string]bool) bool {
	a.say(slugDesc)
	return a.askTyped("Model slug", &ans.Slug, func(s string) error {
		return checkNewSlug(s, taken, func(s string) error { return takenError(s, a.o.Sessions, a.o.Command) })
	})
}

// askTyped asks for one typed answer, kept in *answer only when accepted.
// q (or quit, exit) leaves, as at the numbered questions: a user who just
// read "or q to quit" there would otherwise get a host, catalog or session
// named q. An answer longer than maxAnswerBytes is refused before check
// sees it (no host, catalog id or slug is that long).
//
// huh's prompt can return without asking the validator (a line it could
// not read, see maxLineBytes): its value is then the default, which nobody
// accepted. So the answer is kept only when the validator's last verdict
// accepted that very answer; otherwise the question is asked again.
func (a *lineUI) askTyped(title string, answer *string, check func(string) error) bool {
	for {
		typed := *answer
		var judged struct {
			value string // what the last validated answer amounts to
			ok    bool
		}
		def := strings.TrimSpace(*answer)
		in := lineInput(title, *answer, ", or q to quit", &typed, func(s string) error {
			judged.value, judged.ok = cmp.Or(strings.TrimSpace(s), def), false
			if QuitWord(s) {
				judged.ok = true
				return nil
			}
			if len(s) > maxAnswerBytes {
				return fmt.Errorf("that answer is over %d characters; no answer here is that long", maxAnswerBytes)
			}
			if err := check(s); err != nil {
				return err
			}
			judged.ok = true
			return nil
		})
		if !a.runForm(huh.NewForm(huh.NewGroup(in))) || QuitWord(typed) {
			return false
		}
		if !judged.ok || judged.value != strings.TrimSpace(typed) {
			a.say("Not accepted: that answer could not be read.\nTry again.")
			continue
		}
		*answer = typed
		return true
	}
}

// maxAnswerBytes is the longest typed answer accessible mode accepts:
// longer than any host, catalog id or slug, shorter than maxLineBytes, so
// a line cut there is always refused.
const maxAnswerBytes = 1024

// QuitWord reports whether an answer is q, quit or exit: leaving, at every
// accessible prompt (and in cmd's accessible status --watch).
func QuitWord(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "q", "quit", "exit":
		return true
	}
	return false
}

// lineInput is a huh input for accessible mode. Its title shows what
// enter keeps, since huh's line prompt does not, then more (such as how to
// quit); an empty answer is judged as that default, because huh validates
// what was typed before falling back to it; and a refusal reads as one
// ("Not accepted: …"), with "Try again." on a line of its own: a refusal
// can end with a command ("… or quit and run: cyclezero resume X"), which
// must stay pasteable.
func lineInput(title, def, more string, value *string, check func(string) error) *huh.Input {
	if def = strings.TrimSpace(def); def != "" {
		title += " (enter for " + def + ")"
	}
	return huh.NewInput().Title(title + more + ":").Value(value).Validate(func(s string) error {
		if strings.TrimSpace(s) == "" && def != "" {
			s = def
		}
		if err := check(s); err != nil {
			return fmt.Errorf("Not accepted: %w\nTry again.", err) //nolint:staticcheck // a sentence for the user
		}
		return nil
	})
}
