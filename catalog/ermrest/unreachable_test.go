package ermrest_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/ermrest"
)

// A port nothing listens on is reported as an unreachable server, with a
// fix, and not retried as if it were a passing fault.
func TestConnectionRefusedIsUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	tries := 0
	c, err := ermrest.New("http://"+addr, "1", ermrest.Options{HomeDir: t.TempDir(),
		Observe: func(ermrest.Attempt) { tries++ }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Snapshot(context.Background())
	if !errors.Is(err, catalog.ErrUnreachable) {
		t.Fatalf("want ErrUnreachable, got %v", err)
	}
	if hint := catalog.Hint(err); !strings.Contains(hint, "server is running") {
		t.Errorf("fix %q should say what to check", hint)
	}
	if tries != 1 {
		t.Errorf("a refused connection was tried %d times", tries)
	}
}
