package ui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// The form's field keys.
const (
	keyKind    = "kind"
	keyHost    = "host"
	keyCatalog = "catalog"
	keySlug    = "slug"
)

// Field descriptions, and the example slug when none is suggested.
const (
	kindDesc    = "The embedded catalog works offline; a Deriva server needs your deriva credentials."
	hostDesc    = "A name (HTTPS), https://name, or http://127.0.0.1:PORT for a local server."
	catalogDesc = "The catalog number, or its alias."
	slugDesc    = "Kebab-case; it names docs/design/model/<slug>.md and the session."
	exampleSlug = "cifar10-2layer-cnn"
)

// examplePrefix marks a placeholder as an example, so it never reads as a
// typed answer where it cannot be dimmed (NO_COLOR, a monochrome terminal).
const examplePrefix = "e.g. "

// forcedErr is an error the field with key reports on its next validation.
type forcedErr struct {
	key string
	err error
}

// build makes a fresh huh form bound to f.ans.
func (f *newForm) build() {
	a := f.ans
	f.kind = huh.NewSelect[state.CatalogKind]().
		Key(keyKind).
		Title("Where is the catalog?").
		Options(
			huh.NewOption("Embedded local catalog (offline, default)", state.CatalogLocal),
			huh.NewOption("A Deriva server", state.CatalogERMrest),
		).
		Value(&a.Kind)
	f.host = huh.NewInput().
		Key(keyHost).
		Title("Deriva host").
		Placeholder(examplePrefix + "deriva.example.org").
		Value(&a.Host).
		Validate(f.validator(keyHost, checkHost))
	f.catalogID = huh.NewInput().
		Key(keyCatalog).
		Title("Catalog id").
		Placeholder(examplePrefix + "1").
		Value(&a.CatalogID).
		Validate(f.validator(keyCatalog, steps.ValidateCatalogID))
	f.slugIn = huh.NewInput().
		Key(keySlug).
		Title("Model slug").
		Placeholder(examplePrefix + f.exampleSlug()).
		Value(&a.Slug).
		Validate(f.validator(keySlug, f.checkSlug))
	groups := []*huh.Group{
		huh.NewGroup(f.kind),
		huh.NewGroup(f.host, f.catalogID).WithHideFunc(func() bool { return a.Kind != state.CatalogERMrest }),
		huh.NewGroup(f.slugIn),
	}
	if a.Fixed != nil { // the catalog was chosen before the form: only the slug is asked
		groups = groups[2:]
	}
	f.form = huh.NewForm(groups...).
		// huh turns a form made under TERM=dumb accessible; this one is
		// full-screen only: cmd runs RunAccessible's own line forms
		// instead of this program under TERM=dumb (as with --accessible).
		WithAccessible(false).
		WithShowHelp(false).
		WithShowErrors(false). // errorLines draws them
		WithKeyMap(formKeyMap()).
		// The closure reads our Styles, so the form follows the background
		// the root learns later; the theme is cached per background.
		WithTheme(huh.ThemeFunc(func(bool) *huh.Styles { return f.theme() }))
	f.sized = fitKey{}
	f.sizeForm()
}

// fields are the form's fields, for resetting their heights.
func (f *newForm) fields() []huh.Field {
	return []huh.Field{f.kind, f.host, f.catalogID, f.slugIn}
}

// exampleSlug is the slug shown as the placeholder: the suggested one when
// it is usable and no session has it (enter on an empty slug would not
// take it, so a taken one would only mislead), else a generic example.
func (f *newForm) exampleSlug() string {
	if s := usableSuggestion(f.cfg.suggested, f.cfg.taken); s != "" {
		return s
	}
	return exampleSlug
}

// suggested reports whether the slug answer is still the suggested one.
func (f *newForm) suggested() bool {
	return f.suggestion != "" && strings.TrimSpace(f.ans.Slug) == f.suggestion
}

// slugDescription says what the slug is for, and where a pre-filled one
// came from while the user has not changed it.
func (f *newForm) slugDescription() string {
	if f.suggested() {
		return slugDesc + " Suggested from the " + f.cfg.place + "'s name; change it if you like."
	}
	return slugDesc
}

// formKeyMap is huh's default key map without the select filter, which a
// two-option select does not need and whose esc would compete with the
// form's own esc, and with shift+tab called "previous", not huh's "back",
// which beside "esc cancel" would read as a second way out.
// The filter bindings lose their keys rather than being disabled: huh's
// select re-enables Filter whenever it submits or leaves filtering, but a
// binding without keys is never enabled (key.Binding.Enabled), so it
// neither matches "/" nor shows in the help.
func formKeyMap() *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	km.Select.Filter = key.NewBinding()
	km.Select.SetFilter = key.NewBinding()
	km.Select.ClearFilter = key.NewBinding()
	for _, prev := range []*key.Binding{&km.Confirm.Prev, &km.FilePicker.Prev, &km.Input.Prev,
		&km.MultiSelect.Prev, &km.Note.Prev, &km.Select.Prev, &km.Text.Prev} {
		prev.SetHelp("shift+tab", "previous")
	}
	return km
}

// checkSlug is the slug rule plus "not taken by an existing session".
func (f *newForm) checkSlug(s string) error {
	return checkNewSlug(s, f.cfg.taken, func(s string) error {
		if p := problemOf(f.cfg.sessions, s); p != "" {
			return unopenableError(s, p)
		}
		if f.cfg.canBack {
			return fmt.Errorf("a session %s already exists: choose another slug, or press esc and open it from the list", s)
		}
		return takenError(s, nil, f.cfg.command)
	})
}

