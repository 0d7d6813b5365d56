package state

import (
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// mustDamaged stops the test unless err is a *DamagedError, and returns it.
func mustDamaged(t testing.TB, err error) *DamagedError {
	t.Helper()
	var d *DamagedError
	require.ErrorAs(t, err, &d)
	return d
}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// readFile reads a file or stops the test.
func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return data
}

// fixedTime is a deterministic base time so that a helper process builds
// byte-for-byte the same sessions as the test that started it.
var fixedTime = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// sampleSession builds a deterministic session with every kind of record;
// tag makes two sessions with the same shape differ everywhere.
func sampleSession(slug, tag string, runs int) *Session {
	at := fixedTime
	done := at.Add(time.Hour)
	exit := 0
	s := &Session{
		Slug:      slug,
		CreatedAt: at,
		RepoRoot:  "/home/user/src/" + slug,
		Catalog:   CatalogLocation{Kind: CatalogERMrest, Host: "https://example.org", CatalogID: "1"},
		Current:   "tier2-" + strings.ToLower(tag), // a phase id is lower case
		Phases: map[string]*PhaseRecord{
			"specify": {StartedAt: &at, CompletedAt: &done, Approved: true,
				Fingerprint: Fingerprint{GitHead: "abc123" + tag, DesignHash: "sha256:" + tag}},
		},
		Answers: map[string]map[string]string{"specify": {"goal": "classify " + tag, "metric": "accuracy"}},
		Checks: map[string][]CheckResult{"tier2": {
			{ID: "tree-clean", Status: "pass", At: at},
			{ID: "dev-dataset", Status: "fail", Detail: "missing " + tag, Fix: "release it", At: at},
		}},
		DevDataset: &DevManifest{DatasetRID: "1-ABC" + tag, Version: "0.1.0", Seed: 9007199254740993,
			Query: "Image", Members: []string{"1-A", "1-B"}, Hash: "h" + tag},
		Overrides: []Override{{Phase: "tier2", Gate: "clean-tree", Reason: "docs only " + tag, At: at}},
		Verdicts:  []Verdict{{At: done, Validated: true, Why: "beat baseline " + tag, Metric: "accuracy", Value: "0.91", ReEntry: 2}},
	}
	for i := range runs {
		s.Runs = append(s.Runs, RunRecord{
			ID:          fmt.Sprintf("%s-run-%04d", tag, i),
			Tier:        1 + i%3,
			Argv:        []string{"uv", "run", "deriva-ml-run", "+experiment=" + tag, fmt.Sprintf("epochs=%d", i)},
			Dir:         fmt.Sprintf("runs/%s-%04d", tag, i),
			StartedAt:   at.Add(time.Duration(i) * time.Minute),
			EndedAt:     &done,
			ExitCode:    &exit,
			Status:      "passed",
			Fingerprint: Fingerprint{GitHead: fmt.Sprintf("%040d", i), ConfigHash: "c" + tag},
		})
	}
	return s
}

// sameContent reports whether two sessions are equal apart from the fields
// Create and Save set.
func sameContent(a, b *Session) bool {
	x, y := *a, *b
	x.UpdatedAt, y.UpdatedAt = time.Time{}, time.Time{}
	x.SchemaVersion, y.SchemaVersion = 0, 0
	return reflect.DeepEqual(x, y)
}

// writeDoc puts s on disk as it is, bypassing Create (for fixtures).
func writeDoc(t testing.TB, stateDir string, s *Session) {
	t.Helper()
	data, err := encode(s)
	require.NoError(t, err)
	writeRaw(t, stateDir, s.Slug, data)
}

// writeRaw puts raw bytes where slug's session document goes.
func writeRaw(t testing.TB, stateDir, slug string, data []byte) {
	t.Helper()
	require.NoError(t, os.MkdirAll(SessionsDir(stateDir), dirMode))
	require.NoError(t, os.WriteFile(SessionPath(stateDir, slug), data, fileMode))
}

// mustCreate creates a session and closes its handle.
func mustCreate(t testing.TB, stateDir string, s *Session) {
	t.Helper()
	h, err := Create(stateDir, s)
	require.NoError(t, err)
	require.NoError(t, h.Close())
}
