package ui

import (
	"errors"
	"fmt"
	"slices"
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
	// Fixed is the catalog chosen before the form (Options.Catalog): it
	// replaces Kind, Host and CatalogID, which are then never asked.
	Fixed *state.CatalogLocation
}

// newSession turns valid answers into what Create needs.
func (a *formAnswers) newSession() NewSession {
	if a.Fixed != nil {
		return NewSession{Slug: strings.TrimSpace(a.Slug), Catalog: *a.Fixed}
	}
	ns := NewSession{Slug: strings.TrimSpace(a.Slug), Catalog: state.CatalogLocation{Kind: a.Kind}}
	if a.Kind == state.CatalogERMrest {
		host, err := steps.NormalizeHostKeepCase(a.Host)
		if err != nil { // validated already; keep what was typed
			host = strings.TrimSpace(a.Host)
		}
		ns.Catalog.Host = host
		ns.Catalog.CatalogID = strings.TrimSpace(a.CatalogID)
	}
	return ns
}

// formConfig is what the form knows from Options.
type formConfig struct {
	canBack   bool                   // esc returns to the picker (else it leaves)
	command   func(...string) string // Options.Command
	suggested string                 // Options.SuggestedSlug
	taken     map[string]bool        // slugs that already have a session
	sessions  []SessionChoice        // Options.Sessions, for a taken slug's Problem
	catalog   *state.CatalogLocation // Options.Catalog: chosen already, so only the slug is asked
	place     string                 // Options.place: whose name a suggested slug is from
}

// newForm is the new-session screen: a huh form asking where the catalog
// is and the model's slug. A failed Create rebuilds the form with the same
// answers, focused on the answer at fault with the error beside it.
type newForm struct {
	st  *Styles
	km  *KeyMap
	cfg formConfig
	out *handoff // esc's way back, handed to the root at once (see handoff)

	ans  *formAnswers
	form *huh.Form
	// The fields, kept to change their descriptions as the space changes.
	kind                    *huh.Select[state.CatalogKind]
	host, catalogID, slugIn *huh.Input
	// suggestion is the slug the form started with, from
	// Options.SuggestedSlug ("" when there was none usable); the slug's
	// description credits it only while the answer is still it.
	suggestion string
	// forced is an error a field's validation reports once, to show a
	// Create failure beside the field it blames (see showError).
	forced *forcedErr
	// goingBack is set while the form moves to the previous field: leaving
	// an answer backwards is not submitting it, so it is not validated.
	goingBack bool
	// moveKeys are the keys huh's inputs and selects move by (move).
	moveKeys huh.InputKeyMap

	busy bool // Create is running
	// stopping is set when the user pressed esc while busy: Create's
	// context is cancelled and its answer awaited (stopped).
	stopping bool
	back     key.Binding
	stop     key.Binding // esc while busy
	w, h     int
	// layout is how much text around the inputs fits; sized is the area
	// and errors it was chosen for, so the root's relayout after every
	// message does not redo it.
	layout formLayout
	sized  fitKey
	// errRows is how many lines the errors may take under the form: what
	// the layout's form leaves of the height.
	errRows int
	// themes is the huh theme and blurred-input rewriter, built once per
	// background rather than on every frame.
	themes themeCache
}

var _ screen = (*newForm)(nil)

func newNewForm(st *Styles, km *KeyMap, cfg formConfig) *newForm {
	if cfg.taken == nil {
		cfg.taken = map[string]bool{}
	}
	f := &newForm{
		st: st, km: km, cfg: cfg,
		ans:      &formAnswers{Kind: state.CatalogLocal, Fixed: cfg.catalog},
		moveKeys: formKeyMap().Input,
		back:     escBinding(cfg.canBack),
		stop:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
	if s := usableSuggestion(cfg.suggested, cfg.taken); s != "" {
		f.ans.Slug, f.suggestion = s, s
	}
	f.build()
	return f
}

// escBinding is the form's esc: "back" when it returns to the picker,
// which keeps the answers for the next "n", "cancel" when it leaves the
// program. shift+tab is "previous" (formKeyMap), so "back" names one key
// only. Both are short enough that a 40-column help bar keeps "enter
// submit" beside it and ctrl+c.
func escBinding(canBack bool) key.Binding {
	if canBack {
		return key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back"))
	}
	return key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
}

func (f *newForm) Init() tea.Cmd { return f.form.Init() }

func (f *newForm) SetSize(w, h int) {
	f.w, f.h = w, h
	f.sizeForm()
}

func (f *newForm) Update(msg tea.Msg) (screen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if f.busy {
			// Answers are frozen while Create runs; esc stops it, and
			// the form comes back once Create has given up (stopped).
			if key.Matches(k, f.stop) && !f.stopping {
				f.stopping = true
				f.out.post(cancelCreateMsg{})
			}
			return f, nil
		}
		if key.Matches(k, f.back) { // no select filters (formKeyMap), so esc is always back
			f.out.post(backToPickerMsg{})
			return f, nil
		}
	}
	if _, ok := msg.(tea.WindowSizeMsg); ok {
		return f, nil // the root sizes us through SetSize
	}
	if isHuhMove(msg) {
		return f, nil // made already, with the key that asked for it (move)
	}
	from := f.form.GetFocusedField()
	fm, cmd := f.form.Update(msg)
	if ff, ok := fm.(*huh.Form); ok {
		f.form = ff
	}
	if k, ok := msg.(tea.KeyPressMsg); ok {
		cmd = tea.Batch(cmd, f.move(k, from))
	}
	if f.form.State == huh.StateCompleted && !f.busy {
		f.busy = true
		return f, tea.Batch(cmd, emit(formSubmittedMsg{ns: f.ans.newSession()}))
	}
	return f, cmd
}

