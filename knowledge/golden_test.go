package knowledge_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/loket-id/loket/knowledge"
)

// goldenFAQs is a knowledge base of three FAQs: every FAQ a question touches at all is
// among its first three hits.
var goldenFAQs = []knowledge.FAQ{
	{ID: "skck", Category: "Kepolisian", Question: "Bagaimana cara membuat SKCK?",
		Keywords: []string{"skck"}, Answer: "Datang ke Polres membawa KTP-el dan KK."},
	{ID: "ktp", Category: "Kependudukan", Question: "Bagaimana cara membuat KTP-el?",
		Keywords: []string{"ktp"}, Answer: "Datang ke Disdukcapil membawa KK."},
	{ID: "pbb", Category: "Pajak Daerah", Question: "Bagaimana cara membayar PBB?",
		Answer: "Bayar di bank atau aplikasi pajak daerah."},
}

func TestRunGolden(t *testing.T) {
	ix, err := knowledge.NewIndex(goldenFAQs)
	if err != nil {
		t.Fatal(err)
	}
	cases := []knowledge.Case{
		{Q: "cara membuat skck", Expect: "skck"},          // 1 in scope: top-1, answered
		{Q: "cara membayar pbb", Expect: "pbb"},           // 2 in scope: top-1, answered
		{Q: "harga cabai rawit hari ini", Expect: "none"}, // 3 out of scope: caught
		{Q: "cara membuat skck", Expect: "ktp"},           // 4 in scope: hit@3 only, wrong answer
		{Q: "cara membuat skck", Expect: "none"},          // 5 out of scope answered: wrong
		{Q: "cara membuat skck", Expect: "ktp-baru"},      // 6 unknown id: miss, wrong
		{Q: "cara membuat skck", Expect: "ktp-baru"},      // 7 the same unknown id, listed once
		{Q: "harga cabai rawit hari ini", Expect: "skck"}, // 8 in scope, not found, not answered
	}
	r, err := knowledge.RunGolden(context.Background(), ix, cases)
	if err != nil {
		t.Fatal(err)
	}
	got := [...]int{r.Cases, r.InScope, r.OutOfScope, r.Top1, r.Hit3, r.Answered, r.Wrong, r.Caught}
	want := [...]int{8, 6, 2, 2, 3, 6, 4, 1}
	if got != want {
		t.Errorf("cases, in, out, top1, hit3, answered, wrong, caught = %v, want %v", got, want)
	}
	rates := []struct {
		name      string
		got, want float64
	}{
		{"top-1", r.Top1Rate(), 2.0 / 6},
		{"hit@3", r.Hit3Rate(), 3.0 / 6},
		{"wrong", r.WrongRate(), 4.0 / 6},
		{"caught", r.CaughtRate(), 1.0 / 2},
	}
	for _, rt := range rates {
		if math.Abs(rt.got-rt.want) > 1e-9 {
			t.Errorf("%s rate = %v, want %v", rt.name, rt.got, rt.want)
		}
	}
	if !slices.Equal(r.UnknownExpect, []string{"ktp-baru"}) {
		t.Errorf("unknown expected ids = %q, want [ktp-baru]", r.UnknownExpect)
	}
	// Misses: cases 4, 5, 6, 7 and 8, in order, each once.
	var missed []string
	for _, m := range r.Misses {
		missed = append(missed, m.Q+" → "+m.Expect)
	}
	wantMissed := []string{
		"cara membuat skck → ktp", "cara membuat skck → none", "cara membuat skck → ktp-baru",
		"cara membuat skck → ktp-baru", "harga cabai rawit hari ini → skck",
	}
	if !slices.Equal(missed, wantMissed) {
		t.Fatalf("misses = %q, want %q", missed, wantMissed)
	}
	if m := r.Misses[0]; m.Decision != knowledge.DecisionAnswer || len(m.Got) < 2 || m.Got[0].ID != "skck" {
		t.Errorf("miss of case 4 = %+v, want answered with skck first", m)
	}
	if m := r.Misses[4]; m.Decision != knowledge.DecisionEscalate || m.Got == nil {
		t.Errorf("miss of case 8 = %+v, want escalate with an empty (non-nil) hit list", m)
	}
}

func TestRunGoldenEmptyAndCancelled(t *testing.T) {
	ix, err := knowledge.NewIndex(goldenFAQs)
	if err != nil {
		t.Fatal(err)
	}
	r, err := knowledge.RunGolden(context.Background(), ix, nil)
	if err != nil {
		t.Fatal(err)
	}
	// No denominators: every rate is 0, never NaN.
	for _, v := range []float64{r.Top1Rate(), r.Hit3Rate(), r.WrongRate(), r.CaughtRate()} {
		if v != 0 {
			t.Errorf("rate %v on no cases, want 0", v)
		}
	}
	if r.Misses == nil || r.UnknownExpect == nil {
		t.Error("empty lists should be empty, not nil (they are printed as JSON)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := knowledge.RunGolden(ctx, ix, []knowledge.Case{{Q: "cara membuat skck", Expect: "skck"}}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: err = %v, want context.Canceled", err)
	}
}
