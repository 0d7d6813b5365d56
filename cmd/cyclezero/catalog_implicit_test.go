package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A catalog command with no catalog flag takes the newest session's
// catalog; a table it has not is said to be missing from that session's
// catalog, with how to choose another, and the other session's embedded
// catalog that has it is offered. Named with --session, the catalog is
// the one asked for and nothing more is said.
func TestShowNamesTheCatalogItTookImplicitly(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	_, errOut, code := cli(t, "", "-C", dir, "new", "lesion-seg", "--local")
	require.Equal(t, exitOK, code, errOut)
	c := "cyclezero -C " + dir + " "

	out, errOut, code := cli(t, "", "-C", dir, "catalog", "show", "Image")
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.Equal(t, "cyclezero: no table Image in session lesion-seg's catalog (the most recent session; "+
		"choose another with --session SLUG); list them with: "+c+"catalog ls\n"+
		"  session diagnosis-classifier's catalog has demo:Image; show it with: "+c+
		"catalog show Image --session diagnosis-classifier\n", errOut)

	// The hint's command works.
	out, errOut, code = cli(t, "", "-C", dir, "catalog", "show", "Image", "--session", "diagnosis-classifier")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "demo:Image (asset)")

	_, errOut, code = cli(t, "", "-C", dir, "catalog", "show", "Image", "--session", "lesion-seg")
	assert.Equal(t, exitUsage, code)
	assert.Equal(t, "cyclezero: no table Image in the catalog; list them with: "+c+"catalog ls --session lesion-seg\n", errOut)

	// --local takes the newest session with an embedded catalog: it says so.
	_, errOut, _ = cli(t, "", "-C", dir, "catalog", "show", "Nope", "--local")
	assert.Contains(t, errOut, "no table Nope in session lesion-seg's catalog (the most recent session with an embedded catalog; "+
		"choose another with --session SLUG); list them with: "+c+"catalog ls --local\n")
	assert.NotContains(t, errOut, "catalog has", "no session's catalog has Nope")
}

// A server the newest session uses, stopped since: the failure says
// whose catalog it was, with a fix that says it is the session's saved
// one (see catalog_moved_test.go), and keeps its exit
// status; named with --session, it is not said again. new and status name
// the server catalog as the error does.
func TestUnreachableImplicitCatalogNamesItsSession(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	srv := fakeServer(t)
	logIn(t, srv)
	out, errOut, code := cli(t, "", "-C", dir, "new", "served-model", "--host", srv.URL, "--catalog", "1")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "Catalog: "+srv.URL+" catalog 1\n")
	out, errOut, code = cli(t, "", "-C", dir, "status", "--plain", "served-model")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "catalog: "+srv.URL+" catalog 1\n")
	srv.Close()

	read := "read the model of " + srv.URL + " catalog 1: "
	_, errOut, code = cli(t, "", "-C", dir, "catalog", "ls")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "cyclezero: in session served-model's catalog (the most recent session; "+
		"choose another with --session SLUG): "+read)
	assert.Contains(t, errOut, "nothing is listening at ")
	assert.Contains(t, errOut, "\n  fix: this is session served-model's saved catalog ("+srv.URL+" catalog 1); ")

	_, errOut, code = cli(t, "", "-C", dir, "catalog", "ls", "--session", "served-model")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "cyclezero: "+read)
	assert.NotContains(t, errOut, "most recent")
}
