package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

func TestWrapNeverBreaksACommandOrURL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		text string
		w    int
		want []string
	}{
		{"open it with: cyclezero resume diagnosis-classifier", 36,
			[]string{"open it with: cyclezero resume", "diagnosis-classifier"}},
		{"A name (HTTPS), https://name, or http://127.0.0.1:PORT for a local server.", 40,
			[]string{"A name (HTTPS), https://name, or", "http://127.0.0.1:PORT for a local", "server."}},
		{"restore it with: cp /a/b.json.bak /a/b.json", 20,
			[]string{"restore it with: cp", "/a/b.json.bak", "/a/b.json"}},
		{"first\nsecond line", 6, []string{"first", "second", "line"}},
		{"x " + strings.Repeat("a", 25), 10, []string{"x", "aaaaaaaaaa", "aaaaaaaaaa", "aaaaa"}}, // only an over-wide word is cut
		{"", 10, []string{""}},
		{"at /tmp/demo/.git/cyclezero/sessions/m/catalog.sqlite", 30, // a path breaks between directories
			[]string{"at", "/tmp/demo/.git/cyclezero/", "sessions/m/catalog.sqlite"}},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, wrap(c.text, c.w), "%q at %d", c.text, c.w)
	}
}

func TestTruncateMiddleKeepsBothEnds(t *testing.T) {
	t.Parallel()
	p := "/tmp/xdemo-1/.git/cyclezero/sessions/diagnosis-classifier/catalog.sqlite"
	got := truncateMiddle(p, 40)
	assert.Equal(t, 40, displayWidth(got), got)
	assert.True(t, strings.HasPrefix(got, "/tmp/xdemo-1") && strings.HasSuffix(got, "classifier/catalog.sqlite"), got)
	assert.Contains(t, got, "…")
	assert.Equal(t, "short", truncateMiddle("short", 40))
}

func TestReadOnlyHeaderFitsAndTheReasonKeepsThePID(t *testing.T) {
	t.Parallel()
	s := fixtureSession()
	s.Slug = "diagnosis-classifier-with-a-long-name"
	m := wizardModel(t, Options{Session: s, ReadOnly: true, ReadOnlyReason: "in use by another cyclezero (pid 424242)"})
	lines := strings.Split(plainView(m), "\n")
	assert.Regexp(t, `^cyclezero · diagnosis-classifier-with-a-long-name · catalog 1 +\[read-only\]$`, lines[0],
		"the slug is whole; the catalog gives way, the host before the catalog id; the badge is short")
	assert.Contains(t, plainView(m), "read-only: in use by another cyclezero (pid 424242); changes here are not saved.")

	s.Slug = strings.Repeat("x", 75)
	m = wizardModel(t, Options{Session: s, ReadOnly: true})
	head := strings.Split(plainView(m), "\n")[0]
	assert.True(t, strings.HasSuffix(head, "[read-only]"), head)
	assert.True(t, strings.HasPrefix(head, "xxxx"), "a slug too long for the line goes before the brand: %q", head)
}

