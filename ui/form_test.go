package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/state"
)

// createRecorder is an Options.Create that records its calls and fails
// while err is set.
type createRecorder struct {
	calls     []NewSession
	err       error
	unbounded int // calls whose context had no deadline within createTimeout
}

func (c *createRecorder) create(ctx context.Context, ns NewSession) (*state.Session, error) {
	c.calls = append(c.calls, ns)
	if !bounded(ctx, createTimeout) {
		c.unbounded++
	}
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

// answerServer chooses a Deriva server on the form and submits host,
// catalog id and slug.
func (d *driver) answerServer(host, catalogID, slug string) {
	d.send(keyRune('j'), keyEnter)
	for _, answer := range []string{host, catalogID, slug} {
		d.typeText(answer)
		d.send(keyEnter)
	}
}

func TestFormLocalCatalogSkipsServerFieldsAndCreates(t *testing.T) {
	t.Parallel()
	c := &createRecorder{}
	d := formDriver(t, c)
	v := d.view()
	assert.Contains(t, v, "Where is the catalog?")
	assert.Contains(t, v, "Embedded local catalog (offline, default)")
	assert.Contains(t, v, "New session · step 1\n", "the total depends on this step's answer")
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
	assert.Zero(t, c.unbounded, "Create gets a deadline")
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
	d.send(keyShiftTab) // a server chosen by mistake: back past the empty host
	assert.Contains(t, d.view(), "New session · step 1\n")
	assert.NotContains(t, d.view(), "host is empty", "going back is not submitting")
	d.send(keyEnter)
	d.typeText("deriva.example.org")
	d.send(keyEnter)
	d.typeText("7")
	d.send(keyShiftTab, keyShiftTab) // catalog → host → the select
	v := d.view()
	assert.Contains(t, v, "Where is the catalog?")
	assert.Contains(t, v, "New session · step 1\n")
	d.send(keyEnter)
	v = d.view()
	assert.Contains(t, v, "deriva.example.org", "going back loses nothing")
	assert.Contains(t, v, "7")
}

// The select has no filter: huh re-enables its "/" binding whenever the
// select is submitted, so coming back to it must not bring the filter back.
func TestFormSelectNeverFilters(t *testing.T) {
	t.Parallel()
	d := formDriver(t, &createRecorder{})
	assert.NotContains(t, d.view(), "filter")
	d.send(keyEnter, keyShiftTab) // submit the select, then come back to it
	require.Equal(t, keyKind, d.m.form.form.GetFocusedField().GetKey())
	v := d.view()
	assert.Contains(t, v, "Where is the catalog?")
	assert.NotContains(t, v, "filter", "the help offers no filter")
	d.send(keyRune('/'))
	d.typeText("em")
	v = d.view()
	assert.Contains(t, v, "Where is the catalog?", "/ does not replace the title with a filter")
	assert.NotContains(t, v, "/em")
	assert.NotContains(t, v, "filter")
	fl, ok := d.m.form.form.GetFocusedField().(interface{ GetFiltering() bool })
	require.True(t, ok, "the focused field is the select")
	assert.False(t, fl.GetFiltering())
}

func TestFormCreateErrorKeepsAnswersAndFocusesTheHost(t *testing.T) {
	t.Parallel()
	c := &createRecorder{err: fmt.Errorf("reach https://deriva.example.org: %w", catalog.ErrUnreachable)}
	d := formDriver(t, c)
	d.answerServer("deriva.example.org", "1", "my-model")

	require.Len(t, c.calls, 1)
	require.Equal(t, screenForm, d.m.screen, "a failed Create stays on the form")
	assert.Equal(t, keyHost, d.m.form.form.GetFocusedField().GetKey(), "focus on the answer at fault, not step 1")
	v := d.view()
	assert.Contains(t, v, "step 2 of 3")
	assert.Contains(t, v, "> deriva.example.org", "the answers are kept")
	assert.Contains(t, v, "> 1")
	assert.Regexp(t, `(?s)Deriva host.*Catalog id.*✗ could not create the session: reach\s+https://deriva.example.org`, v,
		"the error is shown with the server's fields")

	// A server that was down may be up now: the same answers go again.
	c.err = nil
	d.send(keyEnter, keyEnter)
	assert.Contains(t, d.view(), "> my-model", "the slug is kept too")
	d.send(keyEnter)
	require.Len(t, c.calls, 2)
	assert.Equal(t, c.calls[0], c.calls[1])
	require.Equal(t, screenWizard, d.m.screen)
}

func TestFormCreateErrorFocusesTheCatalogID(t *testing.T) {
	t.Parallel()
	c := &createRecorder{err: fmt.Errorf("catalog 7: %w", catalog.ErrNotFound)}
	d := formDriver(t, c)
	d.answerServer("deriva.example.org", "7", "my-model")
	require.Len(t, c.calls, 1)
	assert.Equal(t, keyCatalog, d.m.form.form.GetFocusedField().GetKey())
	assert.Contains(t, d.view(), "could not create the session: catalog 7: not found")
	d.send(keyCtrlU)
	d.typeText("1")
	c.err = nil
	d.send(keyEnter, keyEnter)
	require.Len(t, c.calls, 2)
	assert.Equal(t, "1", c.calls[1].Catalog.CatalogID)
}

func TestFormDuplicateSlugFromCreateIsRefusedAtTheSlug(t *testing.T) {
	t.Parallel()
	c := &createRecorder{err: fmt.Errorf("a session \"taken\" already exists: %w", state.ErrExists)}
	d := formDriver(t, c)
	d.send(keyEnter)
	d.typeText("taken")
	d.send(keyEnter)
	require.Len(t, c.calls, 1)
	assert.Equal(t, keySlug, d.m.form.form.GetFocusedField().GetKey())
	assert.Contains(t, d.view(), "> taken")
	assert.Contains(t, d.view(), "already exists")
	d.send(keyEnter)
	require.Len(t, c.calls, 1, "the same slug is now refused by the field itself")
	assert.Contains(t, d.view(), "a session taken already exists: choose another slug")
}

func TestFormRefusesTheSlugOfAnExistingSession(t *testing.T) {
	t.Parallel()
	c := &createRecorder{}
	d := newDriver(t, New(Options{Now: nowFn, Create: c.create, StartNew: true,
		Sessions: []SessionChoice{{Slug: "resnet-baseline"}}}))
	require.Equal(t, screenForm, d.m.screen, "StartNew opens the form although sessions exist")
	d.send(keyEnter)
	d.typeText("resnet-baseline")
	d.send(keyEnter)
	assert.Empty(t, c.calls)
	assert.Equal(t, keySlug, d.m.form.form.GetFocusedField().GetKey())
	v := strings.Join(strings.Fields(d.view()), " ")
	assert.Contains(t, v, "a session resnet-baseline already exists: choose another slug, or press esc and open it from the list")
	d.send(keyEsc)
	assert.Equal(t, screenPicker, d.m.screen, "esc goes back to the sessions")
}

// A slug whose session cannot be opened is refused with that session's
// fix: esc to the list, or resume, would only find it broken.
func TestFormRefusesTheSlugOfADamagedSessionWithItsFix(t *testing.T) {
	t.Parallel()
	c := &createRecorder{}
	d := newDriver(t, New(Options{Now: nowFn, Create: c.create, StartNew: true,
		Sessions: []SessionChoice{{Slug: "third", Problem: "session file third.json is damaged: mv it aside", Broken: "damaged"}}}))
	d.send(keyEnter)
	d.typeText("third")
	d.send(keyEnter)
	assert.Empty(t, c.calls)
	v := strings.Join(strings.Fields(d.view()), " ")
	assert.Contains(t, v, "a session third already exists but cannot be opened: choose another slug, "+
		"or quit and fix it: session file third.json is damaged: mv it aside")
	assert.NotContains(t, v, "open it from the list")
}

func TestFormSuggestedSlugIsPrefilled(t *testing.T) {
	t.Parallel()
	c := &createRecorder{}
	d := newDriver(t, New(Options{Now: nowFn, Create: c.create, SuggestedSlug: "diagnosis-classifier"}))
	d.send(keyEnter)
	v := d.view()
	assert.Contains(t, v, "> diagnosis-classifier")
	assert.Contains(t, v, "Suggested from the repository's name")
	d.send(keyEnter)
	require.Len(t, c.calls, 1)
	assert.Equal(t, "diagnosis-classifier", c.calls[0].Slug)

	for _, bad := range []string{"Not A Slug", "taken"} {
		d := newDriver(t, New(Options{Now: nowFn, SuggestedSlug: bad, StartNew: true, Sessions: []SessionChoice{{Slug: "taken"}}}))
		d.send(keyEnter)
		assert.NotContains(t, d.view(), "Suggested from", bad)
		assert.NotContains(t, d.view(), "> "+bad, bad)
	}
}

// The slug's description credits the repository only while the slug is
// still the suggested one, also when the form comes back after esc.
func TestFormSlugIsSuggestedOnlyWhileUnchanged(t *testing.T) {
	t.Parallel()
	const suggested = "Suggested from the repository's name"
	d := newDriver(t, New(Options{Now: nowFn, SuggestedSlug: "diagnosis-classifier", Sessions: []SessionChoice{{Slug: "other"}}}))
	d.send(keyRune('n'), keyEnter)
	require.Equal(t, keySlug, d.m.form.form.GetFocusedField().GetKey())
	assert.Contains(t, d.view(), suggested)
	d.send(keyCtrlU)
	d.typeText("Diagnosis-Classifier")
	assert.NotContains(t, d.view(), suggested, "the user's own text is not a suggestion")
	d.send(keyEsc)
	require.Equal(t, screenPicker, d.m.screen)
	d.send(keyRune('n'))
	v := d.view()
	require.Equal(t, screenForm, d.m.screen)
	assert.Contains(t, v, "> Diagnosis-Classifier", "the form comes back with the user's text")
	assert.NotContains(t, v, suggested)
	d.send(keyCtrlU)
	d.typeText("diagnosis-classifier")
	assert.Contains(t, d.view(), suggested, "typed back to the suggestion, it is one again")
}

// On a narrow terminal the help keeps esc, the way out of the form without
// creating anything, beside enter and ctrl+c; the arrows give way
// together, never ↑ without ↓ (the only key that moves from the first
// option).
func TestFormHelpKeepsEscAndBothArrowsOrNone(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		o   Options
		esc string
	}{
		"no sessions": {Options{Now: nowFn}, "esc cancel"},
		"from picker": {Options{Now: nowFn, StartNew: true, Sessions: []SessionChoice{{Slug: "a-model"}}}, "esc back"},
	} {
		o, esc := tc.o, tc.esc
		for _, w := range []int{40, 50, 60, 80} {
			m, _ := update(t, New(o), tea.WindowSizeMsg{Width: w, Height: 10})
			lines := strings.Split(plainView(m), "\n")
			help := lines[len(lines)-1]
			assert.Contains(t, help, esc, "%s at %d columns", name, w)
			assert.Contains(t, help, "ctrl+c quit", "%s at %d columns", name, w)
			assert.Contains(t, help, "enter select", "%s at %d columns", name, w)
			if w >= 60 || strings.Contains(help, "↑") {
				assert.Contains(t, help, "↑/↓ choose", "%s at %d columns", name, w)
			}
		}
	}
}

