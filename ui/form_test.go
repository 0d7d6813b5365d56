package ui

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	require.Equal(t, screenForm, d.m.screen)
	return d
}

func TestFormLocalCatalogSkipsServerFieldsAndCreates(t *testing.T) {
	t.Parallel()
	c := &createRecorder{}
	d := formDriver(t, c)
	v := d.view()
	assert.Contains(t, v, "Where is the catalog?")
	assert.Contains(t, v, "Embedded local catalog (offline, default)")
	assert.Contains(t, v, "step 1 of 2")
	d.send(keyEnter) // keep the default: local
	v = d.view()
	assert.Contains(t, v, "Model slug")
	assert.NotContains(t, v, "Deriva host", "server fields only when a server is chosen")
	assert.Contains(t, v, "step 2 of 2")
	d.typeText("cifar10-2layer-cnn")
	d.feed(keyEnter)
	assert.Empty(t, c.calls, "Update itself never calls Create")
	d.settle() // the returned commands do

	require.Equal(t, []NewSession{{Slug: "cifar10-2layer-cnn", Catalog: state.CatalogLocation{Kind: state.CatalogLocal}}}, c.calls)
	require.Equal(t, screenWizard, d.m.screen, "the wizard opens")
	assert.Equal(t, "specify", string(d.m.wiz.current()), "at phase 1")
	assert.Equal(t, "cifar10-2layer-cnn", d.m.Outcome().Slug)
	assert.Contains(t, d.view(), "Phase 1 of 8 · Specify")
	assert.Contains(t, d.view(), "cifar10-2layer-cnn · local catalog")
}

func TestFormServerFieldsAreValidated(t *testing.T) {
	t.Parallel()
	c := &createRecorder{}
	d := formDriver(t, c)
	d.send(keyRune('j'), keyEnter) // A Deriva server
	v := d.view()
	assert.Contains(t, v, "Deriva host")
	assert.Contains(t, v, "Catalog id")
	assert.Contains(t, v, "step 2 of 3")

	d.typeText("http://example.org/ermrest")
	d.send(keyEnter)
	assert.Contains(t, d.view(), "has a path", "a bad host is refused with the reason")
	d.send(keyCtrlU)
	d.typeText("http://example.org")
	d.send(keyEnter)
	assert.Contains(t, d.view(), "plain http:// is only allowed for a local")
	d.send(keyCtrlU)
	d.typeText("deriva.example.org")
	d.send(keyEnter)
	d.send(keyEnter) // empty catalog id
	assert.Contains(t, d.view(), "catalog id is empty")
	d.typeText("cat/1")
	d.send(keyEnter)
	assert.Contains(t, d.view(), "is not allowed")
	d.send(keyCtrlU)
	d.typeText("1")
	d.send(keyEnter)
	v = d.view()
	assert.Contains(t, v, "Model slug")
	assert.Contains(t, v, "step 3 of 3")

	d.typeText("CIFAR")
	d.send(keyEnter)
	assert.Contains(t, d.view(), "no upper-case letters")
	assert.Empty(t, c.calls, "nothing is created from invalid answers")
	d.send(keyCtrlU)
	d.typeText("../escape")
	d.send(keyEnter)
	assert.Contains(t, d.view(), "no dots")
	d.send(keyCtrlU)
	d.typeText("cifar10-2layer-cnn")
	d.send(keyEnter)

	require.Equal(t, []NewSession{{
		Slug:    "cifar10-2layer-cnn",
		Catalog: state.CatalogLocation{Kind: state.CatalogERMrest, Host: "https://deriva.example.org", CatalogID: "1"},
	}}, c.calls)
	require.Equal(t, screenWizard, d.m.screen)
	assert.Contains(t, d.view(), "https://deriva.example.org · catalog 1")
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
	assert.Contains(t, v, "Where is the catalog?")
	assert.Contains(t, v, "step 1 of 3")
	d.send(keyEnter)
	v = d.view()
	assert.Contains(t, v, "deriva.example.org", "going back loses nothing")
	assert.Contains(t, v, "7")
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

	require.Len(t, c.calls, 1)
	require.Equal(t, screenForm, d.m.screen, "a failed Create stays on the form")
	v := d.view()
	assert.Contains(t, v, "could not create the session: cannot reach https://deriva.example.org")
	assert.Contains(t, v, "Your answers are kept")
	assert.Contains(t, v, "> A Deriva server", "the choice is kept")

	// Submitting again, unchanged, sends the same answers.
	c.err = nil
	d.send(keyEnter)
	assert.Contains(t, d.view(), "deriva.example.org")
	d.send(keyEnter, keyEnter, keyEnter)
	require.Len(t, c.calls, 2)
	assert.Equal(t, c.calls[0], c.calls[1])
	require.Equal(t, screenWizard, d.m.screen)
}

func TestFormKeysAreTextNotCommands(t *testing.T) {
	t.Parallel()
	d := formDriver(t, &createRecorder{})
	d.send(keyEnter)
	d.typeText("q?jk")
	assert.True(t, !d.quit, "q in a text field does not quit")
	assert.Contains(t, d.view(), "q?jk")
	d.send(keyCtrlC)
	assert.True(t, d.quit, "ctrl+c quits from the form")
	assert.Equal(t, Outcome{Quit: true}, d.m.Outcome())
}

func TestFormWithoutCreateSaysSo(t *testing.T) {
	t.Parallel()
	d := newDriver(t, New(Options{Now: nowFn}))
	d.send(keyEnter)
	d.typeText("a-model")
	d.send(keyEnter)
	assert.Equal(t, screenForm, d.m.screen)
	assert.Contains(t, d.view(), "creating sessions is not available here")
}
