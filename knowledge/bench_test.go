package knowledge_test

import (
	"context"
	"fmt"
	"math/rand"
	randv2 "math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/loket-id/loket/knowledge"
	"github.com/loket-id/loket/knowledge/sample"
)

// evalDir is where the shared evaluation sets are (../shared/eval from the repository
// root), or LOKET_EVAL_DIR.
func evalDir() string {
	if d := os.Getenv("LOKET_EVAL_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "shared", "eval")
}

// generateFAQs makes n distinct FAQs for benchmarks: each keeps the shape and
// function words of a sample FAQ, with most content words replaced by words drawn
// (Zipf-distributed) from a synthetic vocabulary of 30,000, so that term statistics
// look like a large office's knowledge base rather than the sample repeated.
func generateFAQs(tb testing.TB, n int) []knowledge.FAQ {
	tb.Helper()
	f, err := knowledge.ParseFile("kb.yaml", sample.KB)
	if err != nil {
		tb.Fatal(err)
	}
	rng := randv2.New(randv2.NewPCG(1, 2))
	const letters = "bcdfghjklmnprstw"
	const vowels = "aiueo"
	vocab := make([]string, 30000)
	for i := range vocab {
		var w strings.Builder
		for range 2 + rng.IntN(3) {
			w.WriteByte(letters[rng.IntN(len(letters))])
			w.WriteByte(vowels[rng.IntN(len(vowels))])
		}
		vocab[i] = w.String()
	}
	zipf := rand.NewZipf(rand.New(rand.NewSource(3)), 1.1, 1, uint64(len(vocab)-1))
	mutate := func(s string) string {
		ws := strings.Fields(s)
		for i, w := range ws {
			if len(w) > 3 && rng.IntN(10) < 6 {
				ws[i] = vocab[zipf.Uint64()]
			}
		}
		return strings.Join(ws, " ")
	}
	out := make([]knowledge.FAQ, n)
	for i := range out {
		base := f.FAQs[i%len(f.FAQs)]
		out[i] = knowledge.FAQ{
			ID: fmt.Sprintf("%s-%d", base.ID, i), Category: base.Category, Unit: base.Unit,
			Question: mutate(base.Question), Keywords: base.Keywords, Answer: mutate(base.Answer),
		}
		for _, a := range base.Alternates {
			out[i].Alternates = append(out[i].Alternates, mutate(a))
		}
	}
	return out
}

// devQuestions returns the dev set's questions, or the sample's when it is absent.
func devQuestions(tb testing.TB) []string {
	data, err := os.ReadFile(filepath.Join(evalDir(), "dev", "cases.yaml"))
	if err != nil {
		data = sample.Cases
	}
	cases, err := knowledge.ParseCases(data)
	if err != nil {
		tb.Fatal(err)
	}
	qs := make([]string, len(cases))
	for i, c := range cases {
		qs[i] = c.Q
	}
	return qs
}

// reportLatency reports the median and 99th percentile of durations.
func reportLatency(b *testing.B, ds []time.Duration) {
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkSearch10k measures one question against 10,000 FAQs through Loket's whole
// pipeline (analysis, typo correction, synonyms, BM25 over five fields, decision).
func BenchmarkSearch10k(b *testing.B) {
	ix, err := knowledge.NewIndex(generateFAQs(b, 10000))
	if err != nil {
		b.Fatal(err)
	}
	qs := devQuestions(b)
	ctx := context.Background()
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := ix.Search(ctx, qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	reportLatency(b, ds)
}

// BenchmarkSearch10kDefaultBleve is the yardstick: a default Bleve (scorch) index of
// the same FAQs queried with a plain match query.
func BenchmarkSearch10kDefaultBleve(b *testing.B) {
	idx, err := bleve.NewUsing("", bleve.NewIndexMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = idx.Close() }()
	batch := idx.NewBatch()
	for _, f := range generateFAQs(b, 10000) {
		if err := batch.Index(f.ID, f); err != nil {
			b.Fatal(err)
		}
		if batch.Size() >= 1000 {
			if err := idx.Batch(batch); err != nil {
				b.Fatal(err)
			}
			batch = idx.NewBatch()
		}
	}
	if err := idx.Batch(batch); err != nil {
		b.Fatal(err)
	}
	qs := devQuestions(b)
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		req := bleve.NewSearchRequestOptions(bleve.NewMatchQuery(qs[i%len(qs)]), 5, 0, false)
		if _, err := idx.Search(req); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	reportLatency(b, ds)
}

// BenchmarkBuild10k measures building the index of 10,000 FAQs, and the heap the
// built index holds.
func BenchmarkBuild10k(b *testing.B) {
	faqs := generateFAQs(b, 10000)
	var ix *knowledge.Index
	for b.Loop() {
		var err error
		if ix, err = knowledge.NewIndex(faqs); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/1e6, "heap-MB")
	runtime.KeepAlive(ix)
}

// TestWriteGenerated10k writes the generated 10,000-FAQ knowledge base to the file
// named by LOKET_WRITE_GENERATED, to measure `loket` itself on it (README).
func TestWriteGenerated10k(t *testing.T) {
	path := os.Getenv("LOKET_WRITE_GENERATED")
	if path == "" {
		t.Skip("set LOKET_WRITE_GENERATED=FILE to write the generated knowledge base")
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = out.Close() }()
	f := &knowledge.File{FAQs: generateFAQs(t, 10000)}
	if err := f.WriteYAML(out); err != nil {
		t.Fatal(err)
	}
}
