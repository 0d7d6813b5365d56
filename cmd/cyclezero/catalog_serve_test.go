package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockedBuffer is a bytes.Buffer a running command may write while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestCatalogServeAnswersTheHTTPBackend(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)

	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-C", dir, "catalog", "serve", "--local"}, stdio{in: strings.NewReader(""), out: &out, err: &errOut})
	}()
	served := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)/ermrest/catalog/1`)
	var base string
	require.Eventually(t, func() bool {
		m := served.FindStringSubmatch(out.String())
		if m != nil {
			base = m[1]
		}
		return m != nil
	}, 10*time.Second, 10*time.Millisecond, "serve never said where it listens: %s%s", out.String(), errOut.String())

	ls, lsErr, code := cli(t, "", "-C", dir, "catalog", "ls", "--host", base, "--catalog", "1")
	require.Equal(t, exitOK, code, lsErr)
	assert.Regexp(t, `demo\s+Image\s+asset\s+1000`, ls)

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, exitOK, code, errOut.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop when its context ended")
	}
	assert.Contains(t, out.String(), "Stopped.")
}

func TestCatalogServeListensOnLoopbackOnly(t *testing.T) {
	isolate(t)
	dir := demoWorkspace(t)
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:80", "nonsense"} {
		_, errOut, code := cli(t, "", "-C", dir, "catalog", "serve", "--local", "--addr", addr)
		assert.Equal(t, exitUsage, code, addr)
		assert.Contains(t, errOut, "--addr", addr)
	}
}
