package knowledge_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
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

// generateFAQs makes n distinct, realistic FAQs by recombining the sample knowledge
// base: each keeps a sample FAQ's structure, with some words swapped for words of
// other FAQs, so the vocabulary and term statistics look like a large real office.
func generateFAQs(tb testing.TB, n int) []knowledge.FAQ {
	tb.Helper()
	f, err := knowledge.ParseFile("kb.yaml", sample.KB)
	if err != nil {
		tb.Fatal(err)
	}
	var words []string
	for _, q := range f.FAQs {
		words = append(words, strings.Fields(q.Question)...)
		words = append(words, strings.Fields(q.Answer)...)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	mutate := func(s string) string {
		ws := strings.Fields(s)
		for i := range ws {
			if rng.IntN(4) == 0 {
				ws[i] = words[rng.IntN(len(words))]
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

// BenchmarkBuild10k measures building the index of 10,000 FAQs.
func BenchmarkBuild10k(b *testing.B) {
	faqs := generateFAQs(b, 10000)
	for b.Loop() {
		if _, err := knowledge.NewIndex(faqs); err != nil {
			b.Fatal(err)
		}
	}
}
