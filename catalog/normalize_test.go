package catalog

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func normTable() *Table {
	return DefineTable(TableDef{Schema: "s", Name: "Image", Columns: []ColumnDef{
		{Name: "Width", Type: TypeInt4, NullOK: true},
		{Name: "Score", Type: TypeFloat8, NullOK: true},
		{Name: "Ok", Type: TypeBoolean, NullOK: true},
		{Name: "Tags", Type: TypeTextArray, NullOK: true},
		{Name: "Sizes", Type: ArrayOf(TypeInt8), NullOK: true},
		{Name: "Meta", Type: TypeJSONB, NullOK: true},
		{Name: "Acquired", Type: TypeTimestamptz, NullOK: true},
		{Name: "Note", Type: TypeMarkdown, NullOK: true},
	}})
}

func TestNormalizeJSONDecodedRow(t *testing.T) {
	t.Parallel()
	// What encoding/json gives for an ERMrest answer row (numbers as float64,
	// a float column rendered without a fraction as ERMrest does for -3).
	var row Row
	require.NoError(t, json.Unmarshal([]byte(`{"RID":"1ZA","RCT":"2026-11-25T16:48:34.01631+00:00","Width":641,"Score":-3,
		"Ok":true,"Tags":["x","y"],"Sizes":[1,2],"Meta":{"k":1},"Acquired":null,"Note":"n","Alias":7}`), &row))
	got, err := Normalize(normTable(), row)
	require.NoError(t, err)
	want := Row{"RID": "1ZA", "RCT": "2026-11-25T16:48:34.01631+00:00", "Width": int64(641), "Score": float64(-3),
		"Ok": true, "Tags": []any{"x", "y"}, "Sizes": []any{int64(1), int64(2)}, "Meta": map[string]any{"k": float64(1)},
		"Acquired": nil, "Note": "n", "Alias": float64(7)}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("Normalize:\n got %#v\nwant %#v", got, want)
	}
	if _, still := row["Width"].(float64); !still {
		t.Errorf("Normalize changed its input row: %#v", row)
	}
}

func TestNormalizeJSONNumbers(t *testing.T) {
	t.Parallel()
	row := Row{"Width": json.Number("512"), "Score": json.Number("0.5"), "Sizes": []any{json.Number("3")},
		"Meta": json.RawMessage(`[1,"a"]`)}
	got, err := Normalize(normTable(), row)
	require.NoError(t, err)
	want := Row{"Width": int64(512), "Score": 0.5, "Sizes": []any{int64(3)}, "Meta": []any{float64(1), "a"}}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}

func TestNormalizeSQLValues(t *testing.T) {
	t.Parallel()
	// What database/sql hands back from SQLite: int64 for booleans, JSON text
	// for arrays, time.Time for timestamps, []byte for text.
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("x", 3600))
	row := Row{"Ok": int64(1), "Tags": `["a"]`, "Acquired": at, "Note": []byte("b"), "Score": int64(2), "Width": "12"}
	got, err := Normalize(normTable(), row)
	require.NoError(t, err)
	want := Row{"Ok": true, "Tags": []any{"a"}, "Acquired": "2024-01-02T02:04:05+00:00", "Note": "b", "Score": float64(2),
		"Width": int64(12)}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}

func TestNormalizeRejectsWrongTypes(t *testing.T) {
	t.Parallel()
	for col, v := range map[string]any{"Width": 1.5, "Ok": "maybe", "Tags": 3, "Sizes": []any{"x"}, "Score": true} {
		if _, err := Normalize(normTable(), Row{col: v}); err == nil {
			t.Errorf("Normalize(%s=%#v) gave no error", col, v)
		}
	}
	if _, err := NormalizeValue(TypeText, map[string]any{}); err == nil {
		t.Error("a map as text gave no error")
	}
	if _, err := Normalize(normTable(), Row{"Tags": `not json`}); err == nil {
		t.Error("malformed array text gave no error")
	}
}

func TestTimestampForms(t *testing.T) {
	t.Parallel()
	// The three forms ERMrest emits (reference ermrest.md §0.16) name the same instant.
	want := time.Date(2026, 11, 25, 16, 48, 34, 16310000, time.UTC)
	for _, s := range []string{"2026-11-25T16:48:34.01631+00:00", "2026-11-25 16:48:34.01631+00",
		"2026-11-25 16:48:34.016310+00:00", "2026-11-25T17:48:34.01631+01:00"} {
		got, err := ParseTimestamp(s)
		require.NoError(t, err)
		if !got.Equal(want) {
			t.Errorf("ParseTimestamp(%q) = %v, want %v", s, got, want)
		}
	}
	assert.Equal(t, "2026-11-25T16:48:34.01631+00:00", FormatTimestamp(want))
	assert.Equal(t, "2024-01-02T03:04:05+00:00", FormatTimestamp(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)))
	for _, bad := range []string{"", "2026-11-25", "yesterday", "2026-11-25T16:48:34"} {
		if _, err := ParseTimestamp(bad); err == nil {
			t.Errorf("ParseTimestamp(%q) gave no error", bad)
		}
	}
}

func TestTimestampYearRange(t *testing.T) {
	t.Parallel()
	// Times whose year, as written or in UTC, PostgreSQL would write with
	// " BC" or five digits: FormatTimestamp could not write them back.
	for _, s := range []string{"0000-01-01 0:00:00+01", "0000-06-01T00:00:00+00:00", "0001-01-01T00:00:00+01:00",
		"9999-12-31T23:59:59-01:00", "9999-12-31 23:30:00-00:31"} {
		_, err := ParseTimestamp(s)
		var ce *Error
		if assert.ErrorAs(t, err, &ce, s) {
			assert.ErrorIs(t, err, ErrInvalidInput, s)
			assert.Contains(t, ce.Detail, "outside years 1 to 9999", s)
			assert.NotEmpty(t, ce.Fix, s)
		}
	}
	for _, s := range []string{"0001-01-01T00:00:00+00:00", "0001-01-01T00:30:00+00:30", "9999-12-31T23:59:59.999999+00:00",
		"9999-12-31T23:00:00-00:59"} {
		tm, err := ParseTimestamp(s)
		require.NoError(t, err, s)
		back, err := ParseTimestamp(FormatTimestamp(tm))
		require.NoError(t, err, s)
		assert.True(t, back.Equal(tm), s)
	}
	_, err := ParseTimestamp("yesterday")
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = NormalizeValue(TypeTimestamptz, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC))
	assert.ErrorIs(t, err, ErrInvalidInput)
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2026-11-25T16:48:34.01631+00:00", "2026-11-25 16:48:34.01631+00", "x",
		"0000-01-01 0:00:00+01", "0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00-01:00", "0001-01-01 00:00:00Z",
		"9999-12-31T23:59:59-01:00", "9999-12-31T23:59:59.999999999+14:00", "2024-02-29 12:00:00.5-09:30"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := ParseTimestamp(s)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) || !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("ParseTimestamp(%q) error is not a catalog ErrInvalidInput: %#v", s, err)
			}
			return
		}
		back, err := ParseTimestamp(FormatTimestamp(tm))
		if err != nil || !back.Equal(tm.Truncate(time.Microsecond)) {
			t.Fatalf("%q -> %v -> %q does not round-trip: %v %v", s, tm, FormatTimestamp(tm), back, err)
		}
	})
}
