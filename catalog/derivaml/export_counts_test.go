package derivaml

// SetMemberFilterLimit lowers the dataset size above which class counts
// filter members in memory; it returns the restore function.
func SetMemberFilterLimit(n int) func() {
	old := memberFilterLimit
	memberFilterLimit = n
	return func() { memberFilterLimit = old }
}

// SetMinRangeWidth lowers the RID span below which a feature table is read
// in one range; it returns the restore function.
func SetMinRangeWidth(n int64) func() {
	old := minRangeWidth
	minRangeWidth = n
	return func() { minRangeWidth = old }
}
