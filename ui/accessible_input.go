package ui

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"
	"unicode/utf8"
)

// maxLineBytes is the most of one input line the accessible prompts see;
// the rest of a longer line, up to its line ending, is dropped. huh's
// accessible prompt reads with a bufio.Scanner, which gives up on a line
// of bufio.MaxScanTokenSize (64 KiB) or more and then returns the field's
// default without validating anything: a pasted 70,000-character answer
// would create a session named by the default nobody accepted, and the
// rest of that line would answer the next prompt. A cut line is longer
// than any answer is allowed to be (maxAnswerBytes), so it is refused in
// words and asked again.
const maxLineBytes = 4096

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
			s, err := readCapped(br, maxLineBytes)
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

// readCapped reads one line with its line ending, keeping at most limit
// bytes of it (cut at a character boundary) and dropping the rest up to
// the line ending, which is kept; err is the reader's, as from
// bufio.Reader.ReadString. Memory stays bounded however long the line.
func readCapped(br *bufio.Reader, limit int) (string, error) {
	var b []byte
	cut := false
	for {
		chunk, err := br.ReadSlice('\n')
		line, nl := chunk, false
		if n := len(line); n > 0 && line[n-1] == '\n' {
			line, nl = line[:n-1], true
		}
		if !cut {
			if room := limit - len(b); len(line) > room {
				b = append(b, line[:room]...)
				cut = true
			} else {
				b = append(b, line...)
			}
		}
		if nl {
			if cut {
				b = trimPartialRune(b)
			}
			return string(append(b, '\n')), nil
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if cut {
			b = trimPartialRune(b)
		}
		return string(b), err
	}
}

// trimPartialRune drops a character the cut split at the end of b.
func trimPartialRune(b []byte) []byte {
	for i := 0; i < utf8.UTFMax && len(b) > 0; i++ {
		if r, size := utf8.DecodeLastRune(b); r != utf8.RuneError || size != 1 {
			return b
		}
		b = b[:len(b)-1]
	}
	return b
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
