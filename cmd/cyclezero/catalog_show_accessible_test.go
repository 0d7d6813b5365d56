package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// In accessible mode `catalog show` says a foreign key in words
// ("references"), not with an arrow a screen reader reads as "right
// arrow" or skips; the normal mode keeps the arrow.
func TestCatalogShowSaysForeignKeysInWordsInAccessibleMode(t *testing.T) {
	isolate(t)
	t.Setenv("TERM", "xterm")
	t.Setenv("ACCESSIBLE", "")
	dir := demoWorkspace(t)

	out, errOut, code := cli(t, "", "--accessible", "-C", dir, "catalog", "show", "Execution_Image_Diagnosis")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "\n  (Diagnosis) references demo:Diagnosis(Name)")
	assert.NotContains(t, out, "→")

	out, errOut, code = cli(t, "", "-C", dir, "catalog", "show", "Execution_Image_Diagnosis")
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, "\n  (Diagnosis) → demo:Diagnosis(Name)")
	assert.False(t, strings.Contains(out, "references"), out)
}
