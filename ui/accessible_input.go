package ui

import (
	"bufio"
	"context"
	"io"
	"strings"
)

// lineReader is the accessible mode's input: it hands out one line per
// Read, so huh's accessible prompts (each wraps the reader in a fresh
// bufio.Scanner, which would otherwise buffer lines meant for the next
// prompt) and our own menu share one stream without losing input. It ends
// when the input does or when ctx is done (ctrl+c cancels the command's
// context), even while the underlying Read is still blocked.
type lineReader struct {
	ctx     context.Context
	lines   chan string
	pending string
	ended   bool
}

// newLineReader starts reading in; the reading goroutine stops at the end
// of the input or, once ctx is done, at its next line.
func newLineReader(ctx context.Context, in io.Reader) *lineReader {
	r := &lineReader{ctx: ctx, lines: make(chan string)}
	go func() {
		defer close(r.lines)
		br := bufio.NewReader(in)
		for {
			s, err := br.ReadString('\n')
			if s != "" {
				select {
				case r.lines <- s:
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return r
}

// Read returns the rest of the current line, or the next one; io.EOF once
// the input ended or ctx is done.
func (r *lineReader) Read(p []byte) (int, error) {
	if r.pending == "" {
		if !r.next() {
			return 0, io.EOF
		}
	}
	n := copy(p, r.pending)
	r.pending = r.pending[n:]
	return n, nil
}

// next waits for the next line into pending.
func (r *lineReader) next() bool {
	if r.ended || r.ctx.Err() != nil {
		r.ended = true
		return false
	}
	select {
	case <-r.ctx.Done():
		r.ended = true
		return false
	case s, ok := <-r.lines:
		if !ok {
			r.ended = true
			return false
		}
		r.pending = s
		return true
	}
}

// readLine returns the next line without its line ending; ok is false when
// the input ended or ctx is done.
func (r *lineReader) readLine() (string, bool) {
	var b strings.Builder
	for {
		if r.pending == "" && !r.next() {
			return b.String(), b.Len() > 0
		}
		line, rest, found := strings.Cut(r.pending, "\n")
		b.WriteString(line)
		r.pending = rest
		if found {
			return strings.TrimRight(b.String(), "\r"), true
		}
	}
}

// stopped reports whether the input ended or ctx is done.
func (r *lineReader) stopped() bool { return r.ended || r.ctx.Err() != nil }

// interrupted reports whether ctx is done (the user pressed ctrl+c).
func (r *lineReader) interrupted() bool { return r.ctx.Err() != nil }
