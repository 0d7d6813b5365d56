package ui

import (
	"reflect"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
)

// huh moves between fields by messages: a field answers enter with a
// command that returns "next field", and the last field of a group then
// returns "next group". Keys already queued (fast typing; a terminal's
// bracketed paste is one PasteMsg instead, which fills the focused field)
// would reach the field being left before those messages arrive: "a.org⏎12"
// typed in one burst made the host "a.org12". So the form makes every
// move itself, synchronously with the key that asks for it (move), and
// drops huh's deferred move messages when they arrive (isHuhMove).

// huhPkg is huh's package path, to recognise its unexported messages.
var huhPkg = reflect.TypeFor[huh.Form]().PkgPath()

// isHuhMove reports whether msg is one of huh's field or group moves:
// nextFieldMsg, prevFieldMsg, nextGroupMsg, prevGroupMsg.
func isHuhMove(msg tea.Msg) bool {
	t := reflect.TypeOf(msg)
	if t == nil || t.PkgPath() != huhPkg {
		return false
	}
	switch t.Name() {
	case "nextFieldMsg", "prevFieldMsg", "nextGroupMsg", "prevGroupMsg":
		return true
	}
	return false
}

// move makes the move huh's field from asked for when it handled k (the
// form has already given k to it): forward on enter (tab too, except on
// the last field), back on shift+tab (except on the first). A field whose
// validation refused k asked for nothing. It mirrors what huh's messages
// would do: the field moves within its group, and from its group's last
// (or first) field on to the next (or previous) shown group.
func (f *newForm) move(k tea.KeyPressMsg, from huh.Field) tea.Cmd {
	if from == nil || f.form.State != huh.StateNormal || f.form.GetFocusedField() != from || from.Error() != nil {
		return nil
	}
	km := f.moveKeys
	last := from.GetKey() == keySlug
	first := from.GetKey() == keyKind || (f.ans.Fixed != nil && last)
	switch {
	case (last && key.Matches(k, km.Submit)) || (!last && key.Matches(k, km.Next)):
		cmd := f.form.NextField()
		if f.form.GetFocusedField() == from { // the group's last field
			cmd = tea.Batch(cmd, f.form.NextGroup())
		}
		return cmd
	case !first && key.Matches(k, km.Prev):
		// Leaving an answer backwards is not submitting it: huh validates
		// the field it blurs, and the validators pass while goingBack.
		f.goingBack = true
		defer func() { f.goingBack = false }()
		cmd := f.form.PrevField()
		if f.form.GetFocusedField() == from { // the group's first field
			cmd = tea.Batch(cmd, f.form.PrevGroup())
		}
		return cmd
	}
	return nil
}
