package main

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The exit codes are a documented interface (README.md's "Exit codes:"):
// scripts test for the numbers, so each constant is pinned to its literal
// value and to the README's word for it, not compared with itself.
func TestExitCodesAreTheDocumentedNumbers(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	// The paragraph from "Exit codes:" to the blank line after it, on one line.
	doc := string(readme)
	start := strings.Index(doc, "Exit codes:")
	require.GreaterOrEqual(t, start, 0, "README.md documents the exit codes")
	doc = doc[start:]
	if end := strings.Index(doc, "\n\n"); end >= 0 {
		doc = doc[:end]
	}
	doc = strings.Join(strings.Fields(doc), " ")

	for _, c := range []struct {
		constant, literal int
		readme            string // the README's words right after the number
	}{
		{exitOK, 0, "ok"},
		{exitError, 1, "error"},
		{exitUsage, 2, "bad usage"},
		{exitCheckFailed, 3, "a check or validation failed"},
		{exitAuth, 4, "not logged in or not allowed"},
		{exitNoTerminal, 5, "needs a terminal"},
		{exitBusy, 75, "try again soon"},
		{exitCancelled, 130, "interrupted"},
		{exitTerminated, 143, "terminated"},
	} {
		assert.Equal(t, c.literal, c.constant, "the exit code for %q", c.readme)
		assert.Contains(t, doc, " "+strconv.Itoa(c.literal)+" "+c.readme, "README.md documents %d as %q", c.literal, c.readme)
	}
}
