package ui

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/cyclezero/cyclezero/state"
	"github.com/cyclezero/cyclezero/steps"
)

// formAnswers holds the form's values on the heap: huh binds to pointers,
// and a rebuilt form (after a failed Create) starts from the same answers.
type formAnswers struct {
	Kind      state.CatalogKind
	Host      string
	CatalogID string
	Slug      string
}

// newSession turns valid answers into what Create needs.
func (a *formAnswers) newSession() NewSession {
	ns := NewSession{Slug: strings.TrimSpace(a.Slug), Catalog: state.CatalogLocation{Kind: a.Kind}}
	if a.Kind == state.CatalogERMrest {
		host, err := steps.NormalizeHost(a.Host)
		if err != nil { // validated already; keep what was typed
			host = strings.TrimSpace(a.Host)
		}
		ns.Catalog.Host = host
		ns.Catalog.CatalogID = strings.TrimSpace(a.CatalogID)
	}
	return ns
}

// newForm is the new-session screen: a huh form asking where the catalog
// is and the model's slug. A failed Create shows its error above a rebuilt
// form holding the same answers.
type newForm struct {
	st *Styles
	km *KeyMap

	ans     *formAnswers
	form    *huh.Form
	err     error // the last Create failure
	busy    bool  // Create is running
	canBack bool  // esc returns to the picker
	back    key.Binding
	w, h    int
	// formSize is the area last sent to the huh form, so the root's
	// relayout after every message does not resize it again.
	formSize [2]int
}

var _ screen = (*newForm)(nil)

func newNewForm(st *Styles, km *KeyMap, canBack bool) *newForm {
	f := &newForm{
		st: st, km: km, canBack: canBack,
		ans:  &formAnswers{Kind: state.CatalogLocal},
		back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to sessions"), key.WithDisabled()),
	}
	f.back.SetEnabled(canBack)
	f.build()
	return f
}

// build makes a fresh huh form bound to f.ans.
func (f *newForm) build() {
	a := f.ans
	f.form = huh.NewForm(
		huh.NewGroup(
			huh.NewSelect[state.CatalogKind]().
				Key("kind").
				Title("Where is the catalog?").
				Description("The embedded catalog works offline; a Deriva server needs your deriva credentials.").
				Options(
					huh.NewOption("Embedded local catalog (offline, default)", state.CatalogLocal),
					huh.NewOption("A Deriva server", state.CatalogERMrest),
				).
				Value(&a.Kind),
		),
		huh.NewGroup(
			huh.NewInput().
				Key("host").
				Title("Deriva host").
				Description("A name (HTTPS), https://name, or http://127.0.0.1:PORT for a local server.").
				Placeholder("deriva.example.org").
				Value(&a.Host).
				Validate(func(s string) error { _, err := steps.NormalizeHost(s); return err }),
			huh.NewInput().
				Key("catalog").
				Title("Catalog id").
				Description("The catalog number, or its alias.").
				Placeholder("1").
				Value(&a.CatalogID).
				Validate(steps.ValidateCatalogID),
		).WithHideFunc(func() bool { return a.Kind != state.CatalogERMrest }),
		huh.NewGroup(
			huh.NewInput().
				Key("slug").
				Title("Model slug").
				Description("Kebab-case; it names docs/design/model/<slug>.md and the session.").
				Placeholder("cifar10-2layer-cnn").
				Value(&a.Slug).
				Validate(func(s string) error { return state.ValidateSlug(strings.TrimSpace(s)) }),
		),
	).
		WithShowHelp(false).
		WithKeyMap(formKeyMap()).
		// The closure reads our isDark, so a form rebuilt later still
		// matches the background the root learned.
		WithTheme(huh.ThemeFunc(func(bool) *huh.Styles { return huh.ThemeCharm(f.st.IsDark) }))
	f.formSize = [2]int{}
	f.sizeForm()
}

// formKeyMap is huh's default key map without the select filter, which a
// two-option select does not need and whose esc would compete with "back".
func formKeyMap() *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	km.Select.Filter.SetEnabled(false)
	return km
}

func (f *newForm) Init() tea.Cmd { return f.form.Init() }

