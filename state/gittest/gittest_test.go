package gittest

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsolateKeepsTheUserConfigOut(t *testing.T) {
	for _, k := range []string{"GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "GIT_AUTHOR_NAME", "GIT_COMMITTER_EMAIL"} {
		t.Setenv(k, "") // restored after the test
	}
	Isolate()
	assert.Equal(t, os.DevNull, os.Getenv("GIT_CONFIG_GLOBAL"))
	assert.Equal(t, "1", os.Getenv("GIT_CONFIG_NOSYSTEM"))
	assert.NotEmpty(t, os.Getenv("GIT_AUTHOR_NAME"))
	assert.NotEmpty(t, os.Getenv("GIT_COMMITTER_EMAIL"))
}