// A refused slug is echoed short: a pasted paragraph does not fill the
// screen, and the error still says what is wrong with all of it.
func TestFormEchoesALongRefusedSlugShort(t *testing.T) {
	t.Parallel()
	d := formDriver(t, &createRecorder{})
	d.send(keyEnter)
	long := strings.Repeat("abcdefghij", 20)
	d.typeText(long)
	d.send(keyEnter)
	v := strings.Join(strings.Fields(d.view()), " ")
	_, shown, ok := strings.Cut(v, "✗ ")
	require.True(t, ok, "the slug is refused: %s", v)
	assert.Contains(t, shown, `slug "`+long[:slugEcho]+`…": 200 bytes is too long (at most 63)`)
	assert.NotContains(t, shown, long[:slugEcho+1])

	err := shortenSlugError(state.ValidateSlug(long))
	assert.ErrorIs(t, err, state.ErrInvalidSlug)
	short := state.ValidateSlug("Short")
	assert.Equal(t, short, shortenSlugError(short), "a short slug is echoed whole")
}

func TestFormPlaceholdersReadAsExamples(t *testing.T) {
	t.Parallel()
	d := formDriver(t, &createRecorder{})
	d.send(keyRune('j'), keyEnter)
	assert.Contains(t, d.view(), "> e.g. deriva.example.org", "an example, not a typed value, even without colour or faint")
	d.send(keyEnter)
	assert.Contains(t, d.view(), "host is empty", "enter on a placeholder is an empty answer")
	st := NewStyles(true)
	th := formTheme(&st)
	for _, ph := range []lipgloss.Style{th.Focused.TextInput.Placeholder, th.Blurred.TextInput.Placeholder} {
		assert.Equal(t, st.Muted.GetForeground(), ph.GetForeground(), "dim as the app's muted text")
		assert.False(t, ph.GetFaint(), "not faint on top of it, which would not read")
	}
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
	assert.Equal(t, Outcome{Quit: true, Interrupted: true}, d.m.Outcome())
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

// With no sessions there is nothing to go back to: esc leaves the form
// cleanly, having created nothing, and the help says so.
func TestEscLeavesTheFormWhenThereAreNoSessions(t *testing.T) {
	t.Parallel()
	m := New(Options{Now: nowFn})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	assert.Contains(t, plainView(m), "esc cancel")
	m, cmd := update(t, m, keyEsc)
	require.NotNil(t, cmd)
	_, ok := cmd().(tea.QuitMsg)
	assert.True(t, ok, "esc quits")
	assert.Equal(t, Outcome{Quit: true}, m.Outcome(), "no session, not interrupted")
}

// Each key in the form's help says what it does, and only one says
// "back": shift+tab goes to the previous field; esc goes back to the
// picker, which keeps the answers (n shows them again). At 40 columns esc
// still shows beside enter.
func TestFormHelpSaysPreviousAndBack(t *testing.T) {
	t.Parallel()
	o := Options{Now: nowFn, StartNew: true, Sessions: []SessionChoice{{Slug: "a-model"}}, Create: (&createRecorder{}).create}
	d := newDriver(t, New(o))
	require.Equal(t, screenForm, d.m.screen)
	d.send(keyEnter) // local catalog: on to the slug
	help := func() string {
		lines := strings.Split(d.view(), "\n")
		return lines[len(lines)-1]
	}
	assert.Equal(t, "shift+tab previous • enter submit • esc back • ctrl+c quit", help())
	d.typeText("kept")
	d.send(keyEsc)
	require.Equal(t, screenPicker, d.m.screen)
	d.send(keyRune('n'))
	require.Equal(t, screenForm, d.m.screen)
	assert.Contains(t, d.view(), "> kept", "back keeps the answers")
	d.send(tea.WindowSizeMsg{Width: 40, Height: 24})
	assert.Equal(t, "enter submit • esc back • ctrl+c quit", help())
}

// Without a picker esc leaves the program: it cancels, and says so.
func TestFormHelpSaysCancelWithoutAPicker(t *testing.T) {
	t.Parallel()
	d := newDriver(t, New(Options{Now: nowFn, Create: (&createRecorder{}).create}))
	d.send(keyEnter)
	lines := strings.Split(d.view(), "\n")
	assert.Equal(t, "shift+tab previous • enter submit • esc cancel • ctrl+c quit", lines[len(lines)-1])
}

// A suggested slug a session already has is not offered as the
// placeholder either, from the picker's "n" as from StartNew: enter would
// refuse it ("slug is empty"), so the generic example shows instead.
func TestFormNeverSuggestsATakenSlugAsThePlaceholder(t *testing.T) {
	t.Parallel()
	sessions := []SessionChoice{{Slug: "r1", Current: "specify"}}
	d := newDriver(t, New(Options{Now: nowFn, SuggestedSlug: "r1", Sessions: sessions}))
	require.Equal(t, screenPicker, d.m.screen)
	d.send(keyRune('n'), keyEnter)
	require.Equal(t, keySlug, d.m.form.form.GetFocusedField().GetKey())
	v := d.view()
	assert.NotContains(t, v, "e.g. r1")
	assert.Contains(t, v, "> e.g. "+exampleSlug)

	d = newDriver(t, New(Options{Now: nowFn, SuggestedSlug: "r2", Sessions: sessions}))
	d.send(keyRune('n'), keyEnter)
	assert.Contains(t, d.view(), "> r2", "a free suggestion is still pre-filled")
}