func TestHelpBarAlwaysShowsHelpAndQuit(t *testing.T) {
	t.Parallel()
	wizard := func() Model { return New(Options{Now: nowFn, Session: fixtureSession()}) }
	picker := New(Options{Now: nowFn, Sessions: []SessionChoice{{Slug: "a-model"}}})
	for name, m := range map[string]Model{"rail": wizard(), "pane": press(t, wizard(), keyTab), "picker": picker} {
		for w := tinyWidth; w <= 90; w++ {
			m, _ := update(t, m, tea.WindowSizeMsg{Width: w, Height: 20})
			lines := strings.Split(plainView(m), "\n")
			bar := lines[len(lines)-1]
			assert.Contains(t, bar, "? more keys", "%s at %d: %q", name, w, bar)
			assert.Contains(t, bar, "q quit", "%s at %d: %q", name, w, bar)
			assert.NotContains(t, bar, "…", "%s at %d: bindings are dropped whole", name, w)
		}
	}
	m, _ := update(t, wizard(), tea.WindowSizeMsg{Width: 60, Height: 20})
	bar := strings.Split(plainView(m), "\n")[19]
	assert.Equal(t, "↑/↓ phase • enter/l/→ open phase • ? more keys • q quit", bar, "tab gives way before enter")
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 60, Height: 15})
	view := plainView(m)
	assert.NotContains(t, view, "tab", "the help bar dropped tab at 60×15: nothing may tell the user to press it")
	assert.Contains(t, view, "enter to scroll")
	assert.Contains(t, view, "[3↻]", "the compact strip")
	assert.Contains(t, view, "↑/↓ phase", "↑/↓ move between phases while the phases have the keys")
	pane := press(t, m, keyEnter)
	assert.Contains(t, plainView(pane), "↑/↓ scroll · esc phases", "and scroll once the pane has them")
	assert.NotContains(t, plainView(pane), "↑/↓ phase")

	m = press(t, m, keyRune('?'))
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 40, Height: 20})
	assert.Regexp(t, `q +quit`, plainView(m), "the full help keeps its help-and-quit column")
	requireFrameFits(t, m, 40, 20)
}

func TestFormKeepsTheInputVisibleOnShortTerminals(t *testing.T) {
	t.Parallel()
	d := formDriver(t, &createRecorder{})
	d.send(tea.WindowSizeMsg{Width: 40, Height: 10})
	v := d.view()
	assert.Contains(t, v, "> Embedded local catalog")
	assert.Contains(t, v, "A Deriva server", "both options show")
	assert.NotContains(t, v, "Where your catalog is", "the intro gives way first")
	assert.Contains(t, v, "enter select", "enter outlasts the arrows in the help bar")
	d.send(keyRune('j'), keyEnter)
	v = d.view()
	assert.Contains(t, v, "> e.g. deriva.example.org", "the input shows, not just text about it")
	assert.Contains(t, v, "> e.g. 1")
	requireFrameFits(t, d.m, 40, 10)

	d.send(tea.WindowSizeMsg{Width: 40, Height: 8})
	assert.Contains(t, d.view(), "> e.g. deriva.example.org", "at the minimum size too")
	requireFrameFits(t, d.m, 40, 8)

	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	v = d.view()
	assert.NotContains(t, v, "host is empty", "going back is not an answer")
	assert.Contains(t, v, "Where your catalog is", "the intro comes back with room")
	assert.Contains(t, v, "http://127.0.0.1:PORT for a local server.", "and the descriptions, URLs whole")
	d.send(keyShiftTab)
	v = d.view()
	assert.Contains(t, v, "The embedded catalog works offline")
	assert.Contains(t, v, "Embedded local catalog (offline, default)", "a select shrunk earlier grows back")
	assert.Contains(t, v, "> A Deriva server")
}

func TestFormErrorIsWrappedWhole(t *testing.T) {
	t.Parallel()
	c := &createRecorder{err: fmt.Errorf("a session \"diagnosis-classifier\" already exists; open it with: cyclezero resume diagnosis-classifier: %w", state.ErrExists)}
	d := newDriver(t, New(Options{Now: nowFn, Create: c.create}))
	d.send(tea.WindowSizeMsg{Width: 60, Height: 24}, keyEnter)
	d.typeText("diagnosis-classifier")
	d.send(keyEnter)
	for _, w := range []int{60, 47, 80, 41} { // re-wrapped on resize
		d.send(tea.WindowSizeMsg{Width: w, Height: 24})
		v := d.view()
		assert.Contains(t, v, "✗ could not create the session")
		assert.Contains(t, v, "cyclezero resume")
		for _, l := range strings.Split(v, "\n") {
			if strings.Contains(l, "classifier") && !strings.Contains(l, "diagnosis-classifier") {
				t.Fatalf("at %d the slug is split across lines: %q\n%s", w, l, v)
			}
		}
		requireFrameFits(t, d.m, w, 24)
	}
}

