package state

import (
	"bytes"
	"encoding/json"
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
func unknownKeys(data []byte) (map[string]json.RawMessage, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	var extra map[string]json.RawMessage
	for k, v := range all {
		if isKnownKey(k) {
			continue
		}
		if extra == nil {
			extra = map[string]json.RawMessage{}
		}
		extra[k] = v
	}
	return extra, nil
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
