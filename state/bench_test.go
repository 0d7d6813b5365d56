package state

import (
	"fmt"
	"testing"
)

// BenchmarkSave measures one atomic save (encode, write, fsync, backup link,
// rename, directory fsync) of sessions with 10 and 500 run records.
func BenchmarkSave(b *testing.B) {
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
			for b.Loop() {
				if err := h.Save(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoad measures Load (read and decode, no lock) of the same sessions.
func BenchmarkLoad(b *testing.B) {
	for _, runs := range []int{10, 500} {
		b.Run(fmt.Sprintf("runs=%d", runs), func(b *testing.B) {
			dir := b.TempDir()
			s := sampleSession("bench", "A", runs)
			h, err := Create(dir, s)
			if err != nil {
				b.Fatal(err)
			}
			_ = h.Close()
			data, _ := encode(s)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Load(dir, "bench"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
