package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// Cobra reports wrong arguments and unknown commands as plain errors, and a
// command group without a subcommand as a request for help. markUsage makes
// all of them usage errors (exit 2) that say where the usage is, so exit.go
// stays the one place that maps errors to statuses.
//
// A group that does nothing of its own (catalog) also takes `help
// [COMMAND]`, as the root does through cobra's help command: `catalog help
// ls` is `catalog ls --help`.
func markUsage(c *cobra.Command) {
	if c.HasSubCommands() {
		c.Args = unknownCommand
		if !c.Runnable() {
			c.Args = func(cmd *cobra.Command, args []string) error {
				if len(args) > 0 && args[0] == "help" {
					return nil
				}
				return unknownCommand(cmd, args)
			}
			c.RunE = func(cmd *cobra.Command, args []string) error {
				if len(args) > 0 { // help, as Args let nothing else through
					return groupHelp(cmd, args[1:])
				}
				return cmd.Help()
			}
		}
	}
	if check := c.Args; check != nil {
		c.Args = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				return usageError{fmt.Errorf("%w\n  see: %s", err, helpCommand(cmd))}
			}
			return nil
		}
	}
	for _, sub := range c.Commands() {
		markUsage(sub)
	}
}

// addCobraCommands adds cobra's help and completion commands now rather
// than as the root executes, so that markUsage sees them: `help bogus`,
// `help status extra`, `completion bogus` and `completion bash extra` are
// then usage errors (exit 2) like any other unknown command or extra
// argument, not cobra's "Unknown help topic" with exit 0 (which the
// root's Args check keeps cobra from reaching anyway: the root help shows).
func addCobraCommands(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Run = nil
			c.RunE = func(cmd *cobra.Command, args []string) error { return groupHelp(cmd.Root(), args) }
		case "completion":
			for _, shell := range c.Commands() {
				shell.Args = noArgs // cobra's own names the program "cyclezero" whatever was run
			}
		}
	}
}

// groupHelp shows the help of the command args name below the group cmd
// (the group's own without any); naming none there is a usage error.
func groupHelp(cmd *cobra.Command, args []string) error {
	target, rest, err := cmd.Find(args)
	if err == nil && len(rest) > 0 {
		err = unknownCommand(target, rest)
	}
	if err != nil {
		if target != nil { // the deepest command found is the one to read
			cmd = target
		}
		return usageError{fmt.Errorf("%w\n  see: %s", err, helpCommand(cmd))}
	}
	target.InitDefaultHelpFlag()    // as cobra's help command does, so --help is listed
	target.InitDefaultVersionFlag() // and the root's --version
	return target.Help()
}

// helpCommand spells `<program> … --help` for cmd.
func helpCommand(cmd *cobra.Command) string {
	return commandLine("", append(subPath(cmd), "--help")...)
}

// subPath is cmd's path below the root ("catalog", "show"); empty for the
// root, which the "cyclezero:" prefix of every error already names.
func subPath(cmd *cobra.Command) []string { return strings.Fields(cmd.CommandPath())[1:] }

// named is cmd's path below the root for messages, "cyclezero" for the root.
func named(cmd *cobra.Command) string {
	if p := subPath(cmd); len(p) > 0 {
		return strings.Join(p, " ")
	}
	return "cyclezero"
}

// unknownCommand is the Args check of a command with subcommands (the root
// takes none of its own): any argument is a subcommand that does not exist.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q", args[0])
	if p := subPath(cmd); len(p) > 0 {
		msg += " for " + strings.Join(p, " ")
	}
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's own default, which it sets only on its path
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "; did you mean " + strings.Join(s, " or ") + "?"
	}
	return errors.New(msg)
}

// noArgs is the Args check of a command that takes no arguments.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%s takes no arguments (got %q)", named(cmd), strings.Join(args, " "))
	}
	return nil
}

// maxArgs allows at most n arguments, named by what in the message.
func maxArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > n {
			return fmt.Errorf("%s takes at most %d argument (%s), got %d: %s",
				named(cmd), n, what, len(args), strings.Join(args, " "))
		}
		return nil
	}
}

// exactArgs wants exactly n arguments, named by what in the message.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return fmt.Errorf("%s takes %d argument (%s), got %d", named(cmd), n, what, len(args))
		}
		return nil
	}
}
