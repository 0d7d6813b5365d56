package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cyclezero/cyclezero/catalog/ermrest/ermresttest"
)

// A configuration file bigger than any real one is refused before it is
// parsed or any catalog is opened, naming its size and the cap.
func TestValidateConfigRefusesAHugeFile(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "none.db") // never reached
	config := `{"assets":["NOPE"]}`

	huge := filepath.Join(dir, "huge.json")
	require.NoError(t, os.WriteFile(huge, []byte(config+strings.Repeat(" ", 3<<20)), 0o600))
	_, errOut, code := cli(t, "", "catalog", "validate-config", huge, "--db", db)
	assert.Equal(t, exitUsage, code, errOut)
	assert.Equal(t, "cyclezero: "+huge+" is 3.1 MiB; an execution configuration is at most 1 MiB (it names a few "+
		"datasets and assets): check that it is the configuration file\n", errOut)

	// On stdin the size is known only by reading: one byte over is refused.
	over := config + strings.Repeat(" ", maxConfigSize+1-len(config))
	_, errOut, code = cli(t, over, "catalog", "validate-config", "-", "--db", db)
	assert.Equal(t, exitUsage, code, errOut)
	assert.Contains(t, errOut, "the configuration on standard input is more than 1 MiB, the most an execution configuration can be")

	// At the cap it is read, and goes on to the catalog (missing here).
	at := over[:maxConfigSize]
	for _, args := range [][]string{{"-"}, {filepath.Join(dir, "at.json")}} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "at.json"), []byte(at), 0o600))
		_, errOut, code = cli(t, at, append([]string{"catalog", "validate-config"}, append(args, "--db", db)...)...)
		assert.Equal(t, exitUsage, code, errOut)
		assert.Contains(t, errOut, "no embedded catalog at "+db, args)
	}
}

func TestMiB(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{1 << 20: "1 MiB", 1<<20 + 1: "1.1 MiB", 50 << 20: "50 MiB", 52_000_000: "49.6 MiB"} {
		assert.Equal(t, want, mib(n), "%d", n)
	}
}

// A configuration read from stdin ("-") is called standard input in what
// is said about it, not "-".
func TestValidateConfigNamesStandardInput(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	_, errOut, code := cli(t, `not json`, "-C", dir, "catalog", "validate-config", "-")
	assert.Equal(t, exitUsage, code, errOut)
	assert.True(t, strings.HasPrefix(errOut, "cyclezero: standard input: "), errOut)

	_, errOut, code = cli(t, `{"datasets":[{"rid":"ZZZZ","version":"0.1.0"}]}`, "-C", dir, "catalog", "validate-config", "-")
	assert.Equal(t, exitCheckFailed, code, errOut)
	assert.Contains(t, errOut, "the configuration on standard input is not valid for ")
	assert.NotContains(t, errOut, " - ")

	// A file keeps its name.
	file := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(file, []byte(`not json`), 0o600))
	_, errOut, code = cli(t, "", "-C", dir, "catalog", "validate-config", file)
	assert.Equal(t, exitUsage, code, errOut)
	assert.True(t, strings.HasPrefix(errOut, "cyclezero: "+file+": "), errOut)
}

// A validation the catalog fails part-way names standard input too.
func TestValidateConfigFailureNamesStandardInput(t *testing.T) {
	isolate(t)
	srv := fakeServer(t)
	logIn(t, srv)
	srv.Inject(ermresttest.Fault{Method: http.MethodGet, PathPrefix: "/ermrest/catalog/1/attribute/", Status: http.StatusBadRequest, Times: 100})
	_, errOut, code := cli(t, `{"datasets":[{"rid":"ZZZZ","version":"0.1.0"}]}`,
		"catalog", "validate-config", "-", "--host", srv.URL, "--catalog", "1")
	assert.Equal(t, exitError, code, errOut)
	assert.True(t, strings.HasPrefix(errOut, "cyclezero: validate the configuration on standard input against "), errOut)
}
