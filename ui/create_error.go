package ui

import (
	"regexp"
	"strings"

	"github.com/cyclezero/cyclezero/catalog"
)

// createFix is the fix a catalog error carries for a failed Create, which
// catalog.Error leaves out of its message (cmd prints it on a line of its
// own, after the error); "" when there is none, or when the message says
// it already (cmd's missing-catalog error is its fix).
func createFix(err error) string {
	fix := catalog.Hint(err)
	if fix == "" || strings.Contains(err.Error(), fix) {
		return ""
	}
	return fix
}

// shownCreateError is a failed Create as the form and accessible mode
// show it: the error, then its catalog fix on a line of its own ("fix:
// …"), as cmd prints them. When the form asked where the catalog is
// (asked), the command-line flags the messages name are worded as the
// form's fields (asFields); a catalog chosen on the command line keeps
// them, since that is where the user gave them.
type shownCreateError struct {
	text string
	err  error
}

func (e *shownCreateError) Error() string { return e.text }
func (e *shownCreateError) Unwrap() error { return e.err }

// withFix is shownCreateError's constructor; fix is createFix of the error
// Create returned (err may wrap it in more words).
func withFix(err error, fix string, asked bool) error {
	text := err.Error()
	if fix != "" {
		text += "\nfix: " + fix
	}
	if asked {
		text = asFields(text)
	}
	return &shownCreateError{text: text, err: err}
}

// flagMention is a catalog flag named as the thing to check or use ("check
// --catalog", "use --host http://…", "than --host says", "(--catalog)"),
// not as part of a command to run ("login --host H", "ls --host H
// --catalog 1"), which must stay as it is to be pasted.
var flagMention = regexp.MustCompile(`\b(use|check|than|in|example) --(host|catalog)\b| ?\(--(?:host|catalog)\)`)

// asFields words the flags a catalog message names as the new-session
// form's fields: "--host" as "the host", "--catalog" as "the catalog id";
// "(for example --host H)" as "(for example H)", and a flag given in
// brackets after its field's name ("the catalog id (--catalog)") goes.
func asFields(s string) string {
	return flagMention.ReplaceAllStringFunc(s, func(m string) string {
		sub := flagMention.FindStringSubmatch(m)
		switch {
		case sub[1] == "":
			return "" // "(--catalog)"
		case sub[1] == "example":
			return "example"
		case sub[2] == "host":
			return sub[1] + " the host"
		}
		return sub[1] + " the catalog id"
	})
}
