package ermresttest

import (
	"fmt"
	"strings"
)

// The URL lexer of ERMrest (ermrest/url/lex.py, reference ermrest.md §3.1):
// runs of [-*_.~A-Za-z0-9] and %XX are text (escapes decoded, and decoded
// text is never syntax); "::" marks operators, ":=" binds an alias; the
// punctuation ( ) : ; , = @ & / ? ! $ is syntax; anything else, including an
// unescaped '+', is a lexical error (400 with an empty detail).

type tokKind int

const (
	tokText   tokKind = iota // names and literals
	tokOp                    // "::"
	tokAssign                // ":="
	tokPunct                 // one punctuation character
	tokEOF
)

type token struct {
	kind tokKind
	text string // decoded text, or the punctuation
	raw  string // as written in the URL
	pos  int    // byte offset in the URL, as ply reports it
	// ply's view of the token, for error messages: its type (STRING,
	// NUMSTRING, ESCAPESTRING, a keyword in upper case, or the character)
	// and value of the first sub-token of a text run.
	plyType, plyValue string
}

// is reports whether t is the punctuation p.
func (t token) is(p string) bool { return t.kind == tokPunct && t.text == p }

// keyword reports whether t is the (unescaped, case-insensitive) keyword kw.
func (t token) keyword(kw string) bool { return t.kind == tokText && strings.EqualFold(t.raw, kw) }

// plyKeywords are the words lex.py gives token types of their own.
var plyKeywords = map[string]bool{
	"acl": true, "acl_binding": true, "after": true, "aggregate": true, "annotation": true, "attribute": true,
	"attributegroup": true, "before": true, "bin": true, "catalog": true, "ciregexp": true, "column": true,
	"comment": true, "desc": true, "entity": true, "foreignkey": true, "full": true, "geq": true, "gt": true,
	"history": true, "key": true, "leq": true, "left": true, "lt": true, "meta": true, "null": true,
	"query": true, "reference": true, "referencedby": true, "regexp": true, "right": true, "schema": true,
	"sort": true, "table": true, "textfacet": true, "ts": true,
}

// lexError is a URL the lexer cannot read; ERMrest answers 400 with an
// empty detail ("Request malformed. Detail: ").
type lexError struct{ pos int }

func (e lexError) Error() string { return fmt.Sprintf("lexical error at offset %d", e.pos) }

const punct = "():;,=@&/?!$"

func textByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '*' || c == '_' || c == '.' || c == '~'
}

func hexByte(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// lex splits s (a path or a query string) into tokens; offset is added to
// reported positions so that they count from the start of the request URI.
func lex(s string, offset int) ([]token, error) {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ':' && i+1 < len(s) && s[i+1] == ':':
			out = append(out, token{kind: tokOp, text: "::", raw: "::", pos: offset + i, plyType: "OPMARK", plyValue: "::"})
			i += 2
		case c == ':' && i+1 < len(s) && s[i+1] == '=':
			out = append(out, token{kind: tokAssign, text: ":=", raw: ":=", pos: offset + i, plyType: "ASSIGN", plyValue: ":="})
			i += 2
		case strings.IndexByte(punct, c) >= 0:
			out = append(out, token{kind: tokPunct, text: s[i : i+1], raw: s[i : i+1], pos: offset + i, plyType: s[i : i+1], plyValue: s[i : i+1]})
			i++
		case textByte(c) || c == '%' && i+2 < len(s) && hexByte(s[i+1]) && hexByte(s[i+2]):
			start := i
			var text []byte
			for i < len(s) {
				switch {
				case textByte(s[i]):
					text = append(text, s[i])
					i++
				case s[i] == '%' && i+2 < len(s) && hexByte(s[i+1]) && hexByte(s[i+2]):
					text = append(text, unhex(s[i+1])<<4|unhex(s[i+2]))
					i += 3
				default:
					goto done
				}
			}
		done:
			raw := s[start:i]
			t := token{kind: tokText, text: string(text), raw: raw, pos: offset + start}
			t.plyType, t.plyValue = firstSubToken(raw)
			out = append(out, t)
		default:
			return nil, lexError{pos: offset + i}
		}
	}
	return append(out, token{kind: tokEOF, pos: offset + len(s)}), nil
}

// firstSubToken names the first token ply would have produced in a text run.
func firstSubToken(raw string) (typ, value string) {
	switch c := raw[0]; {
	case c == '%':
		var dec []byte
		for n := 0; n+2 < len(raw) && raw[n] == '%'; n += 3 { // text runs hold whole escapes
			dec = append(dec, unhex(raw[n+1])<<4|unhex(raw[n+2]))
		}
		return "ESCAPESTRING", string(dec)
	case '0' <= c && c <= '9':
		n := 0
		for n < len(raw) && '0' <= raw[n] && raw[n] <= '9' {
			n++
		}
		return "NUMSTRING", raw[:n]
	default:
		n := 0
		for n < len(raw) && raw[n] != '%' && !('0' <= raw[n] && raw[n] <= '9') {
			n++
		}
		word := raw[:n]
		if plyKeywords[strings.ToLower(word)] {
			return strings.ToUpper(word), word
		}
		return "STRING", word
	}
}

// Unescape decodes one URL text run as ERMrest's lexer does: %XX escapes
// become bytes and [-*_.~A-Za-z0-9] stay; anything else (syntax, a stray
// '%', '+') is an error. It inverts ermrest.Escape.
func Unescape(s string) (string, error) {
	toks, err := lex(s, 0)
	if err != nil {
		return "", err
	}
	switch {
	case len(toks) == 1:
		return "", nil
	case len(toks) == 2 && toks[0].kind == tokText:
		return toks[0].text, nil
	}
	return "", fmt.Errorf("%q is not a single escaped text run", s)
}
