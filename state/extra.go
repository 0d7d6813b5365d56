package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Keys this build does not know are kept, so that an older build saving a
// session does not delete what a newer one recorded in it (a new optional
// field, a note typed by hand). Only top-level keys are: the nested records
// (catalog, phases, runs, …) are plain values compared and copied freely by
// callers, and keeping their unknown keys would need a custom codec on each.
// A newer build that adds a field inside one of them bumps SchemaVersion
// instead, so that older builds refuse the document rather than drop it
// (see migrate.go).

// knownKeys are the JSON names of Session's fields, read from its tags so
// that a new field cannot be forgotten here.
var knownKeys = func() []string {
	t := reflect.TypeFor[Session]()
	var keys []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		if name != "-" {
			keys = append(keys, name)
		}
	}
	return keys
}()

// isKnownKey reports whether encoding/json decodes key into a Session field.
// It matches names case-insensitively, so "CURRENT" sets Current; such a key
// is not kept as unknown too, or the next save would write it beside
// "current" and the load after that would read its stale value.
func isKnownKey(key string) bool {
	return slices.ContainsFunc(knownKeys, func(k string) bool { return strings.EqualFold(k, key) })
}

// unknownKeys returns the top-level members of the JSON object data that no
// Session field takes, with their values as written; nil when there are none.
// data must be valid JSON (decode calls it after json.Unmarshal has taken
// it into a Session), so one light walk over the bytes finds the members:
// a second full decode into a map would cost as much as the first.
func unknownKeys(data []byte) (map[string]json.RawMessage, error) {
	var extra map[string]json.RawMessage
	err := objectMembers(data, func(key, value []byte) error {
		var k string
		if err := json.Unmarshal(key, &k); err != nil {
			return err
		}
		if isKnownKey(k) {
			return nil
		}
		if extra == nil {
			extra = map[string]json.RawMessage{}
		}
		// A copy, so the session does not keep the whole file's bytes alive.
		extra[k] = bytes.Clone(value)
		return nil
	})
	return extra, err
}

// objectMembers calls fn with the key (quoted, as written) and the value of
// each top-level member of data, a valid JSON object, in order. It tracks
// only strings and nesting depth: at depth 1, outside strings, ':' ends a
// key and ',' or the closing '}' ends a value.
func objectMembers(data []byte, fn func(key, value []byte) error) error {
	data = bytes.TrimSpace(data)
	if len(data) < 2 || data[0] != '{' {
		return errors.New("not a JSON object")
	}
	depth, start, key := 1, 1, []byte(nil)
	for i := 1; i < len(data) && depth > 0; i++ {
		switch c := data[i]; {
		case c == '"':
			i = closingQuote(data, i)
		case c == '{' || c == '[':
			depth++
		case depth == 1 && c == ':':
			key, start = bytes.TrimSpace(data[start:i]), i+1
		case depth == 1 && (c == ',' || c == '}'):
			if key != nil {
				if err := fn(key, bytes.TrimSpace(data[start:i])); err != nil {
					return err
				}
			}
			key, start = nil, i+1
			if c == '}' {
				depth--
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}

// closingQuote returns the index of the '"' that ends the JSON string
// opened at data[open]: the next one not escaped by an odd run of
// backslashes. data is valid JSON, so there is one.
func closingQuote(data []byte, open int) int {
	for i := open + 1; ; i++ {
		i += bytes.IndexByte(data[i:], '"')
		backslashes := 0
		for data[i-1-backslashes] == '\\' {
			backslashes++
		}
		if backslashes%2 == 0 {
			return i
		}
	}
}

// appendUnknown adds extra's members to the compact JSON object obj (as
// json.Marshal wrote a Session: never empty, since schema_version is always
// there), after the known ones and sorted by key, so saves are stable.
// Values are compacted but otherwise written as they were read.
func appendUnknown(obj []byte, extra map[string]json.RawMessage) ([]byte, error) {
	if len(extra) == 0 {
		return obj, nil
	}
	if len(obj) < 2 || obj[len(obj)-1] != '}' {
		return nil, fmt.Errorf("encode session: %q is not a JSON object", obj)
	}
	buf := bytes.NewBuffer(obj[: len(obj)-1 : len(obj)-1])
	for _, k := range slices.Sorted(maps.Keys(extra)) {
		key, err := json.Marshal(k)
		if err != nil {
			return nil, fmt.Errorf("encode session key %q: %w", k, err)
		}
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		buf.Write(key)
		buf.WriteByte(':')
		if err := json.Compact(buf, extra[k]); err != nil {
			return nil, fmt.Errorf("encode session key %q: %w", k, err)
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