// failed rebuilds the form after a Create error with the same answers,
// focused on the field the error blames, with the error shown beside it:
// a duplicate slug at the slug, an unreachable server at the host, a
// missing catalog at the catalog id.
func (f *newForm) failed(err error) tea.Cmd {
	if err == nil {
		err = errors.New("the session was not created")
	}
	f.busy = false
	if errors.Is(err, state.ErrExists) {
		f.cfg.taken[f.ans.newSession().Slug] = true
	}
	field := blame(err, f.ans.newSession().Catalog.Kind)
	fix := createFix(err)
	err = fmt.Errorf("could not create the session: %w", err)
	if f.ans.Fixed != nil && field != keySlug {
		// The slug is the only field: the error is shown there, saying
		// the catalog cannot be changed in this form.
		field, err = keySlug, fixedCatalogError(err, f.cfg.command)
	}
	err = withFix(err, fix, f.ans.Fixed == nil)
	f.build()
	cmds := append([]tea.Cmd{f.form.Init()}, f.focus(field)...)
	cmds = append(cmds, f.showError(field, err))
	return tea.Batch(cmds...)
}

// stopped brings the form back after the user stopped a Create with esc:
// the same answers, no error (nothing went wrong but the wait), focused on
// the host when a server was being contacted, else on the slug, so enter
// tries again.
func (f *newForm) stopped() tea.Cmd {
	f.busy, f.stopping = false, false
	field := keySlug
	if f.ans.Fixed == nil && f.ans.Kind == state.CatalogERMrest {
		field = keyHost
	}
	f.build()
	return tea.Batch(append([]tea.Cmd{f.form.Init()}, f.focus(field)...)...)
}

// step says where the user is in the form: "step 2 of 3". The total
// depends on the first answer (a Deriva server adds the server step), so
// the first step shows none ("step 1") rather than one that changes when
// the user moves on; from the second step the total is known. With the
// catalog chosen before the form only the slug is asked: "step 1 of 1".
func (f *newForm) step() string {
	if f.ans.Fixed != nil {
		return "step 1 of 1"
	}
	total := 2
	if f.ans.Kind == state.CatalogERMrest {
		total = 3
	}
	n := 1
	if fld := f.form.GetFocusedField(); fld != nil {
		switch fld.GetKey() {
		case keyHost, keyCatalog:
			n = 2
		case keySlug:
			n = total
		}
	}
	if f.busy {
		n = total
	}
	if n == 1 {
		return "step 1"
	}
	return fmt.Sprintf("step %d of %d", n, total)
}

func (f *newForm) View() string {
	if f.w <= 0 || f.h <= 0 {
		return ""
	}
	lines := f.intro()
	w := f.formWidth()
	if f.busy {
		for _, l := range wrap(f.waiting(), w) {
			lines = append(lines, f.st.Body.Render(l))
		}
	} else {
		lines = append(lines, strings.Split(f.blurredInputs().Replace(f.form.View()), "\n")...)
		lines = append(lines, f.shownErrors()...)
	}
	for i, l := range lines {
		lines[i] = " " + truncate(l, w)
	}
	return strings.Join(padBlock(lines, f.h), "\n")
}

// waiting says what the busy form waits for: the server it contacts
// (a silent one takes the client's whole read budget to give up on), or
// the embedded catalog being made, and how to stop waiting.
func (f *newForm) waiting() string {
	ns := f.ans.newSession()
	if f.stopping {
		return "Creating session " + ns.Slug + "…\nStopping…"
	}
	what := "Preparing its embedded catalog…"
	if ns.Catalog.Kind == state.CatalogERMrest {
		what = "Contacting " + ns.Catalog.Host + " for catalog " + ns.Catalog.CatalogID + "…"
	}
	return "Creating session " + ns.Slug + "…\n" + what + " (esc to cancel)"
}

func (f *newForm) ShortHelp() []key.Binding {
	switch {
	case f.stopping:
		return []key.Binding{f.km.ForceQuit}
	case f.busy:
		return []key.Binding{f.stop, f.km.ForceQuit}
	}
	return append(arrowsAsOne(f.form.KeyBinds()), f.back, f.km.ForceQuit)
}

// arrowsAsOne says a select's up and down as one "↑/↓ choose": huh lists
// them apart, and a narrow help bar, cutting from the end, would keep ↑
// and drop ↓, the only key that moves from the first option.
func arrowsAsOne(bs []key.Binding) []key.Binding {
	up := slices.IndexFunc(bs, func(b key.Binding) bool { return b.Enabled() && hasKey(b, "up") })
	down := slices.IndexFunc(bs, func(b key.Binding) bool { return b.Enabled() && hasKey(b, "down") })
	out := slices.Clone(bs)
	if up < 0 || down < 0 {
		return out
	}
	out[min(up, down)] = withHelp(out[up], "↑/↓", "choose")
	return slices.Delete(out, max(up, down), max(up, down)+1)
}

func (f *newForm) FullHelp() [][]key.Binding { return [][]key.Binding{f.ShortHelp()} }
