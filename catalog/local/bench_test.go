package local_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cyclezero/cyclezero/catalog"
	"github.com/cyclezero/cyclezero/catalog/local"
)

// benchDir holds fixtures built once per test process; TestMain removes it.
var benchDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

var (
	sampleRef   = catalog.TableRef{Schema: "bench", Table: "Sample"}
	classRef    = catalog.TableRef{Schema: "bench", Table: "Class"}
	labelRef    = catalog.TableRef{Schema: "bench", Table: "Label"}
	benchClient = catalog.Identity{ID: "bench"}
)

func benchModel() catalog.ModelChange {
	sample := catalog.DefineTable(catalog.TableDef{Schema: "bench", Name: "Sample", Columns: []catalog.ColumnDef{
		{Name: "Name", Type: catalog.TypeText},
		{Name: "Value", Type: catalog.TypeInt4, NullOK: true},
		{Name: "Class", Type: catalog.TypeText, NullOK: true},
	}})
	class := catalog.DefineTable(catalog.TableDef{Schema: "bench", Name: "Class",
		Columns: []catalog.ColumnDef{{Name: "Name", Type: catalog.TypeText}},
		Keys:    []catalog.KeyDef{{Columns: []string{"Name"}}}})
	label := catalog.DefineTable(catalog.TableDef{Schema: "bench", Name: "Label",
		Columns: []catalog.ColumnDef{{Name: "Image", Type: catalog.TypeText}, {Name: "Class", Type: catalog.TypeText}},
		ForeignKeys: []catalog.ForeignKeyDef{{Columns: []string{"Class"}, RefSchema: "bench", RefTable: "Class",
			RefColumns: []string{"Name"}}}})
	return catalog.ModelChange{Schemas: []catalog.SchemaDef{{Name: "bench"}}, Tables: []*catalog.Table{sample, class, label}}
}

// sampleBatches splits total Sample rows into batches of size rows.
func sampleBatches(total, size int) [][]catalog.Row {
	batches := make([][]catalog.Row, total/size)
	for j := range batches {
		rows := make([]catalog.Row, size)
		for i := range rows {
			k := j*size + i
			rows[i] = catalog.Row{"Name": fmt.Sprintf("sample-%07d", k), "Value": k, "Class": fmt.Sprintf("class-%d", k%10)}
		}
		batches[j] = rows
	}
	return batches
}

