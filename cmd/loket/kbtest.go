package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/loket-id/loket/knowledge"
)

// `loket kb test` runs golden questions (cases.yaml) against the knowledge base and
// reports how well the bot picks the right answer. Like the other kb commands it
// speaks Indonesian: editors use it.

// fraction is a threshold flag: a share between 0 and 1, unset by default.
type fraction struct {
	v   float64
	set bool
}

func (f *fraction) String() string {
	if f == nil || !f.set {
		return ""
	}
	return strconv.FormatFloat(f.v, 'f', -1, 64)
}

// Set accepts "0.92" (and the Indonesian "0,92").
func (f *fraction) Set(s string) error {
	v, err := strconv.ParseFloat(strings.Replace(strings.TrimSpace(s), ",", ".", 1), 64)
	if err != nil {
		return errors.New("harus berupa pecahan antara 0 dan 1, misalnya 0.92")
	}
	if v < 0 || v > 1 {
		return fmt.Errorf("harus antara 0 dan 1 (pecahan, bukan persen: 0.92 untuk 92%%), bukan %s", s)
	}
	f.v, f.set = v, true
	return nil
}

// bar is one quality bar of `kb test`.
type bar struct {
	flag  string
	label string
	max   bool // an upper bound (wrong answers), not a lower one
	limit *fraction
	rate  float64
	// none explains why the rate cannot be measured (no cases for its denominator).
	none string
}

// check returns why the bar is not met, or "".
func (b bar) check() string {
	if !b.limit.set {
		return ""
	}
	if b.none != "" {
		return fmt.Sprintf("--%s %s: %s tidak bisa diukur, %s", b.flag, b.limit, b.label, b.none)
	}
	if b.max && b.rate > b.limit.v {
		return fmt.Sprintf("--%s %s: %s %s di atas batas %s", b.flag, b.limit, b.label, percent(b.rate), percent(b.limit.v))
	}
	if !b.max && b.rate < b.limit.v {
		return fmt.Sprintf("--%s %s: %s %s di bawah batas %s", b.flag, b.limit, b.label, percent(b.rate), percent(b.limit.v))
	}
	return ""
}

// kbTestJSON is the output of `kb test --json`: the report, its rates and the bars
// not met.
type kbTestJSON struct {
	knowledge.GoldenReport
	Top1Rate   float64  `json:"top1_rate"`
	Hit3Rate   float64  `json:"hit3_rate"`
	WrongRate  float64  `json:"wrong_rate"`
	CaughtRate float64  `json:"caught_rate"`
	Failed     []string `json:"failed"`
}

const kbTestUsage = "pemakaian: loket kb test KASUS.yaml [--kb BERKAS] [--min-top1 F] [--min-hit3 F] [--max-wrong F] [--min-caught F] [--json]"

