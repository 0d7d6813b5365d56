package main

import (
	"encoding/json"
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
		"A configuration for catalog validate-config FILE:\n  " + cfg + "\n"
	assert.True(t, strings.HasSuffix(text, want), "the RIDs end the report:\n%s", text)

	again, errOut, code := cli(t, "", "catalog", "seed-demo", "--db", db)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, again, "Already seeded")
	assert.True(t, strings.HasSuffix(again, want), "seeded already, the same RIDs:\n%s", again)

	lines := strings.Split(strings.TrimSpace(text), "\n")
	out, errOut, code := cli(t, strings.TrimSpace(lines[len(lines)-1]), "catalog", "validate-config", "-", "--db", db)
	assert.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "OK Validation passed")
}
