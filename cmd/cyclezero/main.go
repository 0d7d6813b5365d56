// Command cyclezero is a terminal wizard that walks an ML researcher through
// cycle zero of a DerivaML pipeline: specify, design the schema, build a
// development dataset, validate labels, then tier 1, 2 and 3 runs, and check
// the results against the design. This package is flags and wiring only.
package main

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

func main() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	code := runWithSignals(context.Background(), os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr}, sigs)
	signal.Stop(sigs)
	os.Exit(code)
}

// runWithSignals is run, cancelled by the first signal on sigs, with the
// exit status that signal calls for (130 for SIGINT, 143 for SIGTERM). It
// records which signal came, which signal.NotifyContext cannot tell.
func runWithSignals(parent context.Context, args []string, std stdio, sigs <-chan os.Signal) int {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var (
		got  os.Signal
		wg   sync.WaitGroup
		done = make(chan struct{})
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case got = <-sigs:
			cancel()
		case <-done:
		}
	}()
	code := run(ctx, args, std)
	close(done)
	wg.Wait()
	if got == nil { // a signal that came as the command ended anyway
		select {
		case got = <-sigs:
		default:
		}
	}
	return signalExit(code, got)
}