func TestLightBackgroundFromCOLORFGBG(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		env  []string
		dark bool
	}{
		{[]string{"COLORFGBG=0;15"}, false},
		{[]string{"COLORFGBG=0;7"}, false},
		{[]string{"COLORFGBG=15;0"}, true},
		{[]string{"COLORFGBG=7;8"}, true},
		{[]string{"COLORFGBG=0;default;15"}, false},
		{[]string{"COLORFGBG=15;default"}, true}, // no usable hint: dark
		{[]string{"COLORFGBG=0;12"}, true},
		{[]string{"COLORFGBG="}, true},
		{[]string{"XCOLORFGBG=0;15"}, true},
		{[]string{"TERM=xterm", "COLORFGBG=0;15", "COLORFGBG=15;0"}, false}, // the first wins
		{nil, true},
	} {
		assert.Equal(t, c.dark, DarkBackground(nil, envLookup(c.env)), "%q", c.env)
	}
	m := New(Options{Env: []string{"COLORFGBG=0;15"}})
	require.False(t, m.st.IsDark, "a light hint starts light")
	m, _ = update(t, m, tea.BackgroundColorMsg{Color: darkGrey{}})
	assert.True(t, m.st.IsDark, "the terminal's own answer wins")
	assert.True(t, New(Options{Env: []string{"COLORFGBG=15;0"}}).st.IsDark)
}

// darkGrey is a dark background colour for BackgroundColorMsg.
type darkGrey struct{}

func (darkGrey) RGBA() (r, g, b, a uint32) { return 0x1111, 0x1111, 0x1111, 0xffff }

func TestPickerShowsInUseAndWholeProblems(t *testing.T) {
	t.Parallel()
	restore := "session file /repo/.git/cyclezero/sessions/broken-model.json is damaged: unexpected EOF; " +
		"the last good copy is /repo/.git/cyclezero/sessions/broken-model.json.bak — restore it with: " +
		"cp /repo/.git/cyclezero/sessions/broken-model.json.bak /repo/.git/cyclezero/sessions/broken-model.json"
	m := New(Options{Now: nowFn, Sessions: []SessionChoice{
		{Slug: "held-model", Current: "schema", InUse: "in use by another cyclezero (pid 4242)"},
		{Slug: "broken-model", Problem: restore},
	}})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
	v := plainView(m)
	assert.Contains(t, v, "▸ held-model  [in use · read-only]")
	assert.Contains(t, v, "Opens read-only: in use by another cyclezero (pid 4242).")
	m = press(t, m, keyRune('j'))
	v = plainView(m)
	assert.Contains(t, v, "cp\n /repo/.git/cyclezero/sessions/broken-model.json.bak\n /repo/.git/cyclezero/sessions/broken-model.json\n",
		"the whole problem shows for the selected session, every path whole")
	requireFrameFits(t, m, 80, 24)

	m, _ = update(t, m, tea.WindowSizeMsg{Width: 40, Height: 10})
	v = plainView(m)
	assert.Contains(t, v, "▸ broken-model", "on a short terminal the selected row still shows")
	assert.Contains(t, v, "…\n", "and the cut note says it was cut")
	requireFrameFits(t, m, 40, 10)
}

func TestFullHelpListsHAndL(t *testing.T) {
	t.Parallel()
	m := press(t, wizardModel(t, Options{}), keyRune('?'))
	assert.Contains(t, plainView(m), "enter/l/→")
	m = press(t, m, keyRune('l'))
	assert.Contains(t, plainView(m), "esc/h/←")
}