// BenchmarkInsert100k inserts 100,000 rows into a small table in batches of
// 1,000 (one transaction each), history and normalization included.
func BenchmarkInsert100k(b *testing.B) {
	const total, batch = 100_000, 1_000
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		s, err := local.Open(filepath.Join(b.TempDir(), fmt.Sprintf("insert-%d.db", i)), local.Options{Client: benchClient})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Create(ctx, benchModel()); err != nil {
			b.Fatal(err)
		}
		batches := sampleBatches(total, batch)
		b.StartTimer()
		for _, rows := range batches {
			if _, err := s.Insert(ctx, sampleRef, rows, catalog.InsertOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(total)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkInsert100kRawSQLite is the baseline for BenchmarkInsert100k: the
// same rows and columns through plain SQLite (same pragmas, one prepared
// statement per 1,000-row transaction), without history, RIDs from the
// sequence, constraints or value normalization.
func BenchmarkInsert100kRawSQLite(b *testing.B) {
	const total, batch = 100_000, 1_000
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), fmt.Sprintf("raw-%d.db", i))
		db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec(`CREATE TABLE sample (rid TEXT NOT NULL UNIQUE, rct TEXT NOT NULL, rmt TEXT NOT NULL,
			rcb TEXT, rmb TEXT, name TEXT NOT NULL, value INTEGER, class TEXT) STRICT`); err != nil {
			b.Fatal(err)
		}
		batches := sampleBatches(total, batch)
		b.StartTimer()
		seq := int64(0)
		for _, rows := range batches {
			ts := catalog.FormatTimestamp(time.Now())
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			stmt, err := tx.PrepareContext(ctx, `INSERT INTO sample VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range rows {
				seq++
				if _, err := stmt.ExecContext(ctx, catalog.EncodeRID(seq), ts, ts, "bench", "bench", r["Name"], r["Value"], r["Class"]); err != nil {
					b.Fatal(err)
				}
			}
			stmt.Close()
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(total)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// labelFixture is a catalog with 10^6 label rows over 10 classes, built
// once per process. At labelSnap the labels were just loaded and a later
// write changed the table (reads there go through history); at
// labelSnapUnchanged only other tables changed since (reads use the live
// table).
var labelSnap, labelSnapUnchanged string

var labelFixture = sync.OnceValues(func() (string, error) {
	const total, batch = 1_000_000, 10_000
	var err error
	if benchDir, err = os.MkdirTemp("", "cyclezero-local-bench-"); err != nil {
		return "", err
	}
	path := filepath.Join(benchDir, "labels.db")
	ctx := context.Background()
	s, err := local.Open(path, local.Options{Client: benchClient})
	if err != nil {
		return "", err
	}
	defer s.Close()
	if err := s.Create(ctx, benchModel()); err != nil {
		return "", err
	}
	var classes []catalog.Row
	for c := range 10 {
		classes = append(classes, catalog.Row{"Name": fmt.Sprintf("class-%d", c)})
	}
	if _, err := s.Insert(ctx, classRef, classes, catalog.InsertOptions{}); err != nil {
		return "", err
	}
	rows := make([]catalog.Row, batch)
	for j := range total / batch {
		for i := range rows {
			k := j*batch + i
			rows[i] = catalog.Row{"Image": fmt.Sprintf("img-%07d", k), "Class": fmt.Sprintf("class-%d", (k*7)%10)}
		}
		if _, err := s.Insert(ctx, labelRef, rows, catalog.InsertOptions{}); err != nil {
			return "", err
		}
	}
	if labelSnap, err = s.Snapshot(ctx); err != nil {
		return "", err
	}
	if _, err := s.Insert(ctx, labelRef, []catalog.Row{{"Image": "img-extra", "Class": "class-9"}}, catalog.InsertOptions{}); err != nil {
		return "", err
	}
	if labelSnapUnchanged, err = s.Snapshot(ctx); err != nil {
		return "", err
	}
	if _, err := s.Insert(ctx, classRef, []catalog.Row{{"Name": "class-new"}}, catalog.InsertOptions{}); err != nil {
		return "", err
	}
	return path, nil
})

// BenchmarkClassCounts1M counts 10^6 label rows grouped by class.
func BenchmarkClassCounts1M(b *testing.B) { benchClassCounts(b, func() string { return "" }) }

// BenchmarkClassCounts1MAtSnapshotHistory counts them as of a snapshot after
// which the label table changed: the rows come from the history table.
func BenchmarkClassCounts1MAtSnapshotHistory(b *testing.B) {
	benchClassCounts(b, func() string { return labelSnap })
}

// BenchmarkClassCounts1MAtSnapshotUnchanged counts them as of a snapshot
// after which only other tables changed: the live table answers.
func BenchmarkClassCounts1MAtSnapshotUnchanged(b *testing.B) {
	benchClassCounts(b, func() string { return labelSnapUnchanged })
}

// openLabels builds the label fixture on first use and opens it.
func openLabels(b *testing.B) (*local.Store, string) {
	path, err := labelFixture()
	if err != nil {
		b.Fatal(err)
	}
	s, err := local.Open(path, local.Options{Client: benchClient})
	if err != nil {
		b.Fatal(err)
	}
	return s, path
}

func benchClassCounts(b *testing.B, at func() string) {
	s, _ := openLabels(b)
	defer s.Close()
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		gc, err := s.Count(ctx, catalog.GroupQuery{Table: labelRef, GroupBy: []string{"Class"}, At: at()})
		if err != nil {
			b.Fatal(err)
		}
		if len(gc) != 10 || gc[0].Count != 100_000 {
			b.Fatalf("unexpected counts %v", gc)
		}
	}
	b.ReportMetric(1e6*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkClassCounts1MRawSQL is the baseline: the same GROUP BY written
// by hand against the same file, without the store.
func BenchmarkClassCounts1MRawSQL(b *testing.B) {
	s, path := openLabels(b)
	m, err := s.Model(context.Background(), "")
	s.Close()
	if err != nil {
		b.Fatal(err)
	}
	t := m.Table(labelRef)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	q := fmt.Sprintf(`SELECT "c%s", count(*) FROM "t%s" GROUP BY 1 ORDER BY 1`, t.Column("Class").RID, t.RID)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rows, err := db.Query(q)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			var c string
			var k int64
			if err := rows.Scan(&c, &k); err != nil {
				b.Fatal(err)
			}
			n++
		}
		rows.Close()
		if n != 10 {
			b.Fatalf("%d groups", n)
		}
	}
	b.ReportMetric(1e6*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
