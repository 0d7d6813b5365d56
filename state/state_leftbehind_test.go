package state

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// The note says "it" or "them" for the sessions its command moves, not
// for all that were left behind: the taken ones stay.
func TestLeftBehindSentenceCountsWhatItMoves(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		slugs, taken []string
		want         string
	}{
		{[]string{"a"}, nil, "1 session started before `git init` is in /x (a), not where this repository's sessions are (/t): move it with: mv …"},
		{[]string{"a", "b"}, nil, ": move them with: mv …"},
		{[]string{"a", "b"}, []string{"b"}, ": move it with: mv … (b left out: this repository has sessions of the same names)"},
		{[]string{"a", "b", "c"}, []string{"c"}, "3 sessions started before `git init` are in /x (a, b, c), not where this repository's sessions are (/t): move them with: mv … (c left out"},
	} {
		lb := LeftBehind{Dir: "/x", Slugs: c.slugs, Taken: c.taken, Move: "mv …"}
		assert.Contains(t, lb.sentence("/t"), c.want)
	}
	lb := LeftBehind{Dir: "/x", Slugs: []string{"a"}, Taken: []string{"a"}}
	assert.NotContains(t, lb.sentence("/t"), "move", "nothing to move")
}
