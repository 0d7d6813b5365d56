package local

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A catalog file the user may not read says what to check, once, and is
// still a permission error for callers that test for one.
func TestRefusedFileSaysWhatToCheck(t *testing.T) {
	t.Parallel()
	path := "/data/my repo/.git/cyclezero/sessions/m/catalog.sqlite"
	err := refusedFile(path, &fs.PathError{Op: "open", Path: path, Err: fs.ErrPermission})
	assert.ErrorIs(t, err, fs.ErrPermission)
	assert.EqualError(t, err, "open local catalog "+path+": permission denied — check the owner and permissions of "+path+
		" and its directory (ls -ld '/data/my repo/.git/cyclezero/sessions/m' '"+path+"')")
}

func TestOpenUnreadableCatalog(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("running as root: the file system refuses root nothing")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "catalog.sqlite")
	require.NoError(t, os.WriteFile(path, []byte("x"), 0o000))
	_, err := OpenExisting(path, Options{})
	assert.ErrorIs(t, err, fs.ErrPermission)
	assert.ErrorContains(t, err, "check the owner and permissions of "+path)
}