func runKBTest(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("kb test", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	kb := fs.String("kb", "", "uji basis pengetahuan dari BERKAS ini, bukan dari basis data")
	var minTop1, minHit3, maxWrong, minCaught fraction
	fs.Var(&minTop1, "min-top1", "batas minimum jawaban pertama benar (pecahan 0..1, misalnya 0.9)")
	fs.Var(&minHit3, "min-hit3", "batas minimum jawaban benar di tiga teratas (pecahan 0..1)")
	fs.Var(&maxWrong, "max-wrong", "batas maksimum jawaban salah (pecahan 0..1, misalnya 0.05)")
	fs.Var(&minCaught, "min-caught", "batas minimum pertanyaan di luar cakupan yang tidak dijawab (pecahan 0..1)")
	asJSON := fs.Bool("json", false, "cetak laporan sebagai JSON")
	// Flags may come before or after the cases file.
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != 1 {
		return usageError{kbTestUsage}
	}
	name := pos[0]
	data, err := readFile(name)
	if err != nil {
		return err
	}
	cases, err := knowledge.ParseCases(data)
	if err != nil {
		return fmt.Errorf("berkas kasus %s tidak bisa dibaca: %w", name, err)
	}
	if len(cases) == 0 {
		return fmt.Errorf("berkas kasus %s tidak berisi kasus; tulis di bawah \"cases:\" pasangan q dan expect", name)
	}
	ix, err := loadIndex(ctx, e, *kb)
	if err != nil {
		return err
	}
	rep, err := knowledge.RunGolden(ctx, ix, cases)
	if err != nil {
		return err
	}
	noIn, noOut := "", ""
	if rep.InScope == 0 {
		noIn = "tidak ada kasus yang mengharapkan FAQ"
	}
	if rep.OutOfScope == 0 {
		noOut = "tidak ada kasus dengan expect: none"
	}
	bars := []bar{
		{flag: "min-top1", label: "top-1", limit: &minTop1, rate: rep.Top1Rate(), none: noIn},
		{flag: "min-hit3", label: "hit@3", limit: &minHit3, rate: rep.Hit3Rate(), none: noIn},
		// No answers at all means no wrong ones: the upper bound is met.
		{flag: "max-wrong", label: "jawaban salah", max: true, limit: &maxWrong, rate: rep.WrongRate()},
		{flag: "min-caught", label: "di luar cakupan tertangkap", limit: &minCaught, rate: rep.CaughtRate(), none: noOut},
	}
	failed := []string{}
	anySet := false
	for _, b := range bars {
		anySet = anySet || b.limit.set
		if why := b.check(); why != "" {
			failed = append(failed, why)
		}
	}
	if *asJSON {
		b, err := json.MarshalIndent(kbTestJSON{
			GoldenReport: rep, Top1Rate: rep.Top1Rate(), Hit3Rate: rep.Hit3Rate(),
			WrongRate: rep.WrongRate(), CaughtRate: rep.CaughtRate(), Failed: failed,
		}, "", "  ")
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(e.stdout, "%s\n", b); err != nil {
			return err
		}
	} else {
		source := "basis data"
		if *kb != "" {
			source = "berkas " + *kb
		}
		printGoldenReport(e.stdout, ix, name, source, rep)
		switch {
		case len(failed) > 0:
			fmt.Fprintln(e.stdout, "\nBatas mutu tidak tercapai:")
			for _, f := range failed {
				fmt.Fprintf(e.stdout, "  - %s\n", f)
			}
		case anySet:
			fmt.Fprintln(e.stdout, "\nSemua batas mutu tercapai.")
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("batas mutu tidak tercapai: %s", strings.Join(failed, "; "))
	}
	return nil
}

// percent formats a share the Indonesian way: "92,3%".
func percent(v float64) string {
	return strings.Replace(strconv.FormatFloat(100*v, 'f', 1, 64), ".", ",", 1) + "%"
}

// decisionLabels are the decisions in plain Indonesian.
var decisionLabels = map[knowledge.Decision]string{
	knowledge.DecisionAnswer:    "dijawab",
	knowledge.DecisionClarify:   "ditanya balik (pilihan jawaban)",
	knowledge.DecisionEscalate:  "tidak dijawab, ditawarkan ke petugas",
	knowledge.DecisionSmalltalk: "dibalas sebagai sapaan",
}

func decisionLabel(d knowledge.Decision) string {
	if l, ok := decisionLabels[d]; ok {
		return l + " (" + string(d) + ")"
	}
	return string(d)
}

// printGoldenReport writes the readable report of `kb test`.
func printGoldenReport(w io.Writer, ix *knowledge.Index, casesFile, source string, r knowledge.GoldenReport) {
	fmt.Fprintf(w, "Uji %d pertanyaan dari %s (%d dalam cakupan, %d di luar cakupan) terhadap %d FAQ dari %s.\n\n",
		r.Cases, casesFile, r.InScope, r.OutOfScope, ix.Len(), source)
	fmt.Fprintf(w, "Jawaban pertama benar (top-1): %s (%d dari %d)\n", percent(r.Top1Rate()), r.Top1, r.InScope)
	fmt.Fprintf(w, "Jawaban benar di tiga teratas (hit@3): %s (%d dari %d)\n", percent(r.Hit3Rate()), r.Hit3, r.InScope)
	fmt.Fprintf(w, "Jawaban salah: %s (%d dari %d jawaban)\n", percent(r.WrongRate()), r.Wrong, r.Answered)
	fmt.Fprintf(w, "Di luar cakupan tertangkap (tidak dijawab): %s (%d dari %d)\n", percent(r.CaughtRate()), r.Caught, r.OutOfScope)

	unknown := map[string]bool{}
	for _, id := range r.UnknownExpect {
		unknown[id] = true
	}
	if len(r.UnknownExpect) > 0 {
		fmt.Fprintf(w, "\nPerhatian: %d id yang diharapkan tidak ada di basis pengetahuan (salah ketik di berkas kasus?): %s\n",
			len(r.UnknownExpect), strings.Join(r.UnknownExpect, ", "))
	}
	if len(r.Misses) == 0 {
		fmt.Fprintln(w, "\nTidak ada yang meleset.")
		return
	}
	fmt.Fprintf(w, "\nMeleset (%d):\n", len(r.Misses))
	for i, m := range r.Misses {
		fmt.Fprintf(w, "\n%d. %q\n", i+1, m.Q)
		switch {
		case m.Expect == knowledge.ExpectNone:
			fmt.Fprintln(w, "   Diharapkan: none — tidak dijawab, ditawarkan ke petugas")
		case unknown[m.Expect]:
			fmt.Fprintf(w, "   Diharapkan: %s — ID TIDAK ADA di basis pengetahuan\n", m.Expect)
		default:
			f, _ := ix.FAQ(m.Expect)
			fmt.Fprintf(w, "   Diharapkan: %s — %s\n", m.Expect, f.Question)
		}
		fmt.Fprintf(w, "   Keputusan:  %s\n", decisionLabel(m.Decision))
		if len(m.Got) == 0 {
			fmt.Fprintln(w, "   Terpilih:   tidak ada FAQ yang cocok")
			continue
		}
		var got []string
		for j, h := range m.Got {
			if j >= 3 {
				break
			}
			got = append(got, fmt.Sprintf("%s (%s)", h.ID, strings.Replace(strconv.FormatFloat(h.Score, 'f', 2, 64), ".", ",", 1)))
		}
		fmt.Fprintf(w, "   Terpilih:   %s\n", strings.Join(got, ", "))
	}
}
