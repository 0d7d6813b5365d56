package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/derivaml"
)

// A ctrl+c that cut off a catalog change whose outcome could not be
// learned is still an interrupt (exit 130), but it is not silent: the
// user is told what to check and what was left in place.
func TestInterruptedUnknownOutcomeIsPrinted(t *testing.T) {
	t.Parallel()
	unknown := &derivaml.OutcomeUnknownError{
		Err:     fmt.Errorf("PUT /ermrest/catalog/1/entity/deriva-ml:Dataset: %w", context.Canceled),
		Check:   "whether dataset 1-AAAA's Version is 1-BBBB",
		ReadErr: &catalog.Error{Kind: catalog.ErrUnavailable, Op: "GET /ermrest/catalog/1/entity/deriva-ml:Dataset", Detail: "EOF"},
	}
	err := fmt.Errorf("create dataset: %w", unknown)
	assert.Equal(t, exitCancelled, exitCode(err))
	var b strings.Builder
	printError(&b, err)
	assert.Equal(t, "cyclezero: "+err.Error()+"\n", b.String())
	assert.Contains(t, b.String(), "check whether dataset 1-AAAA's Version is 1-BBBB before retrying")

	// A plain interrupt still prints nothing.
	b.Reset()
	printError(&b, fmt.Errorf("create dataset: %w", context.Canceled))
	assert.Empty(t, b.String())
}
