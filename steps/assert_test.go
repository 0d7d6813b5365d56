package steps

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// Small assertion helpers: testify cannot be built here (its assert/yaml
// package needs go.yaml.in/yaml/v3, which go.sum does not pin).

func eq[T any](t *testing.T, want, got T, msg ...any) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Errorf("%swant %#v\n got %#v", prefix(msg), want, got)
	}
}

func contains(t *testing.T, s, sub string, msg ...any) {
	t.Helper()
	if !strings.Contains(s, sub) {
		t.Errorf("%s%q\n does not contain %q", prefix(msg), s, sub)
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func truth(t *testing.T, ok bool, msg ...any) {
	t.Helper()
	if !ok {
		t.Errorf("%sexpected true", prefix(msg))
	}
}

func prefix(msg []any) string {
	if len(msg) == 0 {
		return ""
	}
	format, _ := msg[0].(string)
	return strings.TrimSpace(fmt.Sprintf(format, msg[1:]...)) + ": "
}
