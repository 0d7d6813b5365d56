package local

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	good := map[string]string{
		"2024-01-06": "2024-01-06", "2024-1-6": "2024-01-06", " 2024-01-06 ": "2024-01-06",
		"20240106": "2024-01-06", "2024-02-29": "2024-02-29",
		"2024-01-06T03:04:05+00:00": "2024-01-06", "2024-01-06 23:59:59": "2024-01-06",
	}
	for in, want := range good {
		got, err := parseDate(in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, got, in)
		}
	}
	bad := map[string]string{
		"not a date": "invalid input syntax for type date", "2024-01-06Tnoon": "invalid input syntax for type date",
		"2023-02-29": "date/time field value out of range", "2024-00-10": "date/time field value out of range",
		"0000-01-01": "date/time field value out of range", "": "invalid input syntax for type date",
	}
	for in, want := range bad {
		_, err := parseDate(in)
		if assert.Error(t, err, in) {
			assert.Contains(t, err.Error(), want, in)
		}
	}
}

func TestCheckIntRange(t *testing.T) {
	t.Parallel()
	assert.NoError(t, checkIntRange("int2", int64(32767)))
	assert.EqualError(t, checkIntRange("int2", int64(32768)), `value "32768" is out of range for type smallint`)
	assert.NoError(t, checkIntRange("int4", int64(-1)<<31))
	assert.EqualError(t, checkIntRange("int4", int64(1)<<40), `value "1099511627776" is out of range for type integer`)
	assert.NoError(t, checkIntRange("int8", int64(1)<<40), "int8 holds any int64")
}

func TestPGText(t *testing.T) {
	t.Parallel()
	cases := []struct {
		k    kind
		v    any
		want string
	}{
		{kBool, int64(1), "true"},
		{kBool, int64(0), "false"},
		{kTimestamptz, "2024-01-01T06:00:00.25+00:00", "2024-01-01 06:00:00.25+00"},
		{kFloat, 1.0, "1"},
		{kFloat, 0.5, "0.5"},
		{kFloat, 1e6, "1000000"},
		{kFloat, 1e20, "1e+20"},
		{kFloat, 0.00001, "1e-05"},
		{kFloat, 0.0001, "0.0001"},
		{kFloat, 999999999999999.9, "999999999999999.9"},
		{kFloat, 1e15, "1e+15"},
		{kFloat4Text, 1e6, "1e+06"},
		{kFloat4Text, 123456.0, "123456"},
		{kFloat4Text, 0.1, "0.1"},
		{kFloat4Text, 0.1234567891, "0.12345679"},
		{kJSON, `{"bb":[1,"<x>"],"a":null}`, `{"a": null, "bb": [1, "<x>"]}`},
		{kJSON, `{"k":"\u003c"}`, `{"k": "<"}`},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, pgText(c.k, c.v), "%v", c.v)
	}
}

// A timestamp is stored only when it can be read back: years 1 to 9999 in
// UTC, with or without an offset (PostgreSQL has no year 0).
func TestParseTimestampYearRange(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"0001-01-01T00:00:00", "9999-12-31 23:59:59", "2024-01-06", "0001-01-01T01:00:00+01:00"} {
		_, err := parseTimestamp(in)
		assert.NoError(t, err, in)
	}
	for _, in := range []string{"0000-01-01T00:00:00", "0000-01-01", "0000-01-01 0:00:00+01", "9999-12-31T23:59:59-01:00"} {
		_, err := parseTimestamp(in)
		assert.Error(t, err, in)
	}
}
