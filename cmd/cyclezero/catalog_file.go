package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/cyclezero/cyclezero/state"
)

// sqliteHeader starts every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// checkEmbeddedFile refuses, before the embedded engine reports it as a
// damaged catalog, a file that is not an SQLite database at all or a
// directory. An empty file passes: seeding makes it a new catalog (read
// commands refuse it themselves, see catalogOpts.empty). The fix depends
// on where the path came from: another --db, or moving the stray file
// aside and creating the catalog again.
func (o *catalogOpts) checkEmbeddedFile(g *globalFlags, c catalogChoice) error {
	path := c.loc.Path
	what, err := embeddedFileProblem(path)
	if err != nil || what == "" {
		return err
	}
	if c.source == fromDB {
		return usagef("%s is %s; choose another --db", path, what)
	}
	return fmt.Errorf("%s is %s; move it aside, then create the catalog again with: %s",
		path, what, g.command("catalog", "seed-demo", "--db", state.ShellQuote(path)))
}

// embeddedFileProblem says what is wrong with a path that should be an
// embedded catalog ("" when nothing is, or when it does not exist).
func embeddedFileProblem(path string) (string, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("embedded catalog %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("embedded catalog %s: %w", path, err)
	}
	if st.IsDir() {
		return "a directory, not an embedded catalog", nil
	}
	head := make([]byte, len(sqliteHeader))
	n, err := io.ReadFull(f, head)
	switch {
	case n == 0 && (errors.Is(err, io.EOF) || err == nil):
		return "", nil // empty: SQLite makes it a new database
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF):
		return "", fmt.Errorf("read embedded catalog %s: %w", path, err)
	case !bytes.Equal(head[:n], sqliteHeader):
		return "not an embedded catalog (not an SQLite database)", nil
	}
	return "", nil
}
