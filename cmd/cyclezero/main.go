// Command cyclezero is a terminal wizard that walks an ML researcher through
// cycle zero of a DerivaML pipeline: specify, design the schema, build a
// development dataset, validate labels, then tier 1, 2 and 3 runs, and check
// the results against the design. This package is flags and wiring only.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}
