package ui

import (
	"bufio"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/state"
)

// longLine is a pasted answer longer than huh's prompt can scan (64 KiB).
var longLine = strings.Repeat("a", 70000)

// An answer of 70,000 characters at any typed prompt is refused in words
// and asked again; the default (here the suggested slug r5) is never
// taken in its place, and no rest of the line answers the next prompt.
func TestAccessibleRefusesAnOverLongAnswerAtEveryTypedPrompt(t *testing.T) {
	t.Parallel()
	server := func(slug string) NewSession {
		return NewSession{Slug: slug, Catalog: state.CatalogLocation{
			Kind: state.CatalogERMrest, Host: "https://deriva.example.org", CatalogID: "7"}}
	}
	for _, tc := range []struct {
		prompt, input string
		want          NewSession
	}{
		{"Model slug", "1\n" + longLine + "\nmy-model\nq\n",
			NewSession{Slug: "my-model", Catalog: state.CatalogLocation{Kind: state.CatalogLocal}}},
		{"Deriva host", "2\n" + longLine + "\nderiva.example.org\n7\nmy-model\nq\n", server("my-model")},
		{"Catalog id", "2\nderiva.example.org\n" + longLine + "\n7\nmy-model\nq\n", server("my-model")},
	} {
		t.Run(tc.prompt, func(t *testing.T) {
			t.Parallel()
			var c creator
			_, out := runLines(t, Options{Create: c.create, SuggestedSlug: "r5"}, tc.input)
			require.Len(t, c.calls, 1, "one session, from the answers given:\n%s", out)
			assert.Equal(t, tc.want, c.calls[0])
			assert.Equal(t, 1, strings.Count(out, "Not accepted: that answer is over 1024 characters; no answer here is that long\nTry again."), out)
			assert.NotContains(t, out, strings.Repeat("a", slugEcho+1), "the long answer is not said back")
			assert.NotContains(t, out, "Created session r5", "the default nobody accepted")
			assert.NotContains(t, out, "could not be read", "the cut line reaches the validator")
		})
	}
}

// A line is cut at maxLineBytes, at a character boundary, and the rest of
// it up to its line ending dropped; the next line is whole.
func TestReadCappedCutsALongLineAndDropsItsRest(t *testing.T) {
	t.Parallel()
	br := bufio.NewReaderSize(strings.NewReader(strings.Repeat("é", 40000)+"\nok\n"+strings.Repeat("b", 9000)), 16)
	first, err := readCapped(br, maxLineBytes)
	require.NoError(t, err)
	assert.True(t, utf8.ValidString(first), "no character cut in two")
	assert.Equal(t, strings.Repeat("é", maxLineBytes/2)+"\n", first)
	second, err := readCapped(br, maxLineBytes)
	require.NoError(t, err)
	assert.Equal(t, "ok\n", second)
	last, err := readCapped(br, maxLineBytes)
	assert.ErrorIs(t, err, io.EOF, "a last line without a line ending ends the input")
	assert.Equal(t, strings.Repeat("b", maxLineBytes), last)
}

// Refusals quote a long answer cut to 40 characters with "...": a pasted
// paragraph is not read back in full, and no glyph is read out.
func TestAccessibleQuotesALongAnswerShort(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 5000)
	_, out := runLines(t, Options{Session: fixtureSession(), Now: nowFn}, long+"\nq\n")
	requireText(t, out, "(h for help): \""+strings.Repeat("x", slugEcho)+"...\" is not a command. Type a phase number")
	assert.NotContains(t, out, strings.Repeat("x", slugEcho+1))

	_, out = runLines(t, Options{Create: (&creator{}).create}, long+"\nq\n")
	requireText(t, out, "Not accepted: \""+strings.Repeat("x", slugEcho)+"...\" is not a number from 1 to 2.")
	assert.NotContains(t, out, strings.Repeat("x", slugEcho+1))
}

// Any whole number is a phase number, also one too large for an int or
// below 1: the answer says there is no such phase, not that it is no
// command.
func TestAccessibleSessionTakesEveryNumberAsAPhaseNumber(t *testing.T) {
	t.Parallel()
	_, out := runLines(t, Options{Session: fixtureSession(), Now: nowFn}, "99999999999999999999\n-1\n0\nq\n")
	requireText(t, out,
		"There is no phase 99999999999999999999; phases are 1 to 8.",
		"There is no phase -1; phases are 1 to 8.",
		"There is no phase 0; phases are 1 to 8.",
	)
	assert.NotContains(t, out, "is not a command")

	// A leading "+" is still the number: "+3" opens phase 3.
	_, out = runLines(t, Options{Session: fixtureSession(), Now: nowFn}, "+3\nq\n")
	requireText(t, out, "Phase 3 of 8, Development dataset")
	assert.NotContains(t, out, "is not a command")

	// One sign at most: "-+5" is no number Atoi reads, so no phase number.
	_, out = runLines(t, Options{Session: fixtureSession(), Now: nowFn}, "-+5\nq\n")
	requireText(t, out, `"-+5" is not a command.`)
}
