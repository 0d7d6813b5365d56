package ui

import (
	"strconv"
	"strings"
)

// Accessible text is read aloud and copied from, so it is laid out by two
// rules the full-screen UI does not need (its wrap cuts a word wider than
// the pane, to keep every frame inside the terminal):
//
//   - a word is never broken: one wider than the line gets a line of its
//     own, whole, and the terminal wraps it (without a line break, so a
//     long path still copies as one);
//   - a command given as a fix ("… start over with: mv A B && cz new x")
//     gets a line of its own, unwrapped, with nothing after it, so it can
//     be pasted as it is. What followed it in the sentence goes on the
//     next line.

// commandMarkers end the words that introduce a command in cyclezero's
// messages ("restore it with: cp A B", "or quit and run: cz resume x").
// A bare "run: " is not one: "Tier 1 — dry run: blocked" is a phase.
var commandMarkers = []string{"with: ", ", run: ", " and run: ", " then run: ", " or run: "}

// PlainLines lays text out as accessible mode says it, for cmd's own
// accessible output (`status --watch`'s announcements): wrapped at spaces
// to width, never inside a word, and each command given as a fix on a
// line of its own, whole. program is the first word of cyclezero's
// commands ("cz"), or "" (see plainLines). Each line is returned without
// its line break.
func PlainLines(text string, width int, program string) []string {
	return plainLines(text, width, program)
}

// plainLines lays text out for accessible mode at width w. program is the
// first word of the commands cyclezero spells ("cyclezero", "cz"): a colon
// followed by it also introduces a command ("or try the demo: cz demo");
// "" recognises only commandMarkers.
func plainLines(text string, w int, program string) []string {
	w = max(w, 1)
	var out []string
	for _, para := range strings.Split(text, "\n") {
		rest := para
		for {
			before, cmd, after, ok := cutCommand(rest, program)
			if !ok {
				out = append(out, wrapWords(rest, w)...)
				break
			}
			if strings.TrimSpace(before) != "" {
				out = append(out, wrapWords(before, w)...)
			}
			out = append(out, cmd)
			if rest = after; strings.TrimSpace(rest) == "" {
				break
			}
		}
	}
	return out
}

// cutCommand finds the first command in a line of text: before is the
// text up to the colon introducing it, cmd the command, and after what the
// sentence goes on with ("then try again"), without the comma or dash that
// ended the command. ok is false when the line holds no command.
func cutCommand(s, program string) (before, cmd, after string, ok bool) {
	start := -1
	for _, m := range commandMarkers {
		if i := strings.Index(s, m); i >= 0 && (start < 0 || i+len(m) < start) {
			start = i + len(m)
		}
	}
	if program != "" {
		for from := 0; ; {
			i := strings.Index(s[from:], ": "+program)
			if i < 0 {
				break
			}
			i += from
			end := i + 2 + len(program)
			if end == len(s) || s[end] == ' ' {
				if start < 0 || i+2 < start {
					start = i + 2
				}
				break
			}
			from = end
		}
	}
	if start < 0 {
		return "", "", "", false
	}
	end, closing := commandEnd(s, start)
	cmd = strings.TrimSpace(s[start:end])
	if cmd == "" {
		return "", "", "", false
	}
	before = strings.TrimRight(s[:start], " ")
	after = s[end:]
	if closing {
		// "(check who you are with: cz catalog whoami)": without its
		// ")" after the command, the "(" reads as a pause instead.
		after = after[1:]
		before = dropOpenParen(before)
	}
	after = strings.TrimLeft(after, " ,;")
	after = strings.TrimPrefix(after, "— ")
	return before, cmd, after, true
}

// commandEnd is where the command starting at s[start:] ends: at the end
// of the line, or where the sentence goes on outside quotes (", ", "; ",
// " — ", " (") or closes a parenthesis the command did not open (closing
// is then true, and s[end] is that ")").
func commandEnd(s string, start int) (end int, closing bool) {
	var quote byte
	depth := 0
	for i := start; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
			continue
		case c == '\'' || c == '"' || c == '`':
			quote = c
			continue
		case c == '(':
			depth++
			continue
		case c == ')':
			if depth == 0 {
				return i, true
			}
			depth--
			continue
		case depth > 0:
			continue
		}
		rest := s[i:]
		for _, stop := range []string{", ", "; ", " — ", " ("} {
			if strings.HasPrefix(rest, stop) {
				return i, false
			}
		}
	}
	return len(s), false
}

// dropOpenParen removes the last "(" of s that no ")" closes: " (" reads
// as "; ", and a "(" at the start goes.
func dropOpenParen(s string) string {
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			if depth > 0 {
				depth--
				continue
			}
			if i > 0 && s[i-1] == ' ' {
				return s[:i-1] + "; " + s[i+1:]
			}
			return s[:i] + s[i+1:]
		}
	}
	return s
}

// Sentence ends text with a full stop, so a screen reader pauses after it,
// unless it ends with punctuation already or with a command ("… resume it
// with: cyclezero resume x"), which pasted with the full stop would run
// something else.
func Sentence(text string) string {
	if text == "" || strings.ContainsAny(text[len(text)-1:], ".!?:") || endsWithCommand(text) {
		return text
	}
	return text + "."
}

// endsWithCommand reports whether the last line of text ends with a
// command (see cutCommand).
func endsWithCommand(text string) bool {
	rest := text[strings.LastIndexByte(text, '\n')+1:]
	for {
		_, _, after, ok := cutCommand(rest, "")
		if !ok {
			return false
		}
		if strings.TrimSpace(after) == "" {
			return true
		}
		rest = after
	}
}

// wrapWords word-wraps one paragraph of plain text to w cells at spaces,
// never inside a word: a word wider than w gets a line of its own, whole.
func wrapWords(s string, w int) []string { return wrapLine(s, max(w, 1), false) }

// echoed is a user's answer quoted back in a refusal, cut as cutAnswer
// cuts it.
func echoed(s string) string { return strconv.Quote(cutAnswer(s)) }

// cutAnswer is s cut to slugEcho characters with "..." (not the "…"
// glyph, which accessible output avoids): enough to recognise an answer
// said back, where a pasted paragraph would fill the screen (and a screen
// reader would read all of it).
func cutAnswer(s string) string {
	r := []rune(s)
	if len(r) <= slugEcho {
		return s
	}
	return string(r[:slugEcho]) + "..."
}

// phaseNumber reports whether s is written as a whole number: digits,
// after one optional sign, however many (strconv.Atoi refuses a number
// too large for an int, which is still a phase number, just none that
// exists).
func phaseNumber(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
