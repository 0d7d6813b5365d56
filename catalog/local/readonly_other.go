//go:build !unix

package local

// readOnlyDir cannot tell here, so a read-only Store never opens a
// catalog immutable: reads on a read-only medium fail as SQLite says.
func readOnlyDir(string) bool { return false }
