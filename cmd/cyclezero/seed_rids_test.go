package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seed-demo's text says the RIDs --json gives, and a configuration made
// of them that validate-config passes: a new user can write one without
// knowing the catalog. Seeded already, it says the same without writing,
// which is how to look them up again.
func TestSeedDemoTextGivesTheRIDsForAConfiguration(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "demo.sqlite")
	text, errOut, code := cli(t, "", "catalog", "seed-demo", "--db", db)
	require.Equal(t, exitOK, code, errOut)
	doc, errOut, code := cli(t, "", "catalog", "seed-demo", "--db", db, "--json")
	require.Equal(t, exitOK, code, errOut)
	var rids struct {
		Workflow       string `json:"workflow_rid"`
		Execution      string `json:"execution_rid"`
		Dataset        string `json:"dataset_rid"`
		DatasetVersion string `json:"dataset_version"`
	}
	require.NoError(t, json.Unmarshal([]byte(doc), &rids))
	require.NotEmpty(t, rids.Dataset)
	cfg := `{"datasets":[{"rid":"` + rids.Dataset + `","version":"` + rids.DatasetVersion + `"}],"assets":[],"workflow":"` + rids.Workflow + `"}`
	want := "Dataset RID:      " + rids.Dataset + " (every image)\n" +
		"Dataset version:  " + rids.DatasetVersion + "\n" +
		"Workflow RID:     " + rids.Workflow + " (the seeding workflow)\n" +
		"Execution RID:    " + rids.Execution + " (the seeding execution)\n" +
		"A configuration made of them (save it as FILE):\n  " + cfg + "\n" +
		"Check it with:\n  cyclezero catalog validate-config FILE --db " + db + "\n"
	assert.True(t, strings.HasSuffix(text, want), "the RIDs end the report:\n%s", text)

	again, errOut, code := cli(t, "", "catalog", "seed-demo", "--db", db)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, again, "Already seeded")
	assert.True(t, strings.HasSuffix(again, want), "seeded already, the same RIDs:\n%s", again)

	followPrintedCheck(t, "", text)
}

// The demo's RIDs are printed with a check that names the demo's catalog:
// followed as printed, it passes though another session is newest.
func TestSeedDemoCheckNamesItsSession(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	_, errOut, code := cli(t, "", "-C", dir, "new", "other-model", "--local")
	require.Equal(t, exitOK, code, errOut)
	text, errOut, code := cli(t, "", "-C", dir, "catalog", "seed-demo", "--session", "diagnosis-classifier")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, text, "Check it with:\n  cyclezero -C "+dir+" catalog validate-config FILE --session diagnosis-classifier\n")
	followPrintedCheck(t, dir, text)
}

// followPrintedCheck saves the configuration seed-demo printed as FILE and
// runs the check command it printed, with FILE in place, from dir.
func followPrintedCheck(t *testing.T, dir, text string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(text), "\n")
	file := filepath.Join(t.TempDir(), "config.json")
	require.NoError(t, os.WriteFile(file, []byte(strings.TrimSpace(lines[len(lines)-3])), 0o600))
	args := strings.Fields(strings.TrimSpace(lines[len(lines)-1]))
	require.Equal(t, "cyclezero", args[0])
	for i, a := range args {
		if a == "FILE" {
			args[i] = file
		}
	}
	out, errOut, code := cli(t, "", args[1:]...)
	assert.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "OK Validation passed")
}
