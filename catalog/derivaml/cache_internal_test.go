package derivaml

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadOnlyDSNRefusesWrites(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "dir with space", "index.sqlite")
	require.NoError(t, mkdirAll(filepath.Dir(path)))
	w, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	_, err = w.Exec(`CREATE TABLE t (x INTEGER)`)
	require.NoError(t, err)
	require.NoError(t, w.Close())

	r, err := sql.Open("sqlite", readOnlyDSN(path))
	require.NoError(t, err)
	defer r.Close()
	var n int
	require.NoError(t, r.QueryRow(`SELECT count(*) FROM t`).Scan(&n), "reads work")
	_, err = r.Exec(`INSERT INTO t VALUES (1)`)
	assert.ErrorContains(t, err, "readonly", "writes are refused")
}

func mkdirAll(dir string) error { return os.MkdirAll(dir, 0o755) }

func TestFetchEntryPath(t *testing.T) {
	t.Parallel()
	for line, want := range map[string]string{
		"https://h/x\t12\tdata/a.png":          "data/a.png",
		"https://h/x\t12\tdata/a b.png  \n":    "data/a b.png",
		"  https://h/x\t12\tdata/a.png\tmore ": "data/a.png",
		"https://h/x\t12\tdata/%25%0d%0A%41":   "data/%25%0d%0A%41",
	} {
		got, ok := fetchEntryPath(line)
		assert.True(t, ok, line)
		assert.Equal(t, want, got, line)
	}
	for _, line := range []string{"", "   ", "https://h/x", "https://h/x\t12", "https://h/x\t12\t", "https://h/x 12 data/a.png", "https://h/x\t12 data/a.png"} {
		_, ok := fetchEntryPath(line)
		assert.False(t, ok, "%q has fewer than three tab-separated fields", line)
	}
}
