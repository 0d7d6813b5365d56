package catalog

import "testing"

func TestCompareValues(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b any
		want int
	}{
		{nil, nil, 0},
		{nil, "a", 1},
		{"a", nil, -1},
		{int64(2), 10.5, -1},
		{int64(10), int64(9), 1},
		{3.0, int64(3), 0},
		{false, true, -1},
		{true, true, 0},
		{"B", "a", -1}, // bytes, not a locale collation
		{"abc", "abd", -1},
	} {
		if got := CompareValues(tc.a, tc.b); got != tc.want {
			t.Errorf("CompareValues(%v, %v) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestCompareRowsPutsNullsLastAscendingFirstDescending(t *testing.T) {
	t.Parallel()
	a, b := Row{"x": nil, "y": int64(1)}, Row{"x": "v", "y": int64(2)}
	if CompareRows(a, b, []SortKey{{Column: "x"}}) <= 0 {
		t.Error("ascending: NULL sorts after a value")
	}
	if CompareRows(a, b, []SortKey{{Column: "x", Desc: true}}) >= 0 {
		t.Error("descending: NULL sorts before a value")
	}
	if CompareRows(Row{"x": "v", "y": int64(1)}, b, []SortKey{{Column: "x"}, {Column: "y"}}) >= 0 {
		t.Error("ties fall through to the next key")
	}
}
