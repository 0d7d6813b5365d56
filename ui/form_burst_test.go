package ui

import (
	"context"
	"errors"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// burst feeds keys the way fast typing (or an unbracketed paste) arrives: one after
// another, before any command a key returned has answered; then it lets
// every command answer.
func (d *driver) burst(keys ...tea.KeyPressMsg) {
	d.t.Helper()
	for _, k := range keys {
		d.feed(k)
	}
	d.settle()
}

// typed is s as key presses.
func typed(s string) []tea.KeyPressMsg {
	var out []tea.KeyPressMsg
	for _, r := range s {
		out = append(out, keyRune(r))
	}
	return out
}

// keys joins key presses and strings typed into one burst.
func keys(parts ...any) []tea.KeyPressMsg {
	var out []tea.KeyPressMsg
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			out = append(out, typed(p)...)
		case tea.KeyPressMsg:
			out = append(out, p)
		}
	}
	return out
}

// Answers typed in one burst each land in their own field: enter moves
// the focus before the next key is handled, on the select as on the
// inputs, and the last enter creates the session.
func TestFormBurstLandsEachAnswerInItsField(t *testing.T) {
	t.Parallel()
	c := &createRecorder{}
	d := formDriver(t, c)
	d.burst(keys("j", keyEnter, "a.org", keyEnter, "12", keyEnter, "my-x")...)
	assert.Equal(t, "a.org", d.m.form.ans.Host)
	assert.Equal(t, "12", d.m.form.ans.CatalogID)
	assert.Equal(t, "my-x", d.m.form.ans.Slug)
	require.Equal(t, keySlug, d.m.form.form.GetFocusedField().GetKey(), "no enter was swallowed")

	d.burst(keyEnter)
	require.Equal(t, []NewSession{{
		Slug:    "my-x",
		Catalog: state.CatalogLocation{Kind: state.CatalogERMrest, Host: "https://a.org", CatalogID: "12"},
	}}, c.calls)
}

// The whole form in one burst, submit included, creates the session once.
func TestFormBurstSubmitsOnce(t *testing.T) {
	t.Parallel()
	c := &createRecorder{}
	d := formDriver(t, c)
	d.burst(keys(keyEnter, "local-x", keyEnter)...)
	require.Equal(t, []NewSession{{Slug: "local-x", Catalog: state.CatalogLocation{Kind: state.CatalogLocal}}}, c.calls)
	assert.Equal(t, screenWizard, d.m.screen)
}

// A refused answer keeps the focus: the keys after it in the burst stay
// in the field at fault, as they would typed slowly.
func TestFormBurstStopsAtARefusedAnswer(t *testing.T) {
	t.Parallel()
	d := formDriver(t, &createRecorder{})
	d.burst(keys("j", keyEnter, keyEnter, "a.org")...) // empty host refused
	assert.Equal(t, keyHost, d.m.form.form.GetFocusedField().GetKey())
	assert.Equal(t, "a.org", d.m.form.ans.Host)
	assert.Empty(t, d.m.form.ans.CatalogID)
}

// shift+tab also moves before the next key: typing right after it edits
// the field gone back to, and going back is still not submitting.
func TestFormBurstShiftTabThenTyping(t *testing.T) {
	t.Parallel()
	d := formDriver(t, &createRecorder{})
	d.burst(keys("j", keyEnter, "a.org", keyEnter, "12", keyShiftTab, "x", keyShiftTab, "k")...)
	assert.Equal(t, "a.orgx", d.m.form.ans.Host)
	assert.Equal(t, "12", d.m.form.ans.CatalogID)
	assert.Equal(t, keyKind, d.m.form.form.GetFocusedField().GetKey())
	assert.Equal(t, state.CatalogLocal, d.m.form.ans.Kind, "k moved the select, not the host")
	assert.Empty(t, d.m.form.form.Errors())
}

// isHuhMove knows huh's move messages by their names: a huh that renamed
// them would make the form move twice, so this checks they still exist.
func TestIsHuhMoveKnowsHuhsMessages(t *testing.T) {
	t.Parallel()
	assert.True(t, isHuhMove(huh.NextField()))
	assert.True(t, isHuhMove(huh.PrevField()))
	assert.False(t, isHuhMove(keyEnter))
	assert.False(t, isHuhMove(nil))
	next := huh.NewForm(huh.NewGroup(huh.NewInput()), huh.NewGroup(huh.NewInput()))
	next.Init()
	assert.True(t, anyMove(msgsOf(next.NextField())), "the last field of a group asks for the next group")
	prev := huh.NewForm(huh.NewGroup(huh.NewInput()), huh.NewGroup(huh.NewInput()))
	prev.Init()
	prev.NextGroup()
	assert.True(t, anyMove(msgsOf(prev.PrevField())), "the first field of a group asks for the previous group")
}

// msgsOf runs cmd and the commands of the batches it returns, skipping
// cursor blinks (timers).
func msgsOf(cmd tea.Cmd) []tea.Msg {
	if cmd == nil || isBlink(cmd) {
		return nil
	}
	switch m := cmd().(type) {
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range m {
			out = append(out, msgsOf(c)...)
		}
		return out
	default:
		return []tea.Msg{m}
	}
}

func anyMove(msgs []tea.Msg) bool {
	for _, m := range msgs {
		if isHuhMove(m) {
			return true
		}
	}
	return false
}

// The picker hands "new session" to the root within the key's own
// update, so keys typed right after n reach the form, not the picker
// (where an enter would open a session behind the form).
func TestPickerNewThenBurstLandsInTheForm(t *testing.T) {
	t.Parallel()
	opened := 0
	d := newDriver(t, New(Options{Now: nowFn, Sessions: []SessionChoice{{Slug: "my-x"}},
		Open: func(ctx context.Context, slug string) (*state.Session, bool, string, error) {
			opened++
			return nil, false, "", errors.New("not opened in this test")
		}}))
	d.burst(keys("n", keyEnter, "my-y")...)
	require.Equal(t, screenForm, d.m.screen)
	assert.Zero(t, opened, "the enter after n chose the local catalog; it opened nothing")
	assert.Equal(t, keySlug, d.m.form.form.GetFocusedField().GetKey(), "the enter moved the form on")
	assert.Contains(t, d.m.form.ans.Slug, "my-y", "the typing landed in the slug")
}