// checkNewSlug is the slug rule plus "no session has it": a taken slug is
// refused with refuse's error. Both the form and accessible mode ask by it.
func checkNewSlug(s string, taken map[string]bool, refuse func(slug string) error) error {
	s = strings.TrimSpace(s)
	if err := state.ValidateSlug(s); err != nil {
		return shortenSlugError(err)
	}
	if taken[s] {
		return refuse(s)
	}
	return nil
}

// slugEcho is how many characters of a refused slug its error repeats:
// enough to recognise it, where a pasted paragraph would fill the screen.
const slugEcho = 40

// shortenSlugError is err with the refused slug it quotes cut to slugEcho
// characters and "…"; it still matches state.ErrInvalidSlug.
func shortenSlugError(err error) error {
	var se *state.SlugError
	if !errors.As(err, &se) {
		return err
	}
	r := []rune(se.Slug)
	if len(r) <= slugEcho {
		return err
	}
	short := *se
	short.Slug = string(r[:slugEcho]) + "…"
	return &short
}

// fixedCatalogError is a Create error about a catalog chosen before the
// form (Options.Catalog), which the form cannot change: it says so, and
// what the user can do, spelling the command as command does (nil:
// "cyclezero").
func fixedCatalogError(err error, command func(...string) string) error {
	run := "cyclezero"
	if command != nil {
		run = command()
	}
	return fmt.Errorf("%w; the catalog was chosen on the command line: press enter to try again, "+
		"or leave and run %s with other catalog flags", err, run)
}

// checkHost refuses a host NormalizeHost cannot make a server URL of.
func checkHost(s string) error {
	_, err := steps.NormalizeHost(s)
	return err
}

// usableSuggestion is the suggested slug trimmed, or "" when it is not a
// valid slug or a session in taken has it.
func usableSuggestion(suggested string, taken map[string]bool) string {
	if s := strings.TrimSpace(suggested); s != "" && state.ValidateSlug(s) == nil && !taken[s] {
		return s
	}
	return ""
}

// problemOf is the Problem of the listed session named slug: why it
// cannot be opened, with its fix ("" when it can be, or is not listed).
func problemOf(sessions []SessionChoice, slug string) string {
	for _, c := range sessions {
		if c.Slug == slug {
			return c.Problem
		}
	}
	return ""
}

// unopenableError refuses a slug whose session cannot be opened: resume
// would fail on it, so the refusal gives its own fix instead.
func unopenableError(slug, problem string) error {
	return fmt.Errorf("a session %s already exists but cannot be opened: choose another slug, or quit and fix it: %s", slug, problem)
}

// takenError refuses a slug that has a session, saying how to open it, or
// when sessions lists it as one that cannot be opened, how to fix it.
func takenError(slug string, sessions []SessionChoice, command func(...string) string) error {
	if p := problemOf(sessions, slug); p != "" {
		return unopenableError(slug, p)
	}
	resume := "cyclezero resume " + state.ShellQuote(slug)
	if command != nil {
		resume = command("resume", state.ShellQuote(slug))
	}
	return fmt.Errorf("a session %s already exists: choose another slug, or quit and run: %s", slug, resume)
}

// validator wraps a field's check: it passes anything while the user goes
// back (huh validates a field it leaves, and would keep someone who chose a
// server by mistake from returning past an empty host), and reports a
// forced error when one is pending for the field.
func (f *newForm) validator(key string, check func(string) error) func(string) error {
	return func(s string) error {
		if f.goingBack {
			return nil
		}
		if f.forced != nil && f.forced.key == key {
			return f.forced.err
		}
		return check(s)
	}
}

// errorLines are the current group's errors, drawn under it by us rather
// than by huh, whose wrapping breaks at '-' and '.' (cutting commands and
// URLs in two) and is not redone when the terminal is resized.
func (f *newForm) errorLines() []string {
	var out []string
	for _, err := range f.form.Errors() {
		for _, l := range wrap("✗ "+err.Error(), f.formWidth()) {
			out = append(out, f.st.Error.Render(l))
		}
	}
	if len(out) > 0 {
		out = append([]string{""}, out...)
	}
	return out
}

// blame names the field a Create error is about.
func blame(err error, kind state.CatalogKind) string {
	switch {
	case errors.Is(err, state.ErrExists), errors.Is(err, state.ErrInvalidSlug), kind != state.CatalogERMrest:
		return keySlug
	case errors.Is(err, catalog.ErrNotFound):
		return keyCatalog
	}
	return keyHost // unreachable, refused, not logged in: all about the server
}

// focus moves a fresh form's focus to the field with key, walking the
// groups the way enter would (hidden ones are skipped), without ever
// submitting.
func (f *newForm) focus(key string) []tea.Cmd {
	var cmds []tea.Cmd
	for range len(f.fields()) {
		fld := f.form.GetFocusedField()
		switch {
		case fld == nil, fld.GetKey() == key, fld.GetKey() == keySlug:
			return cmds
		case fld.GetKey() == keyHost && key == keyCatalog:
			cmds = append(cmds, f.form.NextField())
		default:
			cmds = append(cmds, f.form.NextGroup())
		}
	}
	return cmds
}

// showError makes the focused field (which must be key) show err as its
// validation error: huh sets a field's error when it loses focus, so it is
// blurred with err forced and focused again. Typing clears the error as
// usual; submitting unchanged tries again.
func (f *newForm) showError(key string, err error) tea.Cmd {
	fld := f.form.GetFocusedField()
	if fld == nil || fld.GetKey() != key {
		return nil
	}
	f.forced = &forcedErr{key: key, err: err}
	fld.Blur()
	f.forced = nil
	return fld.Focus()
}
