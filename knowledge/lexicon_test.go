package knowledge

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestLookupSlang(t *testing.T) {
	tests := []struct {
		tok  string
		want string // words joined by spaces; "-" drop; "?" not slang
	}{
		// chat abbreviations
		{"gmn", "bagaimana"}, {"gimana", "bagaimana"}, {"bgmn", "bagaimana"},
		{"gk", "tidak"}, {"gak", "tidak"}, {"nggak", "tidak"}, {"tdk", "tidak"},
		{"sy", "saya"}, {"gue", "saya"}, {"udh", "sudah"}, {"blm", "belum"},
		{"bs", "bisa"}, {"dmn", "dimana"}, {"yg", "yang"}, {"utk", "untuk"},
		{"dgn", "dengan"}, {"krn", "karena"}, {"brp", "berapa"}, {"knp", "mengapa"},
		{"kpn", "kapan"}, {"sblm", "sebelum"}, {"stlh", "setelah"}, {"hrs", "harus"},
		{"lg", "lagi"}, {"jd", "jadi"}, {"tp", "tetapi"}, {"aja", "saja"},
		{"bkn", "bukan"}, {"org", "orang"}, {"thn", "tahun"}, {"bln", "bulan"},
		{"tgl", "tanggal"}, {"jln", "jalan"}, {"nomer", "nomor"}, {"no", "nomor"},
		{"kec", "kecamatan"}, {"kab", "kabupaten"}, {"skrg", "sekarang"},
		{"gpp", "tidak apa"}, {"rb", "ribu"},
		// fillers are dropped
		{"min", "-"}, {"kak", "-"}, {"gan", "-"}, {"dong", "-"}, {"sih", "-"},
		{"ya", "-"}, {"makasih", "-"}, {"halo", "-"}, {"nya", "-"},
		{"wkwk", "-"}, {"wkwkwk", "-"}, {"hehe", "-"}, {"hahaha", "-"},
		// colloquial
		{"bikin", "membuat"}, {"dibikin", "dibuat"}, {"ngurus", "mengurus"},
		{"ngurusnya", "mengurus"}, {"ilang", "hilang"}, {"keilangan", "kehilangan"},
		{"nyari", "mencari"}, {"ngambil", "mengambil"}, {"bayarin", "bayar"},
		{"daftarin", "daftar"}, {"perpanjangin", "perpanjang"}, {"nanya", "bertanya"},
		{"dapet", "mendapat"}, {"pengen", "ingin"}, {"kelar", "selesai"},
		{"duit", "uang"}, {"ortu", "orang tua"}, {"bini", "istri"},
		{"kecopetan", "dicuri"}, {"wafat", "meninggal"}, {"telat", "terlambat"},
		{"antrian", "antrean"}, {"benerin", "perbaiki"}, {"aktifin", "aktifkan"},
		{"komplain", "pengaduan"}, {"nyetir", "mengemudi"},
		// public services
		{"kpt", "ktp"}, {"ektp", "ktp"}, {"akte", "akta"}, {"perpanjnag", "perpanjang"},
		{"perpanjng", "perpanjang"}, {"pasport", "paspor"}, {"sertipikat", "sertifikat"},
		{"pkm", "puskesmas"}, {"rs", "rumah sakit"}, {"capil", "disdukcapil"},
		{"dukcapil", "disdukcapil"}, {"fc", "fotokopi"}, {"plat", "pelat"},
		{"daring", "online"}, {"bumil", "ibu hamil"}, {"ppdb", "spmb"}, {"imb", "pbg"},
		{"kadaluarsa", "habis berlaku"}, {"wa", "whatsapp"}, {"sima", "sim a"},
		// Javanese
		{"piye", "bagaimana"}, {"pripun", "bagaimana"}, {"carane", "cara"},
		{"mbayar", "membayar"}, {"pajek", "pajak"}, {"montor", "motor"},
		{"kanggo", "untuk"}, {"sing", "yang"}, {"wis", "sudah"}, {"sampun", "sudah"},
		{"durung", "belum"}, {"ora", "tidak"}, {"mboten", "tidak"}, {"opo", "apa"},
		{"endi", "mana"}, {"nang", "di"}, {"digawe", "dibuat"}, {"iso", "bisa"},
		{"saben", "setiap"},
		// Sundanese
		{"kumaha", "bagaimana"}, {"abdi", "saya"}, {"teu", "tidak"},
		{"acan", "belum"}, {"naon", "apa"}, {"iraha", "kapan"},
		{"sabaraha", "berapa"}, {"carana", "cara"}, {"leungit", "hilang"},
		// Betawi, Minang
		{"kagak", "tidak"}, {"gimane", "bagaimana"}, {"ente", "anda"},
		{"baa", "bagaimana"}, {"indak", "tidak"}, {"ambo", "saya"},
		// English
		{"how", "bagaimana"}, {"lost", "hilang"}, {"replacement", "penggantian"},
		{"renew", "perpanjang"}, {"extend", "perpanjang"}, {"apply", "daftar"},
		{"requirements", "syarat"}, {"documents", "dokumen"}, {"fee", "biaya"},
		{"tax", "pajak"}, {"vehicle", "kendaraan"}, {"birth", "kelahiran"},
		{"certificate", "akta"}, {"passport", "paspor"}, {"driving", "sim mengemudi"},
		{"license", "izin"}, {"police", "polisi"}, {"where", "dimana"},
		{"newborn", "bayi baru lahir"}, {"the", "-"},
		// not slang: standard words, acronyms, numbers, ambiguous words
		{"ktp", "?"}, {"kk", "?"}, {"sim", "?"}, {"sama", "?"}, {"buat", "?"},
		{"mau", "?"}, {"lagi", "?"}, {"pas", "?"}, {"mati", "?"}, {"a", "?"},
		{"17", "?"}, {"2", "?"}, {"haha2", "?"}, {"hah", "?"},
	}
	for _, tt := range tests {
		words, ok := lookupSlang(tt.tok)
		got := strings.Join(words, " ")
		switch {
		case !ok:
			got = "?"
		case words == nil:
			got = "-"
		}
		if got != tt.want {
			t.Errorf("lookupSlang(%q) = %q, want %q", tt.tok, got, tt.want)
		}
	}
}

