package state

import (
	"fmt"
	"testing"
)

// BenchmarkSave measures one atomic save (encode, write, fsync, backup link,
// rename, directory fsync) of sessions with 10 and 500 run records.
func BenchmarkSave(b *testing.B) {
	benchSessions(b, func(b *testing.B, _ string, s *Session, h *Handle) {
		for b.Loop() {
			if err := h.Save(s); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLoad measures Load (read and decode, no lock) of the same sessions.
func BenchmarkLoad(b *testing.B) {
	benchSessions(b, func(b *testing.B, dir string, _ *Session, h *Handle) {
		_ = h.Close()
		for b.Loop() {
			if _, err := Load(dir, "bench"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// benchSessions runs loop as a sub-benchmark per session size, with the
// session s created (and open as h) in dir and bytes counted per op.
func benchSessions(b *testing.B, loop func(b *testing.B, dir string, s *Session, h *Handle)) {
	for _, runs := range []int{10, 500} {
		b.Run(fmt.Sprintf("runs=%d", runs), func(b *testing.B) {
			dir := b.TempDir()
			s := sampleSession("bench", "A", runs)
			h, err := Create(dir, s)
			if err != nil {
				b.Fatal(err)
			}
			defer func() { _ = h.Close() }()
			data, _ := encode(s)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			loop(b, dir, s, h)
		})
	}
}
