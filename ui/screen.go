package ui

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
)

// screen is the contract every screen implements. Only the root Model
// returns a tea.View; screens render plain strings sized by SetSize and
// contribute their own keys to the help bar.
type screen interface {
	Init() tea.Cmd
	Update(tea.Msg) (screen, tea.Cmd)
	View() string
	SetSize(w, h int)
	help.KeyMap
}

// screenKind says which screen the root shows.
type screenKind int

const (
	screenPicker screenKind = iota
	screenForm
	screenWizard
)
