package catalog

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// jsonb prints keys shorter-first, then bytewise, with ", " and ": ", and
// escapes only what JSON needs (not '<').
func TestAppendJSONBText(t *testing.T) {
	t.Parallel()
	for want, v := range map[string]any{
		`{"a": null, "bb": [1, "<x>"], "ccc": true}`: map[string]any{"ccc": true, "bb": []any{int64(1), "<x>"}, "a": nil},
		`"tab\there \"q\" \u0001"`:                   "tab\there \"q\" \x01",
		`[1.5, 100, 2]`:                              []any{1.5, json.Number("100"), int64(2)},
		`{}`:                                         map[string]any{},
	} {
		var buf bytes.Buffer
		AppendJSONBText(&buf, v)
		assert.Equal(t, want, buf.String())
	}
}