func TestRailGrowsToItsTitlesWhileThePaneKeeps50Columns(t *testing.T) {
	t.Parallel()
	m := wizardModel(t, Options{})
	for _, c := range []struct{ w, rail int }{{80, 30}, {85, 35}, {88, 38}, {100, 38}, {200, 38}} {
		m, _ := update(t, m, tea.WindowSizeMsg{Width: c.w, Height: 24})
		assert.Equal(t, c.rail, m.wiz.railW(), "at %d columns", c.w)
	}
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 100, Height: 24})
	assert.Contains(t, plainView(m), "Validate features and labels", "every title whole at 100×24")
	assert.NotContains(t, strings.Join(strings.Split(plainView(m), "\n")[1:12], "\n"), "…", "no title cut")
}

func TestHeaderShowsTheWorkspaceWhenThereIsRoom(t *testing.T) {
	t.Parallel()
	s := fixtureSession()
	s.Catalog = state.CatalogLocation{Kind: state.CatalogLocal, Path: "/x/catalog.sqlite"}
	m := wizardModel(t, Options{Session: s, Workspace: "/tmp/cyclezero-demo-2718281828"})
	head := func(w int) string {
		m, _ := update(t, m, tea.WindowSizeMsg{Width: w, Height: 24})
		return strings.Split(plainView(m), "\n")[0]
	}
	assert.Equal(t, "cyclezero · cifar10-2layer-cnn · local catalog · /tmp/cyclezero-demo-2718281828", head(100))
	assert.Equal(t, "cyclezero · cifar10-2layer-cnn · local catalog · /tmp/cy…emo-2718281828", head(72), "shortened in its middle")
	assert.Equal(t, "cyclezero · cifar10-2layer-cnn · local catalog", head(60), "left out before the catalog gives way")
}

func TestHeaderLeavesOutAWorkspaceNamedLikeTheSession(t *testing.T) {
	t.Parallel()
	s := fixtureSession()
	s.Catalog = state.CatalogLocation{Kind: state.CatalogLocal, Path: "/x/catalog.sqlite"}
	for _, workspace := range []string{s.Slug, "/home/me/models/" + s.Slug} {
		m := wizardModel(t, Options{Session: s, Workspace: workspace})
		m, _ = update(t, m, tea.WindowSizeMsg{Width: 100, Height: 24})
		assert.Equal(t, "cyclezero · cifar10-2layer-cnn · local catalog", strings.Split(plainView(m), "\n")[0], workspace)
	}
}

// TestFullHelpKeepsEnterAndOnlyKeysThatApply: "?" at 60 columns keeps the
// key that opens a phase (the short help keeps it too) and leaves out tab,
// which has no second pane to switch to while the rail is hidden.
func TestFullHelpKeepsEnterAndOnlyKeysThatApply(t *testing.T) {
	t.Parallel()
	m := New(Options{Now: nowFn, Session: fixtureSession()})
	m, _ = update(t, m, tea.WindowSizeMsg{Width: 60, Height: 24})
	m = press(t, m, keyRune('?'))
	view := plainView(m)
	assert.Regexp(t, `enter/l/→ +open phase`, view, "the primary key's column is the last to go")
	assert.NotContains(t, view, "tab", "no rail: nothing to switch to")
	assert.Regexp(t, `q +quit`, view)
	requireFrameFits(t, m, 60, 24)

	m, _ = update(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
	assert.Regexp(t, `tab +switch pane`, plainView(m), "beside the rail tab switches panes")
	for _, w := range []int{40, 50} {
		m, _ = update(t, m, tea.WindowSizeMsg{Width: w, Height: 24})
		assert.Regexp(t, `q +quit`, plainView(m), "at %d", w)
		requireFrameFits(t, m, w, 24)
	}

	picker := New(Options{Now: nowFn, Sessions: []SessionChoice{{Slug: "a-model"}}})
	picker, _ = update(t, picker, tea.WindowSizeMsg{Width: 50, Height: 24})
	picker = press(t, picker, keyRune('?'))
	assert.Regexp(t, `enter +open`, plainView(picker), "the picker's open key stays")
}
