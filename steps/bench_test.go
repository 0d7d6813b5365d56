package steps

import (
	"fmt"
	"testing"

	"github.com/cyclezero/cyclezero/state"
)

// BenchmarkEvaluate measures Evaluate on a session with many runs, the
// shape a long-lived session reaches (the dashboard re-evaluates on every
// refresh).
func BenchmarkEvaluate(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("runs=%d", n), func(b *testing.B) {
			s := finished()
			for i := range n {
				fp := base
				fp.ConfigHash = fmt.Sprintf("cfg%d", i%7)
				s.Runs = append(s.Runs, state.RunRecord{ID: fmt.Sprint(i), Tier: 1 + i%3, Status: RunFailed, Fingerprint: fp})
			}
			cur := with(func(f *state.Fingerprint) { f.CodeHash = "k2" })
			b.ReportAllocs()
			for b.Loop() {
				Evaluate(s, cur)
			}
		})
	}
}
