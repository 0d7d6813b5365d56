package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// formLayout is how much text surrounds the form's inputs.
type formLayout struct {
	intro bool // the paragraph under the title
	descs bool // the fields' descriptions (and a blank line above the form)
	title bool // "New session · step 2 of 3"
}

// formLayouts, richest first: on a short terminal the intro goes first,
// then the descriptions, then the title line, so the focused input and its
// options stay on screen.
var formLayouts = []formLayout{
	{intro: true, descs: true, title: true},
	{descs: true, title: true},
	{title: true},
	{},
}

// fitKey is what a layout was chosen for: the slug's description, which
// credits the suggestion only while the slug is still it, changes too.
type fitKey struct {
	w, h      int
	errs      string
	suggested bool
}

// introText is the paragraph under the title; fixedIntroText replaces it
// when the catalog was chosen before the form and only the slug is asked.
const (
	introText      = "Where your catalog is, and a short name for the model. enter moves on, shift+tab goes back."
	fixedIntroText = "The command line chose the catalog; now a short name for the model. enter creates the session."
)

// formWidth is the width the huh form gets: the screen minus a margin,
// capped so lines stay readable on wide terminals.
func (f *newForm) formWidth() int { return max(min(f.w-2, formMaxWidth), 1) }

// sizeForm picks the richest layout whose text and form fit the height,
// then gives the huh form what is left. It redoes this only when the area
// or the shown errors (which take lines) changed.
func (f *newForm) sizeForm() {
	if f.w <= 0 || f.h <= 0 || f.form == nil || f.form.State != huh.StateNormal {
		return
	}
	k := fitKey{w: f.formWidth(), h: f.h, errs: f.errorText(), suggested: f.suggested()}
	if k == f.sized {
		return
	}
	f.sized = k
	need := map[bool]int{}
	for i, l := range formLayouts {
		f.layout = l
		if _, ok := need[l.descs]; !ok {
			f.setDescriptions(l.descs)
			need[l.descs] = f.measure(k.w)
		}
		if len(f.intro())+need[l.descs]+len(f.errorLines()) <= f.h || i == len(formLayouts)-1 {
			break
		}
	}
	f.setDescriptions(f.layout.descs)
	// The focused field's title and input come first: the errors get only
	// the rows the form leaves (shownErrors cuts them to errRows).
	f.errRows = max(f.h-len(f.intro())-need[f.layout.descs], 0)
	f.resize(k.w, max(f.h-len(f.intro())-len(f.shownErrors()), 1))
}

// shownErrors are errorLines cut to the errRows sizeForm left them: the
// blank line above goes first, then the last lines, the new last one
// ending with "…" (the first lines say what failed, the most useful).
func (f *newForm) shownErrors() []string {
	lines := f.errorLines()
	if len(lines) <= f.errRows {
		return lines
	}
	if len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	if len(lines) <= f.errRows {
		return lines
	}
	if f.errRows <= 0 {
		return nil
	}
	lines = lines[:f.errRows]
	last := ansi.Strip(lines[f.errRows-1])
	lines[f.errRows-1] = f.st.Error.Render(truncate(last+" …", f.formWidth()))
	return lines
}

// errorText is the current group's errors, which take lines under it.
func (f *newForm) errorText() string {
	var b strings.Builder
	for _, err := range f.form.Errors() {
		b.WriteString(err.Error() + "\n")
	}
	return b.String()
}

// measure is the height the huh form takes when it has all it wants.
func (f *newForm) measure(w int) int {
	f.resize(w, 1<<12)
	return lipgloss.Height(f.form.View())
}

// resize sends the huh form its area. Field heights are reset first: huh
// only ever shrinks them, and a field shrunk on a short terminal would
// stay clipped after it grew.
func (f *newForm) resize(w, h int) {
	for _, fld := range f.fields() {
		fld.WithHeight(0)
	}
	fm, _ := f.form.Update(tea.WindowSizeMsg{Width: w, Height: h})
	if ff, ok := fm.(*huh.Form); ok {
		f.form = ff
	}
}

// setDescriptions shows or hides the fields' descriptions, wrapped here so
// huh's wrapping (which breaks at '-' and '.') never splits a URL or path.
func (f *newForm) setDescriptions(on bool) {
	w := max(f.formWidth()-f.theme().Focused.Base.GetHorizontalFrameSize(), 1)
	d := func(s string) string {
		if !on {
			return ""
		}
		return strings.Join(wrap(s, w), "\n")
	}
	f.kind.Description(d(kindDesc))
	f.host.Description(d(hostDesc))
	f.catalogID.Description(d(catalogDesc))
	f.slugIn.Description(d(f.slugDescription()))
}

// intro is the text above the form for the current layout.
func (f *newForm) intro() []string {
	var lines []string
	if f.layout.title {
		lines = append(lines, f.st.Title.Render("New session")+f.st.Muted.Render(" · "+f.step()))
	}
	if f.layout.intro {
		text := introText
		if f.ans.Fixed != nil {
			text = fixedIntroText
		}
		for _, l := range wrap(text, f.formWidth()) {
			lines = append(lines, f.st.Muted.Render(l))
		}
	}
	if f.layout.descs {
		lines = append(lines, "")
	}
	if f.ans.Fixed != nil && f.layout.title {
		// Where the session will be, in the words of the wizard's header;
		// it goes with the title, the last text to give way.
		lines = append(lines, f.catalogLine())
	}
	return lines
}

// catalogLine names the catalog chosen before the form, above the slug.
func (f *newForm) catalogLine() string {
	const label = "Catalog: "
	return f.st.Muted.Render(label) + f.st.Body.Render(fitCatalog(*f.ans.Fixed, f.formWidth()-len(label)))
}
