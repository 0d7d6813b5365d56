package ui

import (
	"errors"
	"testing"

	"github.com/cyclezero/cyclezero/state"
)

// createRecorder is an Options.Create that records its calls and fails
// while err is set.
type createRecorder struct {
	calls []NewSession
	err   error
}

func (c *createRecorder) create(ns NewSession) (*state.Session, error) {
	c.calls = append(c.calls, ns)
	if c.err != nil {
		return nil, c.err
	}
	return &state.Session{Slug: ns.Slug, Catalog: ns.Catalog}, nil
}

func formDriver(t *testing.T, c *createRecorder) *driver {
	t.Helper()
	d := newDriver(t, New(Options{Now: nowFn, Create: c.create}))
	mustEq(t, screenForm, d.m.screen)
	return d
}

func TestFormLocalCatalogSkipsServerFieldsAndCreates(t *testing.T) {
	t.Parallel()
	c := &createRecorder{}
	d := formDriver(t, c)
	v := d.view()
	has(t, v, "Where is the catalog?")
	has(t, v, "Embedded local catalog (offline, default)")
	has(t, v, "step 1 of 2")
	d.send(keyEnter) // keep the default: local
	v = d.view()
	has(t, v, "Model slug")
	hasNot(t, v, "Deriva host", "server fields only when a server is chosen")
	has(t, v, "step 2 of 2")
	d.typeText("cifar10-2layer-cnn")
	d.feed(keyEnter)
	eq(t, 0, len(c.calls), "Update itself never calls Create")
	d.settle() // the returned commands do

	mustEq(t, []NewSession{{Slug: "cifar10-2layer-cnn", Catalog: state.CatalogLocation{Kind: state.CatalogLocal}}}, c.calls)
	mustEq(t, screenWizard, d.m.screen, "the wizard opens")
	eq(t, "specify", string(d.m.wiz.current()), "at phase 1")
	eq(t, "cifar10-2layer-cnn", d.m.Outcome().Slug)
	has(t, d.view(), "Phase 1 of 8 · Specify")
	has(t, d.view(), "cifar10-2layer-cnn · local catalog")
}

func TestFormServerFieldsAreValidated(t *testing.T) {
	t.Parallel()
	c := &createRecorder{}
	d := formDriver(t, c)
	d.send(keyRune('j'), keyEnter) // A Deriva server
	v := d.view()
	has(t, v, "Deriva host")
	has(t, v, "Catalog id")
	has(t, v, "step 2 of 3")

	d.typeText("http://example.org/ermrest")
	d.send(keyEnter)
	has(t, d.view(), "has a path", "a bad host is refused with the reason")
	d.send(keyCtrlU)
	d.typeText("http://example.org")
	d.send(keyEnter)
	has(t, d.view(), "plain http:// is only allowed for a local")
	d.send(keyCtrlU)
	d.typeText("deriva.example.org")
	d.send(keyEnter)
	d.send(keyEnter) // empty catalog id
	has(t, d.view(), "catalog id is empty")
	d.typeText("cat/1")
	d.send(keyEnter)
	has(t, d.view(), "is not allowed")
	d.send(keyCtrlU)
	d.typeText("1")
	d.send(keyEnter)
	v = d.view()
	has(t, v, "Model slug")
	has(t, v, "step 3 of 3")

	d.typeText("CIFAR")
	d.send(keyEnter)
	has(t, d.view(), "no upper-case letters")
	eq(t, 0, len(c.calls), "nothing is created from invalid answers")
	d.send(keyCtrlU)
	d.typeText("../escape")
	d.send(keyEnter)
	has(t, d.view(), "no dots")
	d.send(keyCtrlU)
	d.typeText("cifar10-2layer-cnn")
	d.send(keyEnter)

	mustEq(t, []NewSession{{
		Slug:    "cifar10-2layer-cnn",
		Catalog: state.CatalogLocation{Kind: state.CatalogERMrest, Host: "https://deriva.example.org", CatalogID: "1"},
	}}, c.calls)
	mustEq(t, screenWizard, d.m.screen)
	has(t, d.view(), "https://deriva.example.org · catalog 1")
}

func TestFormShiftTabGoesBack(t *testing.T) {
	t.Parallel()
	d := formDriver(t, &createRecorder{})
	d.send(keyRune('j'), keyEnter)
	d.typeText("deriva.example.org")
	d.send(keyEnter)
	d.typeText("7")
	d.send(keyShiftTab, keyShiftTab) // catalog → host → the select
	v := d.view()
	has(t, v, "Where is the catalog?")
	has(t, v, "step 1 of 3")
	d.send(keyEnter)
	v = d.view()
	has(t, v, "deriva.example.org", "going back loses nothing")
	has(t, v, "7")
}

func TestFormCreateErrorKeepsAnswers(t *testing.T) {
	t.Parallel()
	c := &createRecorder{err: errors.New("cannot reach https://deriva.example.org: connection refused")}
	d := formDriver(t, c)
	d.send(keyRune('j'), keyEnter)
	d.typeText("deriva.example.org")
	d.send(keyEnter)
	d.typeText("1")
	d.send(keyEnter)
	d.typeText("my-model")
	d.send(keyEnter)

	mustEq(t, 1, len(c.calls))
	mustEq(t, screenForm, d.m.screen, "a failed Create stays on the form")
	v := d.view()
	has(t, v, "could not create the session: cannot reach https://deriva.example.org")
	has(t, v, "Your answers are kept")
	has(t, v, "> A Deriva server", "the choice is kept")

	// Submitting again, unchanged, sends the same answers.
	c.err = nil
	d.send(keyEnter)
	has(t, d.view(), "deriva.example.org")
	d.send(keyEnter, keyEnter, keyEnter)
	mustEq(t, 2, len(c.calls))
	eq(t, c.calls[0], c.calls[1])
	mustEq(t, screenWizard, d.m.screen)
}

func TestFormKeysAreTextNotCommands(t *testing.T) {
	t.Parallel()
	d := formDriver(t, &createRecorder{})
	d.send(keyEnter)
	d.typeText("q?jk")
	truth(t, !d.quit, "q in a text field does not quit")
	has(t, d.view(), "q?jk")
	d.send(keyCtrlC)
	truth(t, d.quit, "ctrl+c quits from the form")
	eq(t, Outcome{Quit: true}, d.m.Outcome())
}

func TestFormWithoutCreateSaysSo(t *testing.T) {
	t.Parallel()
	d := newDriver(t, New(Options{Now: nowFn}))
	d.send(keyEnter)
	d.typeText("a-model")
	d.send(keyEnter)
	eq(t, screenForm, d.m.screen)
	has(t, d.view(), "creating sessions is not available here")
}
