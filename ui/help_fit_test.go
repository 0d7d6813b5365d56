package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// helpScreens are a model for each screen whose help the tests sweep: the
// wizard with the rail or the pane focused, the picker, and the
// new-session form reached from the picker.
func helpScreens(t *testing.T) map[string]func() Model {
	t.Helper()
	wizard := func() Model { return New(Options{Now: nowFn, Session: fixtureSession()}) }
	picker := func() Model { return New(Options{Now: nowFn, Sessions: []SessionChoice{{Slug: "a-model"}}}) }
	return map[string]func() Model{
		"rail":   wizard,
		"pane":   func() Model { return press(t, wizard(), keyTab) },
		"picker": picker,
		"form": func() Model {
			m, _ := update(t, picker(), newSessionMsg{})
			return m
		},
	}
}

// TestHelpKeepsEnterAndEscFromFortyColumns: from 40 columns up, the short
// help and the full help ("?") name enter and esc whenever the screen has
// them (shortly labelled when they must be), beside "?" and quitting; at
// 30 to 80 columns the help never outgrows the terminal.
func TestHelpKeepsEnterAndEscFromFortyColumns(t *testing.T) {
	t.Parallel()
	for name, fresh := range helpScreens(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, full := range []bool{false, true} {
				m := fresh()
				if full {
					m = press(t, m, keyRune('?'))
				}
				var wants []string
				for _, b := range m.active().ShortHelp() {
					for _, k := range []string{"enter", "esc"} {
						if hasKey(b, k) && !slices.Contains(wants, k+" ") {
							wants = append(wants, k+" ", k+"/")
						}
					}
				}
				for w := 30; w <= 80; w++ {
					m, _ := update(t, m, tea.WindowSizeMsg{Width: w, Height: 40})
					bar := ansi.Strip(m.helpView())
					requireFrameFits(t, m, w, 40)
					if w < 40 {
						continue
					}
					for i := 0; i < len(wants); i += 2 {
						if !strings.Contains(bar, wants[i]) && !strings.Contains(bar, wants[i+1]) {
							t.Fatalf("%s (full %v) at %d: no %q in the help:\n%s", name, full, w, strings.TrimSpace(wants[i]), bar)
						}
					}
					quits := []string{"? ", "q "}
					if name == "form" {
						quits = []string{"ctrl+c "} // q is typed into the form
					}
					for _, k := range quits {
						if !strings.Contains(bar, k) {
							t.Fatalf("%s (full %v) at %d: no %q in the help:\n%s", name, full, w, k, bar)
						}
					}
				}
			}
		})
	}
}

func TestHelpShortensEnterAndEscBeforeDroppingThem(t *testing.T) {
	t.Parallel()
	screens := helpScreens(t)
	m, _ := update(t, screens["rail"](), tea.WindowSizeMsg{Width: 40, Height: 40})
	assert.Equal(t, "enter/l/→ open • ? more keys • q quit", ansi.Strip(m.helpView()), "the label shrinks, every key kept")
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 43, Height: 40})
	assert.Equal(t, "enter/l/→ open phase • ? more keys • q quit", ansi.Strip(m.helpView()), "in full where it fits")

	// At 16 rows every key in one column would take more than half the
	// screen: the pane's keys make one column beside help and quitting,
	// esc shortly labelled; the rail's lose g and G, and fit in one.
	m, _ = update(t, press(t, screens["pane"](), keyRune('?')), tea.WindowSizeMsg{Width: 40, Height: 16})
	v := ansi.Strip(m.helpView())
	assert.Regexp(t, `↑/k +scroll up +\? +fewer keys`, v)
	assert.Regexp(t, `(?m)^esc +back +$`, v)
	requireFrameFits(t, m, 40, 16)
	m, _ = update(t, press(t, screens["rail"](), keyRune('?')), tea.WindowSizeMsg{Width: 40, Height: 16})
	v = ansi.Strip(m.helpView())
	assert.Regexp(t, `↓/j +next phase`, v)
	assert.Regexp(t, `enter/l/→ +open phase`, v)
	assert.NotContains(t, v, "g/home")
	requireFrameFits(t, m, 40, 16)
}

// TestFullHelpKeepsScrollKeysLongest: "?" used to drop the scroll keys
// at 50×15 in the pane (their column held no essential key) and keep g
// and G. Moving keys now outlast every other navigation key: wherever the
// full help shows a jump (g/home, G/end) it shows ↑/↓ too, and pgup and
// pgdn go together, before ↑ and ↓.
func TestFullHelpKeepsScrollKeysLongest(t *testing.T) {
	t.Parallel()
	screens := helpScreens(t)
	m, _ := update(t, press(t, screens["pane"](), keyRune('?')), tea.WindowSizeMsg{Width: 50, Height: 15})
	for _, re := range []string{`↑/k +scroll up`, `↓/j +scroll down`, `pgup +page up`, `pgdn +page down`, `esc`, `\? +fewer keys`} {
		assert.Regexp(t, re, ansi.Strip(m.helpView()), "50x15")
	}
	for _, name := range []string{"pane", "rail", "picker"} {
		full := press(t, screens[name](), keyRune('?'))
		for w := 40; w <= 80; w += 10 {
			for h := 10; h <= 22; h += 3 {
				m, _ := update(t, full, tea.WindowSizeMsg{Width: w, Height: h})
				v := ansi.Strip(m.helpView())
				arrows := strings.Contains(v, "↑/k") && strings.Contains(v, "↓/j")
				if strings.Contains(v, "g/home") || strings.Contains(v, "G/end") {
					require.Truef(t, arrows, "%s %dx%d: a jump key without ↑/↓:\n%s", name, w, h, v)
					if name != "rail" {
						require.Containsf(t, v, "pgdn", "%s %dx%d: a jump key without pgdn:\n%s", name, w, h, v)
					}
				}
				require.Equalf(t, strings.Contains(v, "pgup"), strings.Contains(v, "pgdn"), "%s %dx%d: pgup and pgdn go together:\n%s", name, w, h, v)
				if strings.Contains(v, "pgdn") {
					require.Truef(t, arrows, "%s %dx%d: pgdn without ↑/↓:\n%s", name, w, h, v)
				}
				requireFrameFits(t, m, w, h)
			}
		}
	}
}

