package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/state"
)

// A catalog chosen on the command line (Options.Catalog).
var (
	chosenLocal  = &state.CatalogLocation{Kind: state.CatalogLocal}
	chosenServer = &state.CatalogLocation{Kind: state.CatalogERMrest, Host: "https://deriva.example.org", CatalogID: "7"}
)

// With a chosen catalog the form asks only the slug, as step 1 of 1, names
// the catalog above it, and creates the session on exactly that catalog.
func TestFormWithAChosenCatalogAsksOnlyTheSlug(t *testing.T) {
	t.Parallel()
	c := &createRecorder{}
	d := newDriver(t, New(Options{Now: nowFn, Create: c.create, Catalog: chosenServer, SuggestedSlug: "model-repo"}))
	require.Equal(t, screenForm, d.m.screen)
	v := d.view()
	assert.Contains(t, v, "New session · step 1 of 1")
	assert.Contains(t, v, "Catalog: https://deriva.example.org · catalog 7")
	assert.Contains(t, v, "The command line chose the catalog")
	assert.Regexp(t, `(?s)Catalog: https://deriva.example.org.*Model slug.*> model-repo`, v, "the catalog is above the slug")
	for _, asked := range []string{"Where is the catalog?", "Deriva host", "Catalog id", "Where your catalog is"} {
		assert.NotContains(t, v, asked)
	}
	assert.Equal(t, keySlug, d.m.form.form.GetFocusedField().GetKey())

	d.send(keyCtrlU)
	d.typeText("Bad_Slug")
	d.send(keyEnter)
	assert.Contains(t, d.view(), "no upper-case letters", "the slug is still checked")
	assert.Empty(t, c.calls)
	d.send(keyCtrlU)
	d.typeText("my-model")
	d.send(keyEnter)
	require.Equal(t, []NewSession{{Slug: "my-model", Catalog: *chosenServer}}, c.calls)
	require.Equal(t, screenWizard, d.m.screen)
	assert.Contains(t, d.view(), "my-model · https://deriva.example.org · catalog 7")
}

// shift+tab on the only field goes nowhere: there is no catalog step to
// go back to, and the answer stays.
func TestFormWithAChosenCatalogHasNoStepBack(t *testing.T) {
	t.Parallel()
	d := newDriver(t, New(Options{Now: nowFn, Create: (&createRecorder{}).create, Catalog: chosenLocal}))
	d.typeText("my-model")
	d.send(keyShiftTab)
	v := d.view()
	assert.Contains(t, v, "step 1 of 1")
	assert.Contains(t, v, "Catalog: local catalog")
	assert.Contains(t, v, "> my-model")
	assert.NotContains(t, v, "Where is the catalog?")
}

// submitChosenServer answers the form of a catalog chosen on the command
// line (a server) with the slug my-model, Create failing with err: the
// form stays, having called Create once.
func submitChosenServer(t *testing.T, err error) (*driver, *createRecorder) {
	t.Helper()
	c := &createRecorder{err: err}
	d := newDriver(t, New(Options{Now: nowFn, Create: c.create, Catalog: chosenServer}))
	d.typeText("my-model")
	d.send(keyEnter)
	require.Len(t, c.calls, 1)
	require.Equal(t, screenForm, d.m.screen)
	return d, c
}

// A Create failure about the chosen catalog is shown at the slug, the one
// field there is, saying the form cannot change the catalog; enter tries
// again with the same answers.
func TestFormWithAChosenCatalogShowsCatalogErrorsAtTheSlug(t *testing.T) {
	t.Parallel()
	d, c := submitChosenServer(t, fmt.Errorf("reach https://deriva.example.org catalog 7: %w", catalog.ErrNotFound))
	v := d.view()
	assert.Contains(t, v, "step 1 of 1")
	assert.Contains(t, v, "> my-model", "the answer is kept")
	assert.Contains(t, v, "✗ could not create the session: reach")
	assert.Contains(t, v, "the catalog was chosen on the command line")
	requireFrameFits(t, d.m, 80, 24)

	c.err = nil
	d.send(keyEnter)
	require.Len(t, c.calls, 2)
	assert.Equal(t, c.calls[0], c.calls[1])
	require.Equal(t, screenWizard, d.m.screen)
}

