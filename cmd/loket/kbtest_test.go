package main

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/loket-id/loket/internal/dbtest"
)

// goodCases are golden questions for goodKB: two answered right, one out of scope
// caught, one out of scope wrongly answered.
const goodCases = `cases:
  - q: cara bikin skck
    expect: skck
  - q: cara bayar pbb
    expect: pbb
  - q: harga cabai rawit hari ini
    expect: none
  - q: bagaimana cara membuat skck
    expect: none
`

func TestKBTestReport(t *testing.T) {
	kb := writeFile(t, "kb.yaml", goodKB)
	cases := writeFile(t, "cases.yaml", goodCases)
	out, _, err := loket(t, nil, "", "kb", "test", cases, "--kb", kb)
	if err != nil {
		t.Fatalf("kb test: %v\n%s", err, out)
	}
	for _, want := range []string{
		"Jawaban pertama benar (top-1): 100,0% (2 dari 2)",
		"(hit@3): 100,0% (2 dari 2)",
		"Jawaban salah: 33,3% (1 dari 3 jawaban)",
		"50,0% (1 dari 2)",
		// The one miss: an out-of-scope question that was answered, with what was chosen.
		"Meleset (1)",
		`"bagaimana cara membuat skck"`,
		"Diharapkan: none",
		"dijawab (answer)",
		"Terpilih:   skck (",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}

	// Bars that are met pass; flags may come before the file too.
	out, _, err = loket(t, nil, "", "kb", "test", "--min-top1", "0.9", "--max-wrong", "0,5", "--kb", kb, cases)
	if err != nil || !strings.Contains(out, "Semua batas mutu tercapai") {
		t.Errorf("met bars: %v\n%s", err, out)
	}
}

func TestKBTestBarsFail(t *testing.T) {
	kb := writeFile(t, "kb.yaml", goodKB)
	cases := writeFile(t, "cases.yaml", goodCases)
	out, _, err := loket(t, nil, "", "kb", "test", cases, "--kb", kb, "--min-top1", "1", "--min-caught", "0.8", "--max-wrong", "0.1")
	if err == nil {
		t.Fatalf("bars not met but no error:\n%s", out)
	}
	if exitCode(err) != 1 {
		t.Errorf("exit code %d, want 1", exitCode(err))
	}
	for _, want := range []string{"--min-caught", "--max-wrong"} {
		if !strings.Contains(err.Error(), want) || !strings.Contains(out, want) {
			t.Errorf("error %q / report should name the bar %s:\n%s", err, want, out)
		}
	}
	if strings.Contains(err.Error(), "--min-top1") {
		t.Errorf("error %q names --min-top1, which is met", err)
	}

	// --min-top1 1 fails once a case misses its FAQ.
	missing := goodCases + "  - q: harga cabai rawit hari ini\n    expect: pbb\n"
	_, _, err = loket(t, nil, "", "kb", "test", writeFile(t, "cases.yaml", missing), "--kb", kb, "--min-top1", "1")
	if err == nil || !strings.Contains(err.Error(), "--min-top1") {
		t.Errorf("--min-top1 1 with a miss: err = %v, want one naming --min-top1", err)
	}
}

func TestKBTestUsage(t *testing.T) {
	kb := writeFile(t, "kb.yaml", goodKB)
	cases := writeFile(t, "cases.yaml", goodCases)
	for _, args := range [][]string{
		{"kb", "test"},
		{"kb", "test", cases, cases},
		{"kb", "test", cases, "--kb", kb, "--min-top1", "92"},
		{"kb", "test", cases, "--kb", kb, "--max-wrong", "-0.1"},
		{"kb", "test", cases, "--kb", kb, "--min-hit3", "banyak"},
	} {
		_, _, err := loket(t, nil, "", args...)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("%q: err = %v, want a usage error", args, err)
		}
	}
	if _, _, err := loket(t, nil, "", "kb", "test", writeFile(t, "c.yaml", "cases: []\n"), "--kb", kb); err == nil {
		t.Error("an empty cases file passed")
	}
	if _, _, err := loket(t, nil, "", "kb", "test", writeFile(t, "c.yaml", "cases:\n  - q: tanpa harapan\n"), "--kb", kb); err == nil {
		t.Error("a case without expect passed")
	}
}

func TestKBTestUnknownExpect(t *testing.T) {
	kb := writeFile(t, "kb.yaml", goodKB)
	cases := writeFile(t, "cases.yaml", goodCases+"  - q: cara bikin skck\n    expect: skkc\n")
	out, _, err := loket(t, nil, "", "kb", "test", cases, "--kb", kb)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"tidak ada di basis pengetahuan", "skkc", "Diharapkan: skkc — ID TIDAK ADA"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}

	out, _, err = loket(t, nil, "", "kb", "test", cases, "--kb", kb, "--json", "--min-top1", "0.9")
	if err == nil {
		t.Errorf("--min-top1 0.9 with 2 of 3 right passed:\n%s", out)
	}
	var rep kbTestJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, out)
	}
	if rep.Cases != 5 || rep.InScope != 3 || rep.Top1 != 2 || len(rep.UnknownExpect) != 1 || rep.UnknownExpect[0] != "skkc" ||
		len(rep.Failed) != 1 || rep.Top1Rate < 0.66 || rep.Top1Rate > 0.67 {
		t.Errorf("JSON report = %+v", rep)
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(out), &raw)
	for _, k := range []string{"cases", "top1", "hit3", "answered", "wrong", "caught", "misses", "unknown_expect", "top1_rate", "failed"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, out)
		}
	}
}

// Without --kb the golden questions run against the database.
func TestKBTestFromDatabase(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": dbtest.NewURL(t)}
	if _, _, err := loket(t, vars, "", "kb", "import", writeFile(t, "kb.yaml", goodKB)); err != nil {
		t.Fatal(err)
	}
	out, _, err := loket(t, vars, "", "kb", "test", writeFile(t, "cases.yaml", goodCases), "--min-top1", "1")
	if err != nil || !strings.Contains(out, "2 FAQ dari basis data") {
		t.Errorf("kb test from the database: %v\n%s", err, out)
	}
}