// TestFullHelpDropsOtherKeysBeforeTheMovingOnes follows fitFullHelp's
// order on a screen whose other keys come first: at every size, the jumps
// go before everything, the other keys before pgup/pgdn, and those before
// ↑/↓; the essential keys stay.
func TestFullHelpDropsOtherKeysBeforeTheMovingOnes(t *testing.T) {
	t.Parallel()
	b := func(k, desc string) key.Binding { return key.NewBinding(key.WithKeys(k), key.WithHelp(k, desc)) }
	groups := [][]key.Binding{
		{b("x", "export the table"), b("y", "copy the path")},
		{b("up", "scroll up"), b("down", "scroll down"), b("pgup", "page up"), b("pgdown", "page down"),
			b("home", "top"), b("end", "bottom")},
		{b("?", "fewer keys"), b("q", "quit")},
	}
	has := func(gs [][]key.Binding, k string) bool {
		return slices.ContainsFunc(slices.Concat(gs...), func(b key.Binding) bool { return hasKey(b, k) })
	}
	for w := 10; w <= 90; w += 4 {
		for rows := 1; rows <= 8; rows++ {
			gs := fitFullHelp(help.New(), groups, w, rows)
			at := fmt.Sprintf("%dx%d: %v", w, rows, slices.Concat(gs...))
			assert.True(t, has(gs, "?") && has(gs, "q"), at)
			if has(gs, "home") || has(gs, "end") {
				assert.True(t, has(gs, "x") && has(gs, "y"), "a jump outlived another key at %s", at)
			}
			if has(gs, "x") || has(gs, "y") {
				assert.True(t, has(gs, "pgup") && has(gs, "pgdown"), "another key outlived pgup/pgdn at %s", at)
			}
			if has(gs, "pgup") || has(gs, "pgdown") {
				assert.True(t, has(gs, "up") && has(gs, "down"), "pgup/pgdn outlived ↑/↓ at %s", at)
			}
		}
	}
}

// TestFullHelpKeepsNavigationInOneColumn: at 40×24 "?" lists every key of
// the wizard, navigation included, in one column with full labels, rather
// than keeping only enter and quitting side by side.
func TestFullHelpKeepsNavigationInOneColumn(t *testing.T) {
	t.Parallel()
	screens := helpScreens(t)
	for name, want := range map[string][]string{
		"rail": {`↑/k +previous phase`, `↓/j +next phase`, `g/home +first`, `G/end +last`, `enter/l/→ +open phase`},
		"pane": {`↑/k +scroll up`, `↓/j +scroll down`, `pgup +page up`, `pgdn +page down`, `g/home +top`, `G/end +bottom`,
			`esc/h/← +back to phases`},
	} {
		m, _ := update(t, press(t, screens[name](), keyRune('?')), tea.WindowSizeMsg{Width: 40, Height: 24})
		v := plainView(m)
		for _, re := range append(want, `\? +fewer keys`, `q +quit`, `ctrl\+c +quit`) {
			assert.Regexp(t, re, v, name)
		}
		requireFrameFits(t, m, 40, 24)
		assert.Regexp(t, `(?m)^[│┃]`, v, "%s: the screen it explains still shows", name)
	}
}

// Where only the label must shrink, the full help keeps every key of
// esc: "esc/h/← back" at 60 columns, "esc/h/← back to phases" at 80.
func TestFullHelpShortensTheLabelBeforeTheKeys(t *testing.T) {
	t.Parallel()
	pane := helpScreens(t)["pane"]
	m, _ := update(t, press(t, pane(), keyRune('?')), tea.WindowSizeMsg{Width: 80, Height: 24})
	assert.Contains(t, ansi.Strip(m.helpView()), "esc/h/← back to phases")
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 60, Height: 24})
	assert.Contains(t, ansi.Strip(m.helpView()), "esc/h/← back")
}

// The focused pane's hint counts what is below ("↓ 8 more lines") and
// leaves the keys to the help bar, which names them "↑/↓ scroll", not j/k.
func TestPaneHintLeavesTheKeysToTheHelpBar(t *testing.T) {
	t.Parallel()
	m, _ := update(t, helpScreens(t)["pane"](), tea.WindowSizeMsg{Width: 80, Height: 24})
	lines := strings.Split(plainView(m), "\n")
	assert.Regexp(t, `┃ ↓ 8 more lines +┃$`, lines[len(lines)-3], "the count alone")
	assert.Equal(t, "↑/↓ scroll • esc phases • ? more keys • q quit", lines[len(lines)-1])
	assert.NotContains(t, plainView(m), "j/k")
}