func (f *newForm) SetSize(w, h int) {
	f.w, f.h = w, h
	f.sizeForm()
}

// formWidth is the width the huh form gets: the screen minus a margin,
// capped so lines stay readable on wide terminals.
func (f *newForm) formWidth() int { return max(min(f.w-2, formMaxWidth), 1) }

// sizeForm tells the huh form its area: it sizes itself from WindowSizeMsg.
func (f *newForm) sizeForm() {
	if f.w <= 0 || f.h <= 0 || f.form == nil {
		return
	}
	size := [2]int{f.formWidth(), max(f.h-len(f.intro()), 1)}
	if size == f.formSize {
		return
	}
	f.formSize = size
	fm, _ := f.form.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
	if ff, ok := fm.(*huh.Form); ok {
		f.form = ff
	}
}

func (f *newForm) Update(msg tea.Msg) (screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if f.busy {
			return f, nil // answers are frozen while Create runs
		}
		if key.Matches(k, f.back) && !f.filtering() {
			return f, emit(backToPickerMsg{})
		}
	}
	if _, ok := msg.(tea.WindowSizeMsg); ok {
		return f, nil // the root sizes us through SetSize
	}
	fm, cmd := f.form.Update(msg)
	if ff, ok := fm.(*huh.Form); ok {
		f.form = ff
	}
	if f.form.State == huh.StateCompleted && !f.busy {
		f.busy = true
		return f, tea.Batch(cmd, emit(formSubmittedMsg{ns: f.ans.newSession()}))
	}
	return f, cmd
}

// filtering reports whether the focused select is filtering, where esc
// belongs to the select.
func (f *newForm) filtering() bool {
	fl, ok := f.form.GetFocusedField().(interface{ GetFiltering() bool })
	return ok && fl.GetFiltering()
}

// failed shows a Create error and rebuilds the form with the same answers,
// so bad input (or a catalog that could not be reached) loses nothing.
func (f *newForm) failed(err error) tea.Cmd {
	if err == nil {
		err = errors.New("the session was not created")
	}
	f.busy = false
	f.err = err
	f.build()
	return f.form.Init()
}

// step says where the user is in the form: "step 2 of 3". The server step
// only counts when a Deriva server is chosen.
func (f *newForm) step() string {
	total := 2
	if f.ans.Kind == state.CatalogERMrest {
		total = 3
	}
	n := 1
	if fld := f.form.GetFocusedField(); fld != nil {
		switch fld.GetKey() {
		case "host", "catalog":
			n = 2
		case "slug":
			n = total
		}
	}
	if f.busy {
		n = total
	}
	return fmt.Sprintf("step %d of %d", n, total)
}

// intro is the text above the form, wrapped to the form width.
func (f *newForm) intro() []string {
	w := f.formWidth()
	lines := []string{f.st.Title.Render("New session") + f.st.Muted.Render(" · "+f.step())}
	for _, l := range wrap("Where your catalog is, and a short name for the model. "+
		"enter moves on, shift+tab goes back.", w) {
		lines = append(lines, f.st.Muted.Render(l))
	}
	if f.err != nil {
		lines = append(lines, "")
		for _, l := range wrap("✗ could not create the session: "+f.err.Error(), w) {
			lines = append(lines, f.st.Error.Render(l))
		}
		lines = append(lines, f.st.Muted.Render(truncate("Your answers are kept; fix them and submit again.", w)))
	}
	return append(lines, "")
}

func (f *newForm) View() string {
	if f.w <= 0 || f.h <= 0 {
		return ""
	}
	lines := f.intro()
	if f.busy {
		lines = append(lines, f.st.Body.Render("Creating session "+f.ans.newSession().Slug+"…"))
	} else {
		lines = append(lines, strings.Split(f.form.View(), "\n")...)
	}
	w := f.formWidth()
	for i, l := range lines {
		lines[i] = " " + truncate(l, w)
	}
	return strings.Join(padBlock(lines, f.h), "\n")
}

func (f *newForm) ShortHelp() []key.Binding {
	if f.busy {
		return []key.Binding{f.km.ForceQuit}
	}
	return append(append([]key.Binding(nil), f.form.KeyBinds()...), f.back, f.km.ForceQuit)
}

func (f *newForm) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }
