package ui

import "charm.land/bubbles/v2/key"

// KeyMap is every key binding the UI uses. One table drives both dispatch
// and the help bar, so the help can never disagree with the keys.
type KeyMap struct {
	// Moving in a list (rail, picker) or scrolling the phase pane.
	Up, Down, Top, Bottom key.Binding
	PageUp, PageDown      key.Binding
	// Focus moves from the rail into the phase pane; Back returns to the
	// rail (or, in the new-session form, to the picker); Switch toggles,
	// with shift+tab as well as tab: with two panes, backwards is the
	// other one too.
	Focus, Back, Switch key.Binding
	// Picker. Filter starts a filter line; ClearFilter ends it, and is esc
	// alone (not Back's h and ←), since while filtering h is text.
	Open, New, Filter, ClearFilter key.Binding
	// Global.
	Help, Quit, ForceQuit key.Binding
}

// DefaultKeyMap returns the standard bindings: arrows and vim keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:         key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "first")),
		Bottom:      key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "last")),
		PageUp:      key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown", "ctrl+d", "space"), key.WithHelp("pgdn", "page down")),
		Focus:       key.NewBinding(key.WithKeys("enter", "l", "right"), key.WithHelp("enter/l/→", "open phase")),
		Back:        key.NewBinding(key.WithKeys("esc", "h", "left"), key.WithHelp("esc/h/←", "back to phases")),
		Switch:      key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", "switch pane")),
		Open:        key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		New:         key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new session")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Help:        key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
		Quit:        key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit:   key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
}

// withHelp returns a copy of b with its help text replaced; screens use it
// to say what a shared key does in their context.
func withHelp(b key.Binding, k, desc string) key.Binding {
	b.SetHelp(k, desc)
	return b
}

// enabledIf returns a copy of b, disabled unless on: the help leaves a
// disabled binding out, so it never offers a key that would do nothing.
// Screens use it on their help's copies only; dispatch uses the KeyMap.
func enabledIf(b key.Binding, on bool) key.Binding {
	b.SetEnabled(on)
	return b
}