// A duplicate slug with a chosen catalog is the slug's own error: it says
// nothing about the catalog having been chosen on the command line.
func TestFormWithAChosenCatalogShowsATakenSlugAsTheSlugsError(t *testing.T) {
	t.Parallel()
	d, _ := submitChosenServer(t, fmt.Errorf("session my-model: %w", state.ErrExists))
	v := d.view()
	assert.Equal(t, keySlug, d.m.form.form.GetFocusedField().GetKey())
	assert.Contains(t, v, "✗ could not create the session: session my-model")
	assert.NotContains(t, v, "chosen on the command line")
}

// The picker names the chosen catalog under "Start a new session" (on the
// row's blank second line), and the form it opens asks only the slug;
// esc goes back to the list.
func TestPickerNewSessionUsesTheChosenCatalog(t *testing.T) {
	t.Parallel()
	c := &createRecorder{}
	d := newDriver(t, New(Options{Now: nowFn, Create: c.create, Catalog: chosenLocal,
		Sessions: []SessionChoice{{Slug: "model-a", Current: "specify"}}}))
	require.Equal(t, screenPicker, d.m.screen)
	assert.Regexp(t, `\+ Start a new session\s*\n\s+on local catalog`, d.view())
	requireFrameFits(t, d.m, 80, 24)

	d.send(keyRune('n'))
	require.Equal(t, screenForm, d.m.screen)
	v := d.view()
	assert.Contains(t, v, "step 1 of 1")
	assert.Contains(t, v, "Catalog: local catalog")
	assert.NotContains(t, v, "Where is the catalog?")
	d.send(keyEsc)
	require.Equal(t, screenPicker, d.m.screen)
	d.send(keyRune('n'))
	d.typeText("model-a")
	d.send(keyEnter)
	assert.Contains(t, d.view(), "already exists", "an existing slug is still refused")
	d.send(keyCtrlU)
	d.typeText("model-b")
	d.send(keyEnter)
	require.Equal(t, []NewSession{{Slug: "model-b", Catalog: *chosenLocal}}, c.calls)
}

// On a short terminal the slug's input stays on screen; the catalog line
// goes with the title, after the intro and the descriptions.
func TestFormWithAChosenCatalogFitsShortTerminals(t *testing.T) {
	t.Parallel()
	d := newDriver(t, New(Options{Now: nowFn, Catalog: chosenServer, SuggestedSlug: "model-repo"}))
	for _, size := range [][2]int{{80, 24}, {40, 10}, {40, 8}, {80, 24}} {
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		assert.Contains(t, d.view(), "> model-repo", "%v", size)
		requireFrameFits(t, d.m, size[0], size[1])
	}
	assert.Contains(t, d.view(), "Catalog: https://deriva.example.org · catalog 7", "back with room")
}

// Accessible mode says the chosen catalog instead of asking it, asks only
// the slug, and creates the session on that catalog.
func TestAccessibleFormWithAChosenCatalogAsksOnlyTheSlug(t *testing.T) {
	t.Parallel()
	var c creator
	got, out := runLines(t, Options{Create: c.create, Catalog: chosenServer, SuggestedSlug: "model-repo"}, "Bad_Slug\n\nq\n")
	requireText(t, out,
		"New session. Catalog: https://deriva.example.org catalog 7, as the command line chose. Type the model's slug",
		"Model slug (enter for model-repo), or q to quit:",
		`Not accepted: slug "Bad_Slug"`,
		"Created session model-repo. Catalog: https://deriva.example.org catalog 7.",
	)
	assert.NotContains(t, out, "Where is the catalog?")
	assert.NotContains(t, out, "Deriva host")
	require.Equal(t, []NewSession{{Slug: "model-repo", Catalog: *chosenServer}}, c.calls)
	assert.Equal(t, "model-repo", got.Slug)
}

// A Create failure about the chosen catalog says the catalog came from the
// command line; enter tries the same slug again.
func TestAccessibleFormWithAChosenCatalogRetries(t *testing.T) {
	t.Parallel()
	c := creator{fail: []error{fmt.Errorf("reach https://deriva.example.org catalog 7: %w", catalog.ErrNotFound)}}
	_, out := runLines(t, Options{Create: c.create, Catalog: chosenServer}, "my-model\n\nq\n")
	requireText(t, out,
		"Could not create the session: reach https://deriva.example.org catalog 7",
		"the catalog was chosen on the command line",
		"Model slug (enter for my-model), or q to quit:",
		"Created session my-model.",
	)
	assert.Equal(t, 1, strings.Count(out, "New session."), "the catalog is said once")
	require.Len(t, c.calls, 2)
	assert.Equal(t, c.calls[0], c.calls[1])
}