// TestSlangSentences runs whole chat messages through the lexicon the way the analysis
// chain does (after lower-casing and splitting into words).
func TestSlangSentences(t *testing.T) {
	tests := []struct{ in, want string }{
		{"gmn bikin kk, ank sy blm msk", "bagaimana membuat kk anak saya belum masuk"},
		{"perpanjnag sim", "perpanjang sim"},
		{"KTP SAYA HILANG GIMANA NGURUSNYA", "ktp saya hilang bagaimana mengurus"},
		{"piye carane mbayar pajek montor", "bagaimana cara membayar pajak motor"},
		{"kpt ku ilang pas mudik, hrs lapor polisi dulu ga sblm ke capil?",
			"ktp saya hilang pas mudik harus lapor polisi dulu tidak sebelum ke disdukcapil"},
		{"I lost my KTP, how can I get a replacement?",
			"i hilang saya ktp bagaimana bisa i mendapatkan a penggantian"},
		{"halo min, akte lahir anak gmn ya kak wkwk", "akta lahir anak bagaimana"},
		{"kumaha carana ngurus pindah ka Bandung", "bagaimana cara mengurus pindah ke bandung"},
	}
	for _, tt := range tests {
		var out []string
		for _, tok := range strings.FieldsFunc(strings.ToLower(tt.in), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}) {
			if words, ok := lookupSlang(tok); ok {
				out = append(out, words...)
			} else {
				out = append(out, tok)
			}
		}
		if got := strings.Join(out, " "); got != tt.want {
			t.Errorf("%q\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

var (
	slangKeyRE   = regexp.MustCompile(`^[a-z0-9]+$`)
	slangValueRE = regexp.MustCompile(`^([a-z]+( [a-z]+)*)?$`)
)

// TestSlangLexiconInvariants checks the rules stated in lexicon.go over the whole map.
func TestSlangLexiconInvariants(t *testing.T) {
	if n := len(slangLexicon); n < 500 {
		t.Errorf("slangLexicon has %d entries, want at least 500", n)
	}
	owner := map[string]int{}
	total := 0
	for i, part := range lexiconParts() {
		total += len(part)
		for k := range part {
			if j, dup := owner[k]; dup {
				t.Errorf("key %q is in lexicon parts %d and %d", k, j, i)
			}
			owner[k] = i
		}
	}
	if total != len(slangLexicon) {
		t.Errorf("parts hold %d entries, slangLexicon %d", total, len(slangLexicon))
	}
	for k, v := range slangLexicon {
		if !slangKeyRE.MatchString(k) || strings.Trim(k, "0123456789") == "" {
			t.Errorf("key %q: want a lower-case ASCII word, not a number", k)
		}
		if collapseRuns(k, 3, 2) != k {
			t.Errorf("key %q has a letter repeated three times: the chain collapses it first", k)
		}
		if !slangValueRE.MatchString(v) {
			t.Errorf("%q → %q: want lower-case words separated by single spaces, or \"\"", k, v)
		}
		for _, w := range strings.Fields(v) {
			if w == k {
				t.Errorf("%q → %q maps a word to itself", k, v)
			} else if v2, ok := slangLexicon[w]; ok {
				t.Errorf("chain: %q → %q, but %q → %q", k, v, w, v2)
			}
		}
		if isLaughter(k) {
			t.Errorf("key %q is laughter, which lookupSlang drops anyway", k)
		}
	}
}

// slangProtected are standard Indonesian words (or acronyms) citizens also use loosely;
// mapping them would bend the knowledge base's own text, so they must not be keys.
var slangProtected = []string{
	"sama", "buat", "mau", "lagi", "kali", "pas", "mati", "balik", "kaya", "siap",
	"admin", "kk", "bisa", "kapan", "dimana", "apa", "ada", "baru", "lama", "jadi",
	"dulu", "masuk", "keluar", "ganti", "bayar", "daftar", "cek", "urus", "hilang",
	"tahu", "kasih", "anak", "orang", "rumah", "jalan", "hari", "bulan", "tahun",
	"minggu", "nomor", "surat", "kartu", "akta", "ktp", "sim", "stnk", "bpkb", "npwp",
	"skck", "bpjs", "kis", "kia", "nib", "pbb", "kawin", "nikah", "cerai", "lahir",
	"meninggal", "pindah", "umur", "usia", "sehat", "sakit", "kantor", "polisi",
	"online", "status", "data", "email", "website", "aplikasi", "bank", "visa", "biaya",
	"gratis", "denda", "pajak", "motor", "mobil", "kendaraan", "sekolah", "bantuan",
	"sampah", "pohon", "lampu", "parkir", "alamat", "lokasi", "jam", "buka", "tutup",
	"terima", "tanya", "lapor", "cari", "ambil", "rusak", "patah", "retak", "habis",
	"berlaku", "mesin", "budak", "pagi", "siang", "sore", "malam", "selamat", "oleh",
	"kita", "kamu", "dia", "mereka", "saya", "kami", "anda", "ini", "itu", "yang",
	"dan", "di", "ke", "dari", "untuk", "dengan", "tidak", "belum", "sudah", "harus",
	"dapat", "boleh", "perlu", "ingin", "pakai", "lewat", "mana", "siapa", "berapa",
	"bagaimana", "mengapa", "kenapa", "saja", "juga", "atau", "hanya", "cuma", "misi",
	"bos", "alun", "tu", "ra", "pai", "jo", "nu", "maneh", "mangga", "enjing", "lemah",
	"larang", "kan", "mobile", "pin", "top", "item", "kek", "pula", "sapa",
	"tante", "bapak", "ibu", "kakak", "kakek", "nenek", "wong", "isa", "ana", "urang",
	"i", "a", "b", "c", "d", "g", "k", "p", "q", "u", "x", "y", "km", "mg", "tk",
}

func TestSlangLexiconLeavesStandardWords(t *testing.T) {
	for _, w := range slangProtected {
		if v, ok := slangLexicon[w]; ok {
			t.Errorf("standard or ambiguous word %q is a key (→ %q)", w, v)
		}
	}
}

func TestLookupSlangSharedSlice(t *testing.T) {
	words, _ := lookupSlang("ortu")
	if cap(words) != len(words) {
		t.Fatalf("lookupSlang returns a slice with spare capacity: appending would corrupt the lexicon")
	}
	_ = append(words, "x")
	if again, _ := lookupSlang("ortu"); !slices.Equal(again, []string{"orang", "tua"}) {
		t.Errorf("lookupSlang(ortu) = %q after an append", again)
	}
}

func TestIsLaughter(t *testing.T) {
	for _, w := range []string{"wkwk", "wkwkwk", "wkwkw", "kwkwkw", "awkwkwk", "haha",
		"hahaha", "ahahah", "hehe", "hihihi", "huhu", "hoho", "xixixi"} {
		if !isLaughter(w) {
			t.Errorf("isLaughter(%q) = false", w)
		}
	}
	for _, w := range []string{"wk", "hah", "haji", "hahb", "hehehk", "hotel", "heha",
		"", "a", "ahok", "hukum"} {
		if isLaughter(w) {
			t.Errorf("isLaughter(%q) = true", w)
		}
	}
}
