package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/state"
)

// Outside git the sessions belong to a directory, and the UI says so, as
// cmd's messages do ("no session x in this directory (…)"); in a
// repository it says repository.
func TestTheUINamesADirectoryOutsideGit(t *testing.T) {
	t.Parallel()
	sessions := []SessionChoice{{Slug: "a"}, {Slug: "b"}}
	for _, outside := range []bool{true, false} {
		want, other := "directory", "repository"
		if !outside {
			want, other = other, want
		}
		_, out := runLines(t, Options{Sessions: sessions, OutsideGit: outside}, "q\n")
		assert.Contains(t, out, "Sessions in this "+want+": 2.")

		m := New(Options{Now: nowFn, Sessions: sessions, OutsideGit: outside})
		m, _ = update(t, m, tea.WindowSizeMsg{Width: 100, Height: 30})
		assert.Contains(t, plainView(m), "One session per model in this "+want+".")
		assert.NotContains(t, plainView(m), other)

		d := newDriver(t, New(Options{Now: nowFn, SuggestedSlug: "my-model", OutsideGit: outside}))
		d.send(keyEnter) // the local catalog: on to the slug
		assert.Contains(t, d.view(), "Suggested from the "+want+"'s name")

		fp := func(context.Context) (state.Fingerprint, error) { return state.Fingerprint{}, errors.New("git failed") }
		_, out = runLines(t, Options{Session: fixtureSession(), Fingerprint: fp, OutsideGit: outside}, "q\n")
		assert.Contains(t, out, "Could not check the "+want+" for changes")
		assert.False(t, strings.Contains(out, "the "+other), out)
	}
}
