package ermresttest

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The bulk POST /schema answers each schema as ERMrest's Schema.prejson
// renders it for an owner, "acls" last (capture schema-post-list in
// ermrest-observed/request_log_all_exchanges.txt, whose RID is replaced).
func TestBulkSchemaPostAnswersAsCaptured(t *testing.T) {
	t.Parallel()
	s, _ := fixture(t, Options{})
	a := do(t, s, "POST", "/ermrest/catalog/1/schema", `[{"schema_name":"bulk","comment":"c"}]`)
	require.Equal(t, 201, a.status, a.body)
	assert.Equal(t, "application/json", a.ctype)
	got := regexp.MustCompile(`"RID":"[^"]*"`).ReplaceAllString(a.body, `"RID":"ABDP"`)
	assert.Equal(t, `[{"RID":"ABDP","schema_name":"bulk","comment":"c","rights":{"owner":true,"create":true},`+
		`"annotations":{},"tables":{},"acls":{}}]`+"\n", got)
}

// bin() is no aggregate: the aggregate API refuses it as the real server
// does (capture aggregate-bin in ermrest-observed/request_log_all_exchanges.txt).
// The fake does not group by bins in attributegroup and says so.
func TestBinIsNoAggregate(t *testing.T) {
	t.Parallel()
	s, _ := fixture(t, Options{})
	a := do(t, s, "GET", "/ermrest/catalog/1/aggregate/cell-imaging:Image/b:=bin(Width;4;0;2048)", "")
	assert.Equal(t, 400, a.status)
	assert.Equal(t, "Request malformed. Detail: Attribute bin(Width;4;0;2048) lacks an aggregate function.\n", a.body)
	a = do(t, s, "GET", "/ermrest/catalog/1/attributegroup/cell-imaging:Image/b:=bin(Width;4;0;2048);n:=cnt(*)", "")
	assert.Equal(t, 400, a.status)
	assert.Contains(t, a.body, "bin() in attributegroup keys")
}
