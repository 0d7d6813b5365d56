// Package ui is cyclezero's terminal user interface: the bubbletea v2 root
// model and its screens (the session picker, the new-session form and the
// phase wizard with its left rail, phase pane and help bar), the status
// dashboard (Watch), and accessible mode's line-based equivalent of the
// whole journey (RunAccessible).
//
// The package does no file, git, catalog or network I/O of its own. Every
// outside effect is a function injected through Options and called only
// inside a tea.Cmd, so Update never blocks and tests drive the model with
// plain messages. Async results carry the id of the request or session that
// asked for them; a result for anything the user has moved away from is
// dropped. See README.md for the rules screens follow.
package ui
