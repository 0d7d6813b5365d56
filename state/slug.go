package state

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxSlugLen is the longest slug allowed, in bytes. It keeps file names
// (<slug>.json.bak, .<slug>.json.tmp-NNN) well under every file system's limit.
const MaxSlugLen = 63

// slugExample is the example every slug error shows.
const slugExample = "cifar10-2layer-cnn"

// ErrInvalidSlug is matched (errors.Is) by every error ValidateSlug returns.
var ErrInvalidSlug = errors.New("invalid slug")

// SlugError says why a slug was refused and what is allowed.
type SlugError struct {
	Slug    string
	Problem string // the specific rule broken, e.g. "no spaces"
}

// Error implements error.
func (e *SlugError) Error() string {
	if e.Slug == "" {
		return fmt.Sprintf("slug is empty: use lower-case letters, digits and single dashes, like %q", slugExample)
	}
	return fmt.Sprintf("slug %q: %s; use lower-case letters, digits and single dashes, like %q",
		e.Slug, e.Problem, slugExample)
}

// Is makes errors.Is(err, ErrInvalidSlug) true.
func (e *SlugError) Is(target error) bool { return target == ErrInvalidSlug }

// ValidateSlug checks that slug is kebab-case ([a-z0-9]+ joined by single
// dashes) and at most MaxSlugLen bytes. A valid slug can be used as a file
// name and can never point outside docs/design/model/ or the sessions
// directory: it has no '/', '.', spaces, upper case or non-ASCII.
func ValidateSlug(slug string) error {
	if slug == "" {
		return &SlugError{}
	}
	if len(slug) > MaxSlugLen {
		return &SlugError{Slug: slug, Problem: fmt.Sprintf("%d bytes is too long (at most %d)", len(slug), MaxSlugLen)}
	}
	for i := 0; i < len(slug); i++ {
		c := slug[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case c == '-':
			if i == 0 || i == len(slug)-1 {
				return &SlugError{Slug: slug, Problem: "it may not start or end with a dash"}
			}
			if slug[i+1] == '-' {
				return &SlugError{Slug: slug, Problem: "no double dashes"}
			}
		case c >= 'A' && c <= 'Z':
			return &SlugError{Slug: slug, Problem: "no upper-case letters"}
		case c == '/' || c == '\\':
			return &SlugError{Slug: slug, Problem: "no slashes"}
		case c == '.':
			return &SlugError{Slug: slug, Problem: "no dots"}
		case c == ' ' || c == '\t':
			return &SlugError{Slug: slug, Problem: "no spaces"}
		case c == '_':
			return &SlugError{Slug: slug, Problem: "no underscores (use a dash)"}
		case c >= utf8.RuneSelf:
			return &SlugError{Slug: slug, Problem: "ASCII only"}
		default:
			return &SlugError{Slug: slug, Problem: fmt.Sprintf("%q is not allowed", rune(c))}
		}
	}
	return nil
}

// SuggestSlug turns free text (a model's title, a directory name) into a
// valid slug, for form hints: "CIFAR-10 2-layer CNN" → "cifar-10-2-layer-cnn",
// "MyModel" → "my-model". It returns "" when the text has no usable letters or
// digits.
func SuggestSlug(s string) string {
	var b strings.Builder
	dash := false // a separator is pending
	var prev rune
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			// camelCase boundary: "myModel" → "my-model".
			if unicode.IsUpper(r) && unicode.IsLower(prev) {
				dash = true
			}
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
		prev = r
	}
	out := b.String()
	if len(out) > MaxSlugLen {
		out = strings.TrimRight(out[:MaxSlugLen], "-")
	}
	return out
}
