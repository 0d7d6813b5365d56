package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
	"github.com/cyclezero/cyclezero/state"
)

// Exit codes: the one place errors become process statuses.
const (
	exitOK          = 0
	exitError       = 1   // anything else
	exitUsage       = 2   // bad flags or arguments
	exitCheckFailed = 3   // a check or validation ran and did not pass
	exitAuth        = 4   // not logged in or not allowed
	exitNoTerminal  = 5   // an interactive command without a terminal
	exitBusy        = 75  // transient: something is in the way for now; try again (sysexits' EX_TEMPFAIL)
	exitCancelled   = 130 // interrupted (ctrl+c, SIGINT)
	exitTerminated  = 143 // SIGTERM (128+15)
)

// signalExit is the status of a command that ended with code after sig
// arrived (nil: none did): a signal's status (128 + its number, as a
// shell reports a process it killed) replaces success and the generic
// "cancelled", so a SIGTERM is not reported as a ctrl+c; any other
// failure keeps its own code.
func signalExit(code int, sig os.Signal) int {
	s, ok := sig.(syscall.Signal)
	if !ok || code != exitOK && code != exitCancelled {
		return code
	}
	return 128 + int(s) // SIGINT 130 (exitCancelled), SIGTERM 143 (exitTerminated)
}

// usageError marks bad command-line input (exit 2); root.go silences
// cobra's usage dump, so the message ends with a "see: … --help" line.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// noTerminalError says an interactive command was started without a
// terminal; instead is what to run instead, with why ("for a read-only
// view …, run: …"), spelled for this command line.
type noTerminalError struct{ command, instead string }

func (e noTerminalError) Error() string {
	return fmt.Sprintf("%s needs an interactive terminal (stdin and stdout must be a TTY); %s", e.command, e.instead)
}

// needTerminal is the noTerminalError for command, suggesting status
// --plain on the same workspace (and session, when one was named).
func needTerminal(ws workspace, command string, slug ...string) noTerminalError {
	args := []string{"status", "--plain"}
	for _, s := range slug {
		args = append(args, state.ShellQuote(s))
	}
	return noTerminalError{command: command, instead: "for a read-only view that works anywhere, run: " + ws.command(args...)}
}

// needTerminalToCreate is the noTerminalError for a command that would
// have started a session: it suggests the form of new that needs no
// terminal, since a status of no session has nothing to show.
func needTerminalToCreate(ws workspace, command string, taken map[string]bool) noTerminalError {
	return noTerminalError{command: command, instead: "to create a session without one, run: " + ws.headlessNew(taken)}
}

// checkFailedError reports a check that ran and failed; its report was
// already printed, so only the summary is shown.
type checkFailedError struct{ summary string }

func (e checkFailedError) Error() string { return e.summary }

// busyError says the command met a transient condition, such as a catalog
// another process is still creating: the same command should work later.
type busyError struct{ msg string }

func (e busyError) Error() string { return e.msg }

// exitCode maps an error to the process exit status.
func exitCode(err error) int {
	var (
		usage  usageError
		noTTY  noTerminalError
		failed checkFailedError
		busy   busyError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, context.Canceled):
		return exitCancelled
	case errors.As(err, &usage):
		return exitUsage
	case errors.As(err, &noTTY):
		return exitNoTerminal
	case errors.As(err, &failed):
		return exitCheckFailed
	case errors.As(err, &busy), busyCatalog(err):
		return exitBusy
	case errors.Is(err, catalog.ErrUnauthenticated), errors.Is(err, catalog.ErrForbidden):
		return exitAuth
	}
	return exitError
}

// busyCatalog reports whether err is a write another process kept out
// (the embedded catalog's write lock held past the busy timeout): nothing
// was written, so it is "try again", unless it left the catalog in a state
// to see to first.
func busyCatalog(err error) bool {
	return errors.Is(err, catalog.ErrUnavailable) && catalog.NotApplied(err) && !leftCatalogUnsettled(err)
}

// leftCatalogUnsettled reports whether err left the catalog in a state the
// user must see to: a change whose outcome could not be learned (what to
// check, what was left in place) or one whose undo failed (what may
// remain).
func leftCatalogUnsettled(err error) bool {
	var (
		unknown *derivaml.OutcomeUnknownError
		undo    *derivaml.UndoFailedError
	)
	return errors.As(err, &unknown) || errors.As(err, &undo)
}

// printError writes err for a human: the message, then the catalog's fix
// when there is one. An interrupt prints nothing (its own hint was
// printed), unless it left the catalog unsettled.
func printError(w io.Writer, err error) {
	if err == nil || errors.Is(err, context.Canceled) && !leftCatalogUnsettled(err) {
		return
	}
	msg := err.Error()
	fmt.Fprintf(w, "cyclezero: %s\n", msg)
	hint := catalog.Hint(err)
	if hint != "" && !strings.Contains(msg, hint) {
		fmt.Fprintf(w, "  fix: %s\n", hint)
	}
}
