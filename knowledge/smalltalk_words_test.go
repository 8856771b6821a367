package knowledge

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestClassifySmalltalk(t *testing.T) {
	const (
		none     = smalltalkNone
		greeting = smalltalkGreeting
		thanks   = smalltalkThanks
		goodbye  = smalltalkGoodbye
		affirm   = smalltalkAffirm
		deny     = smalltalkDeny
		bot      = smalltalkBotQuestion
		abuse    = smalltalkAbuse
		mood     = smalltalkMood
		test     = smalltalkTest
	)
	tests := []struct {
		text string
		want smalltalkKind
	}{
		// greetings
		{"halo", greeting}, {"Hai", greeting}, {"hai min", greeting},
		{"Halo kak!!", greeting}, {"selamat pagi", greeting}, {"Selamat siang", greeting},
		{"selamat malam pak", greeting}, {"met pagi", greeting}, {"pagiii", greeting},
		{"sianggg", greeting}, {"malammm", greeting}, {"assalamualaikum", greeting},
		{"Assalamu'alaikum wr wb", greeting}, {"permisi", greeting}, {"punten", greeting},
		{"misi", greeting}, {"maaf min", greeting}, {"hei", greeting}, {"Apa kabar?", greeting},
		{"gimana kabarnya min", greeting}, {"sugeng enjing", greeting},
		{"hello there", greeting}, {"hi there", greeting}, {"good morning", greeting},
		{"goodevening", greeting}, {"hey dude", greeting}, {"moin", greeting},
		{"let's go", greeting}, {"heyyy", greeting}, {"min?", greeting},
		{"halo min mau tanya", greeting}, {"permisi, boleh tanya?", greeting},
		{"/start", greeting}, {"👋", greeting}, {"halo, how are you?", greeting},
		// thanks
		{"terima kasih", thanks}, {"terima kasih banyak min 🙏", thanks},
		{"makasih", thanks}, {"makasiiih ya kak", thanks}, {"mksh", thanks},
		{"thx", thanks}, {"thanks a lot", thanks}, {"thank you so much", thanks},
		{"matur nuwun", thanks}, {"hatur nuhun", thanks}, {"oke makasih", thanks},
		{"terima kasih banyak ya, sangat membantu", thanks}, {"🙏", thanks},
		{"ok thanks, bye", thanks},
		// goodbye
		{"bye", goodbye}, {"bye bye", goodbye}, {"bye2", goodbye}, {"see you", goodbye},
		{"see you later", goodbye}, {"cee you later", goodbye}, {"cu", goodbye},
		{"good by", goodbye}, {"good night", goodbye}, {"have a nice day", goodbye},
		{"Dadah", goodbye}, {"Sampai jumpa", goodbye}, {"Saya pergi dulu", goodbye},
		{"hati2 ya", goodbye},
		// affirm
		{"ok", affirm}, {"oke siap", affirm}, {"ok siap", affirm}, {"yes", affirm},
		{"y", affirm}, {"iyaa", affirm}, {"sip", affirm}, {"indeed", affirm},
		{"of course", affirm}, {"that sounds good", affirm}, {"correct", affirm},
		{"oh gitu", affirm}, {"nggih", affirm}, {"👍", affirm},
		// deny
		{"no", deny}, {"n", deny}, {"nope", deny}, {"never", deny},
		{"I don't think so", deny}, {"don't like that", deny}, {"no way", deny},
		{"not really", deny}, {"gak", deny}, {"ga jadi deh", deny},
		// bot questions
		{"kamu bot ya?", bot}, {"kamu robot ya?", bot}, {"are you a bot?", bot},
		{"are you a human?", bot}, {"am I talking to a bot?", bot},
		{"am I talking to a human?", bot}, {"r u a bot", bot}, {"ini manusia?", bot},
		{"lu bot bukan sih", bot},
		// abuse
		{"bodoh bgt botnya", abuse}, {"bot goblok jawabannya ngaco mulu", abuse},
		{"dasar bot bego", abuse}, {"gak jelas", abuse}, {"useless", abuse},
		// mood
		{"I am sad", mood}, {"sad", mood}, {"so saad", mood}, {"I'm so sad", mood},
		{"my day was horrible", mood}, {"I don't feel very well", mood},
		{"not very good", mood}, {"extremly sad", mood}, {"great", mood},
		{"perfect", mood}, {"so so perfect", mood}, {"I am feeling very good", mood},
		{"feeling like a king", mood}, {"I am going to save the world", mood},
		{"super stoked", mood}, {"lagi sedih nih", mood}, {"wkwkwk", mood},
		{"hehe", mood}, {"😭😭", mood}, {"🔥", mood},
		// tests
		{"p", test}, {"P", test}, {"tes", test}, {"test", test}, {"ping", test},
		{"tes tes 123", test}, {"halo tes", greeting},
		// not small talk: questions, statements, off-topic
		{"", none}, {"?", none}, {"...", none}, {"halo min mau tanya cara bikin ktp", none},
		{"terima kasih, KTP saya sudah jadi", none}, {"harga cabai hari ini berapa", none},
		{"resep rendang", none}, {"cuaca besok hujan ga", none},
		{"jadwal sholat hari ini", none}, {"siapa walikota harapan sekarang?", none},
		{"ktp ilang", none}, {"sim ilang", none}, {"selamat pagi, ktp saya hilang", none},
		{"Sudah selesai belum?", none}, {"Keluhan", none}, {"kk", none},
		{"sy mau ngobrol sama orang beneran aja, bukan mesin", none},
		{"ok, trs bayarnya dmn?", none}, {"tidak bisa login", none},
		{"I lost my KTP, how can I get a replacement?", none}, {"ambulance number please", none},
		{"golden period", none}, {"tes buta warna", none}, {"cek bansos", none},
		{"sampah gak diangkut udh 3 hari", none}, {"anak 2", none},
	}
	if len(tests) < 80 {
		t.Fatalf("only %d cases", len(tests))
	}
	for _, tt := range tests {
		if got := classifySmalltalk(tt.text); got != tt.want {
			t.Errorf("classifySmalltalk(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestSmalltalkTables checks the word lists are consistent with how they are matched.
func TestSmalltalkTables(t *testing.T) {
	seen := map[string]smalltalkKind{}
	for kind, phrases := range smalltalkPhrases {
		if kind == smalltalkNone {
			t.Errorf("phrases listed under smalltalkNone")
		}
		for _, p := range phrases {
			if k, dup := seen[p]; dup {
				t.Errorf("%q is listed as %v and %v", p, k, kind)
			}
			seen[p] = kind
			words := strings.Fields(p)
			if strings.Join(words, " ") != p {
				t.Errorf("%q: want words separated by single spaces", p)
			}
			for _, w := range words {
				if smalltalkSkip[w] {
					t.Errorf("%q holds %q, a word deleted before matching", p, w)
				}
				if c := smalltalkCanon(w); c != w {
					t.Errorf("%q holds %q, which reads as %q", p, w, c)
				}
				if toks, _, _ := smalltalkTokens(w); len(toks) != 1 || toks[0] != w {
					t.Errorf("%q holds %q, which tokenises as %q", p, w, toks)
				}
			}
			if len(words) == 1 && (smalltalkVocatives[p] || smalltalkParticles[p]) {
				t.Errorf("%q is both a %v word and a filler", p, kind)
			}
		}
	}
	for alias, canon := range smalltalkAliases {
		if smalltalkKnown[alias] {
			t.Errorf("alias %q is itself a known word", alias)
		}
		if !smalltalkKnown[canon] {
			t.Errorf("alias %q → %q, which no list uses", alias, canon)
		}
	}
	for w := range smalltalkVocatives {
		if smalltalkParticles[w] || smalltalkSkip[w] {
			t.Errorf("%q is in two filler sets", w)
		}
	}
	for w := range smalltalkParticles {
		if smalltalkSkip[w] {
			t.Errorf("%q is in two filler sets", w)
		}
	}
}

func TestSmalltalkKindString(t *testing.T) {
	if s := smalltalkBotQuestion.String(); s != "bot-question" {
		t.Errorf("String() = %q", s)
	}
	if s := smalltalkKind(99).String(); s != "unknown" {
		t.Errorf("String() = %q", s)
	}
}

// smalltalkCaseFile is the cases.yaml format; smalltalkKBFile the kb.yaml format.
type smalltalkCaseFile struct {
	Cases []struct {
		Q      string `yaml:"q"`
		Expect string `yaml:"expect"`
	} `yaml:"cases"`
}

type smalltalkKBFile struct {
	FAQs []struct {
		ID         string   `yaml:"id"`
		Question   string   `yaml:"question"`
		Alternates []string `yaml:"alternates"`
	} `yaml:"faqs"`
}

func readSmalltalkYAML(t *testing.T, path string, v any) bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return true
}

// checkSmalltalkCases: no in-scope question is small talk; with allNone, every
// out-of-scope case (greetings and chit-chat only) is.
func checkSmalltalkCases(t *testing.T, path string, allNone bool) {
	t.Helper()
	var f smalltalkCaseFile
	if !readSmalltalkYAML(t, path, &f) {
		t.Errorf("%s is missing", path)
		return
	}
	for _, c := range f.Cases {
		got := classifySmalltalk(c.Q)
		switch {
		case c.Expect != "none" && got != smalltalkNone:
			t.Errorf("%s: in-scope question %q (%s) classified as %v", path, c.Q, c.Expect, got)
		case c.Expect == "none" && allNone && got == smalltalkNone:
			t.Errorf("%s: chit-chat %q not classified as small talk", path, c.Q)
		}
	}
}

// checkSmalltalkKB: no FAQ question or alternate is small talk.
func checkSmalltalkKB(t *testing.T, path string) {
	t.Helper()
	var f smalltalkKBFile
	if !readSmalltalkYAML(t, path, &f) {
		return
	}
	for _, faq := range f.FAQs {
		for _, q := range append([]string{faq.Question}, faq.Alternates...) {
			if got := classifySmalltalk(q); got != smalltalkNone {
				t.Errorf("%s: %s question %q classified as %v", path, faq.ID, q, got)
			}
		}
	}
}

// TestSmalltalkEvalCases runs the classifier over the shared evaluation sets: ext's
// out-of-scope cases are all greetings and chit-chat; dev's mix chit-chat (listed in
// TestClassifySmalltalk) with off-topic questions, so only its in-scope cases are
// checked.
func TestSmalltalkEvalCases(t *testing.T) {
	dir := os.Getenv("LOKET_EVAL_DIR")
	if dir == "" {
		dir = "/work/shared/eval"
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no evaluation data at %s (set LOKET_EVAL_DIR)", dir)
	}
	checkSmalltalkCases(t, filepath.Join(dir, "ext", "cases.yaml"), true)
	checkSmalltalkCases(t, filepath.Join(dir, "dev", "cases.yaml"), false)
	checkSmalltalkKB(t, filepath.Join(dir, "ext", "kb.yaml"))
	checkSmalltalkKB(t, filepath.Join(dir, "dev", "kb.yaml"))
}

// TestSmalltalkSampleCases does the same over the bundled sample knowledge base.
func TestSmalltalkSampleCases(t *testing.T) {
	checkSmalltalkCases(t, filepath.Join("sample", "cases.yaml"), false)
	checkSmalltalkKB(t, filepath.Join("sample", "kb.yaml"))
}