// A duplicate slug with a chosen catalog is the slug's own error, asked
// again at the slug, with nothing about the command line.
func TestAccessibleFormWithAChosenCatalogShowsATakenSlugAsTheSlugsError(t *testing.T) {
	t.Parallel()
	c := creator{fail: []error{fmt.Errorf("session my-model: %w", state.ErrExists)}}
	_, out := runLines(t, Options{Create: c.create, Catalog: chosenServer}, "my-model\nother\nq\n")
	requireText(t, out,
		"Could not create the session: session my-model",
		"Created session other.",
	)
	assert.NotContains(t, out, "chosen on the command line")
	require.Len(t, c.calls, 2)
	assert.Equal(t, "other", c.calls[1].Slug)
}

// The accessible picker's last choice names the chosen catalog, and leads
// to the slug alone.
func TestAccessiblePickerNewSessionUsesTheChosenCatalog(t *testing.T) {
	t.Parallel()
	var c creator
	_, out := runLines(t, Options{Create: c.create, Catalog: chosenLocal, Sessions: []SessionChoice{{Slug: "model-a"}}},
		"2\nmodel-b\nq\n")
	requireText(t, out,
		"2. Start a new session; local catalog\n",
		"New session. Catalog: local catalog, as the command line chose.",
		"Created session model-b. Catalog: local catalog.",
	)
	assert.NotContains(t, out, "Where is the catalog?")
	require.Equal(t, []NewSession{{Slug: "model-b", Catalog: *chosenLocal}}, c.calls)
}

// A long Create error about a chosen catalog never pushes the slug's input
// off screen: at every size the focused field's title and input show, the
// error gets the rows left (its first lines, the most useful), and a cut
// error ends with "…".
func TestFormWithAChosenCatalogKeepsTheInputAboveALongError(t *testing.T) {
	t.Parallel()
	c := &createRecorder{err: fmt.Errorf("reach http://127.0.0.1:1 catalog 1: Get \"http://127.0.0.1:1/ermrest/catalog/1\": " +
		"dial tcp 127.0.0.1:1: connect: connection refused; is the server running?")}
	d := newDriver(t, New(Options{Now: nowFn, Create: c.create, Catalog: chosenServer,
		Sessions: []SessionChoice{{Slug: "r1", Current: "specify"}}}))
	d.send(tea.WindowSizeMsg{Width: 40, Height: 12}, keyRune('n'))
	d.typeText("x1")
	d.send(keyEnter)
	require.Len(t, c.calls, 1)
	require.Equal(t, screenForm, d.m.screen)
	v := d.view()
	assert.Regexp(t, `┃ Model slug\s*\n\s*┃ > x1`, v, "the title and the input, together")
	assert.Contains(t, v, "✗ could not create the session", "the error's first line")
	assert.Contains(t, v, "…", "the error is cut, and says so")
	// Every third width keeps the package's tests fast; each size re-lays
	// the huh form out.
	for _, w := range []int{40, 41, 42, 43, 46, 49, 52, 55, 58, 61, 64, 67, 70, 75, 80} {
		for h := 8; h <= 24; h++ {
			d.send(tea.WindowSizeMsg{Width: w, Height: h})
			v := d.view()
			require.Contains(t, v, "> x1", "%d×%d:\n%s", w, h, v)
			require.Contains(t, v, "Model slug", "%d×%d:\n%s", w, h, v)
			requireFrameFits(t, d.m, w, h)
			whole := strings.Contains(strings.Join(strings.Fields(v), " "), "other catalog flags")
			if strings.Contains(v, "✗") && !whole {
				assert.Contains(t, v, "…", "%d×%d: a cut error says so:\n%s", w, h, v)
			}
			assert.NotContains(t, v, "flags …", "%d×%d: a whole error is not marked cut:\n%s", w, h, v)
		}
	}
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	assert.Contains(t, d.view(), "other catalog flags", "the whole error with room")
}
