package ui

import (
	"context"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/state"
)

// A last answer without a line ending (input piped from printf '2') still
// counts; only then does the input end.
func TestLineReaderKeepsALastLineWithoutANewline(t *testing.T) {
	t.Parallel()
	r := newLineReader(context.Background(), strings.NewReader("1\r\n2"))
	for _, want := range []string{"1", "2"} {
		got, ok := r.readLine()
		assert.True(t, ok, "line %q", want)
		assert.Equal(t, want, got)
	}
	_, ok := r.readLine()
	assert.False(t, ok, "then the input ends")
	assert.True(t, r.stopped())
}

// The accessible picker acts on that last answer: "2" picks session 2.
func TestAccessiblePickerTakesALastAnswerWithoutANewline(t *testing.T) {
	t.Parallel()
	var opened []string
	open := func(_ context.Context, slug string) (*state.Session, bool, string, error) {
		opened = append(opened, slug)
		return &state.Session{Slug: slug, Current: "schema"}, false, "", nil
	}
	sessions := []SessionChoice{{Slug: "model-a"}, {Slug: "model-b"}}
	runLines(t, Options{Sessions: sessions, Open: open}, "2")
	assert.Equal(t, []string{"model-b"}, opened)
}

// typedAhead serves its lines one Read each, says when it served the last,
// then blocks until done: a user who typed ahead and has not typed more.
type typedAhead struct {
	lines  []string
	served chan struct{}
	done   <-chan struct{}
}

func (ta *typedAhead) Read(p []byte) (int, error) {
	if len(ta.lines) == 0 {
		<-ta.done
		return 0, io.EOF
	}
	n := copy(p, ta.lines[0])
	if ta.lines = ta.lines[1:]; len(ta.lines) == 0 {
		close(ta.served)
	}
	return n, nil
}

// Once ctrl+c cancelled the context, a line typed ahead is never handed
// out: the reader ends at once. With today's unbuffered channel the
// reading goroutine gives up its line on the cancel by itself; next's own
// check is what keeps this true should the line ever wait in a buffer.
func TestLineReaderHandsOutNothingAfterTheCancel(t *testing.T) {
	t.Parallel()
	for range 10 {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		in := &typedAhead{lines: []string{"a\n", "q\n"}, served: make(chan struct{}), done: done}
		r := newLineReader(ctx, in)
		got, ok := r.readLine()
		assert.True(t, ok)
		assert.Equal(t, "a", got)
		<-in.served
		for range 10 {
			runtime.Gosched() // let the reading goroutine offer "q"
		}
		cancel()
		got, ok = r.readLine()
		assert.False(t, ok, "after the cancel, not %q", got)
		assert.True(t, r.interrupted())
		close(done)
	}
}
