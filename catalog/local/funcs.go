package local

import (
	"database/sql/driver"
	"fmt"
	"regexp"
	"sync"

	"modernc.org/sqlite"
)

// regexpFunc is the SQL function behind Regexp filters:
// cz_regexp(pattern, text) is 1 when text matches, NULL when text is NULL.
const regexpFunc = "cz_regexp"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(regexpFunc, 2, matchRegexp)
}

// regexps caches compiled patterns; queries repeat a handful of them.
var regexps struct {
	sync.Mutex
	m map[string]*regexp.Regexp
}

func compiled(pat string) (*regexp.Regexp, error) {
	regexps.Lock()
	defer regexps.Unlock()
	if re, ok := regexps.m[pat]; ok {
		return re, nil
	}
	re, err := regexp.Compile(pat)
	if err != nil {
		return nil, err
	}
	if regexps.m == nil || len(regexps.m) > 256 {
		regexps.m = map[string]*regexp.Regexp{}
	}
	regexps.m[pat] = re
	return re, nil
}

func matchRegexp(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	if args[0] == nil || args[1] == nil {
		return nil, nil
	}
	pat, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("%s: pattern must be text", regexpFunc)
	}
	re, err := compiled(pat)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", regexpFunc, err)
	}
	var text string
	switch v := args[1].(type) {
	case string:
		text = v
	case []byte:
		text = string(v)
	default:
		text = fmt.Sprint(v)
	}
	if re.MatchString(text) {
		return int64(1), nil
	}
	return int64(0), nil
}
