package knowledge

import (
	"slices"
	"strings"
	"testing"
)

// stemCases are words with their expected stems, grouped by the rule they exercise.
var stemCases = []struct{ rule, word, want string }{
	// Inflectional particles and possessives.
	{"particle -lah", "bukulah", "buku"},
	{"particle -kah", "apakah", "apa"},
	{"particle -kah", "kapankah", "kapan"},
	{"particle -pun", "siapapun", "siapa"},
	{"particle -tah kept", "membantah", "bantah"},
	{"possessive -nya", "bukunya", "buku"},
	{"possessive -nya", "sekolahnya", "sekolah"},
	{"possessive -ku", "bukuku", "buku"},
	{"possessive -mu", "rumahmu", "rumah"},
	{"possessive and particle", "bukunyalah", "buku"},
	{"possessive after suffix", "kematiannya", "mati"},
	{"possessive after suffix", "layanannya", "layan"},
	// Derivational suffixes.
	{"suffix -kan", "tanyakan", "tanya"},
	{"suffix -kan", "bacakan", "baca"},
	{"suffix -kan", "sampaikan", "sampai"},
	{"suffix -an", "tulisan", "tulis"},
	{"suffix -an", "tagihan", "tagih"},
	{"suffix -an", "urusan", "urus"},
	{"suffix -an", "antrean", "antre"},
	{"suffix -an after k", "masakan", "masak"},
	{"suffix -an after k", "tarikan", "tarik"},
	{"suffix -i", "lunasi", "lunas"},
	{"suffix -i", "ikuti", "ikut"},
	// Plain prefixes di-, ke-, se-.
	{"prefix di-", "dibuat", "buat"},
	{"prefix di-", "diurus", "urus"},
	{"prefix di-", "dicetak", "cetak"},
	{"prefix ke-", "ketemu", "temu"},
	{"prefix se-", "sebulan", "bulan"},
	{"prefix se-", "semalam", "malam"},
	{"confix ke-an", "kehilangan", "hilang"},
	{"confix ke-an", "kesehatan", "sehat"},
	{"confix ke-an", "kelahiran", "lahir"},
	{"confix ke-an after k", "kerusakan", "rusak"},
	{"confix se-nya", "sebaiknya", "baik"},
	// be-, ber-, bel-.
	{"ber-C", "berhenti", "henti"},
	{"ber-C", "berobat", "obat"},
	{"ber-V", "berusaha", "usaha"},
	{"be-rV", "berisiko", "risiko"},
	{"beC1erC2", "bekerja", "kerja"},
	{"beC1erC2", "beternak", "ternak"},
	{"bel-ajar", "belajar", "ajar"},
	{"ber-an precedence", "berjalan", "jalan"},
	{"ber-lah precedence", "bersekolah", "sekolah"},
	// te-, ter-.
	{"ter-C", "terbuka", "buka"},
	{"ter-C", "tercatat", "catat"},
	{"ter-V", "teratur", "atur"},
	{"te-rV", "terendah", "rendah"},
	{"ter- with -an", "terjemahan", "terjemah"},
	// me- and its nasal forms.
	{"me-lrwy", "melihat", "lihat"},
	{"me-lrwy", "merekam", "rekam"},
	{"me-lrwy", "mewarnai", "warna"},
	{"mem-b", "membayar", "bayar"},
	{"mem-b", "membuat", "buat"},
	{"mem+V → m", "memakan", "makan"},
	{"mem+V → m", "meminta", "minta"},
	{"mem+V → p", "memakai", "pakai"},
	{"mem+V → p", "memukul", "pukul"},
	{"mem+V → p", "memeriksa", "periksa"},
	{"memp+V", "mempunyai", "punya"},
	{"memp loan", "memproses", "proses"},
	{"mempe", "memperpanjang", "panjang"},
	{"men-cdjsz", "mencari", "cari"},
	{"men-cdjsz", "mendaftar", "daftar"},
	{"men-cdjsz", "menjual", "jual"},
	{"mentC loan", "mentransfer", "transfer"},
	{"men+V → n", "menikah", "nikah"},
	{"men+V → n", "menilai", "nilai"},
	{"men+V → t", "menulis", "tulis"},
	{"men+V → t", "menunggu", "tunggu"},
	{"men+V → t", "meninggal", "tinggal"},
	{"meng-ghkq", "menggunakan", "guna"},
	{"meng-ghkq", "mengharap", "harap"},
	{"meng-ghkq", "mengkaji", "kaji"},
	{"meng+V → V", "mengurus", "urus"},
	{"meng+V → V", "mengambil", "ambil"},
	{"meng+V → V", "mengubah", "ubah"},
	{"meng+V → k", "mengirim", "kirim"},
	{"meng+V → k", "mengeluarkan", "keluar"},
	{"meng+V → k", "mengetik", "ketik"},
	{"menge-", "mengecat", "cat"},
	{"menge-", "mengecek", "cek"},
	{"menge-", "mengetahui", "tahu"},
	{"meny+V → s", "menyimpan", "simpan"},
	{"meny+V → s", "menyapu", "sapu"},
	{"meny+V → s", "menyelesaikan", "selesai"},
	{"me-ny", "menyanyi", "nyanyi"},
	{"me-ny", "menyatakan", "nyata"},
	{"me-i precedence", "memiliki", "milik"},
	{"me-kan", "membacakan", "baca"},
	// pe- and its forms.
	{"pem-b", "pembayaran", "bayar"},
	{"pem-b", "pembuatan", "buat"},
	{"pem+V → p", "pemakai", "pakai"},
	{"pem+V → p", "pemindahan", "pindah"},
	{"pem+V → m", "pemilik", "milik"},
	{"pen-cdjz", "pendaftaran", "daftar"},
	{"pen-cdjz", "pencatatan", "catat"},
	{"pen+V → t", "penulis", "tulis"},
	{"pen+V → t", "penerimaan", "terima"},
	{"peng-ghkq", "penggantian", "ganti"},
	{"peng-ghkq", "penghasilan", "hasil"},
	{"peng+V → V", "pengambilan", "ambil"},
	{"peng+V → V", "pengurusan", "urus"},
	{"peng+V → k", "pengiriman", "kirim"},
	{"penge-", "pengecekan", "cek"},
	{"penge-", "pengesahan", "sah"},
	{"peny+V → s", "penyimpanan", "simpan"},
	{"peny+V → s", "penyakit", "sakit"},
	{"peny+V → sy", "penyair", "syair"},
	{"per-C", "perkawinan", "kawin"},
	{"per-C", "perpanjangan", "panjang"},
	{"per-V", "perubahan", "ubah"},
	{"pe-rV", "perekaman", "rekam"},
	{"pel-ajar", "pelajaran", "ajar"},
	{"pe-lV", "pelaporan", "lapor"},
	{"pe-C", "petani", "tani"},
	{"pe-C", "pekerjaan", "kerja"},
	{"pe-wy", "pewarna", "warna"},
	{"pe- with -an after k", "pemasukan", "masuk"},
	{"pe- with -an after k", "penarikan", "tarik"},
	// Several prefixes.
	{"di-per-", "diperpanjang", "panjang"},
	{"di-per-kan", "dipertanyakan", "tanya"},
	{"ke-ber-an", "keberangkatan", "berangkat"},
	{"ke-ter-an", "keterlambatan", "lambat"},
	{"ke-pe-an", "kepemilikan", "milik"},
	{"ke-pen-an", "kependudukan", "duduk"},
	{"peny-an with se- root", "penyesuaian", "sesuai"},
	{"mem-ber-kan", "memberitahukan", "beritahu"},
	// Disallowed prefix–suffix pairs.
	{"no di-an", "dimakan", "makan"},
	{"no di-an", "ditahan", "tahan"},
	{"no te-an", "tertahan", "tahan"},
	{"no me-an", "memakan", "makan"},
	{"no be-i", "berhenti", "henti"},
	// Informal prefixes and suffix.
	{"informal ng-", "ngurus", "urus"},
	{"informal ng- -in", "ngurusin", "urus"},
	{"informal ng-k", "ngirim", "kirim"},
	{"informal nge-", "ngecek", "cek"},
	{"informal ny-c", "nyari", "cari"},
	{"informal ny-c", "nyetak", "cetak"},
	{"informal ny-s", "nyewa", "sewa"},
	{"informal n-t", "nanya", "tanya"},
	{"informal n-t -in", "nungguin", "tunggu"},
	{"informal -in", "bayarin", "bayar"},
	{"informal di- -in", "dibayarin", "bayar"},
	{"informal -in", "daftarin", "daftar"},
	// Reduplication, -wan, aliases and irregular forms.
	{"reduplication", "anak-anak", "anak"},
	{"reduplication", "buku-bukunya", "buku"},
	{"reduplication", "membuang-buang", "buang"},
	{"not reduplication", "sayur-mayur", "sayur-mayur"},
	{"-wan", "wisatawan", "wisata"},
	{"-wati", "wartawati", "warta"},
	{"alias", "antrian", "antre"},
	{"alias", "ijin", "izin"},
	{"alias", "nomer", "nomor"},
	{"irregular", "ketahui", "tahu"},
	{"irregular", "diketahui", "tahu"},
	{"irregular", "mengemas", "kemas"},
	{"irregular", "merubah", "ubah"},
	// Fallback for words not in the dictionary.
	{"fallback", "dikoordinir", "koordinir"},
	{"fallback keeps loans", "distribusikan", "distribusi"},
	{"fallback keeps -an on loans", "relevansinya", "relevansi"},
	{"fallback short", "dipo", "dipo"},
}

func TestStem(t *testing.T) {
	for _, c := range stemCases {
		t.Run(c.rule+"/"+c.word, func(t *testing.T) {
			if got := stem(c.word); got != c.want {
				t.Errorf("stem(%q) = %q, want %q", c.word, got, c.want)
			}
		})
	}
}

// stemKeptWords are roots that look affixed and must come back whole.
var stemKeptWords = []string{
	"pajak", "sekolah", "kantor", "berita", "pergi", "perlu", "selesai", "terima",
	"tempat", "belum", "makan", "jalan", "bulan", "tahun", "percaya", "periksa", "pesan",
	"peta", "sebab", "semua", "sedang", "segera", "teman", "tentang", "beri", "besar",
	"benar", "baru", "minum", "minta", "masuk", "mana", "kami", "kamu", "dengan", "lahan",
	"ikan", "akan", "kanan", "tulis", "sehat", "sakit", "selalu", "pikir", "rumah", "usia",
	"kelas", "kejam", "ketua", "beruang", "berkas", "bekas", "seragam", "sekarang",
	"kemudian", "kalian", "pelaku", "peserta", "pegawai", "pemerintah", "pengacara",
	"perang", "perempuan", "terapi", "menteri", "mereka", "memang", "dinas", "digital",
	"disiplin", "kurus", "kirim", "pertama", "pernah", "kepala", "keluarga", "keluar",
	"dokumen", "sertifikat", "paspor", "aplikasi", "registrasi", "verifikasi", "formulir",
	"fotokopi", "legalisir", "elektronik", "administrasi", "teknologi", "ktp", "sim",
	"skck", "stnk", "bpkb", "npwp", "bpjs", "kk", "kia", "nik", "disdukcapil", "yayasan",
}

func TestStemKeepsRoots(t *testing.T) {
	for _, w := range stemKeptWords {
		if got := stem(w); got != w {
			t.Errorf("stem(%q) = %q, want it kept", w, got)
		}
	}
}

// stemFamilies are forms of one word: each must get the family's first word as stem.
var stemFamilies = [][]string{
	{"buat", "membuat", "pembuatan", "dibuat", "buatkan", "pembuat", "buatan"},
	{"urus", "mengurus", "pengurusan", "diurus", "urusan", "ngurus", "ngurusin", "urusin"},
	{"panjang", "perpanjang", "perpanjangan", "memperpanjang", "diperpanjang"},
	{"daftar", "pendaftaran", "mendaftar", "didaftarkan", "daftarin", "terdaftar", "mendaftarkan"},
	{"hilang", "kehilangan", "menghilangkan", "dihilangkan"},
	{"bayar", "pembayaran", "membayar", "dibayar", "bayarin", "bayaran", "berbayar"},
	{"catat", "pencatatan", "mencatat", "tercatat", "dicatat", "catatan"},
	{"rekam", "perekaman", "merekam", "direkam", "rekaman"},
	{"lahir", "kelahiran", "melahirkan", "dilahirkan"},
	{"mati", "kematian"},
	{"kawin", "perkawinan", "mengawinkan"},
	{"pindah", "kepindahan", "pemindahan", "dipindah", "pindahan", "berpindah"},
	{"ganti", "penggantian", "mengganti", "diganti", "pengganti", "berganti"},
	{"ambil", "pengambilan", "mengambil", "diambil"},
	{"tanya", "tanyakan", "pertanyaan", "bertanya", "menanyakan", "ditanyakan", "nanya"},
	{"cetak", "mencetak", "dicetak", "pencetakan", "cetakan", "nyetak"},
	{"ubah", "perubahan", "mengubah", "diubah", "berubah"},
	{"aju", "ajukan", "mengajukan", "diajukan", "pengajuan"},
	{"kirim", "mengirim", "dikirim", "pengiriman", "kiriman", "ngirim"},
	{"lapor", "laporan", "melapor", "melaporkan", "dilaporkan", "pelapor", "pelaporan"},
	{"izin", "perizinan", "mengizinkan", "diizinkan", "ijin"},
	{"syarat", "persyaratan", "mensyaratkan", "syaratnya"},
	{"antre", "antrean", "antrian", "mengantre", "antri"},
	{"cek", "mengecek", "dicek", "pengecekan", "ngecek"},
	{"simpan", "menyimpan", "penyimpanan", "disimpan", "simpanan"},
	{"ajar", "belajar", "pelajaran", "mengajar", "pelajar", "mempelajari"},
	{"tinggal", "meninggal", "tertinggal", "ditinggal"},
	{"anak", "anak-anak", "anaknya"},
}

func TestStemFamilies(t *testing.T) {
	for _, f := range stemFamilies {
		for _, w := range f {
			if got := stem(w); got != f[0] {
				t.Errorf("stem(%q) = %q, want %q like the rest of its family", w, got, f[0])
			}
		}
	}
}

func TestStemNoCollision(t *testing.T) {
	pairs := [][2]string{
		{"bantu", "ban"}, {"pajak", "jak"}, {"kurus", "urus"}, {"kirim", "irim"},
		{"perang", "rang"}, {"kelas", "las"}, {"beruang", "uang"}, {"berkas", "kas"},
		{"kemudian", "kemudi"}, {"kalian", "kali"}, {"pelaku", "berlaku"},
		{"seragam", "ragam"}, {"sekarang", "karang"}, {"ketua", "tua"}, {"terapi", "api"},
		{"pengacara", "acara"}, {"persalinan", "salinan"},
		{"pengemasan", "emas"}, {"menilai", "nila"}, {"memakai", "maka"}, {"ujian", "ujung"},
		{"kerusakan", "rusa"}, {"penarikan", "tari"}, {"membantah", "ban"}, {"perlahan", "lahan"},
	}
	for _, p := range pairs {
		if a, b := stem(p[0]), stem(p[1]); a == b {
			t.Errorf("stem(%q) = stem(%q) = %q, want different stems", p[0], p[1], a)
		}
	}
}

func TestStemNonLetters(t *testing.T) {
	for _, w := range []string{"", "17", "4x6", "ktp2", "KTP", "e-ktp", "-", "a-", "jalan-", "rumah_sakit", "café", "x"} {
		if got := stem(w); got != w {
			t.Errorf("stem(%q) = %q, want it unchanged", w, got)
		}
	}
}

func TestStemDictionary(t *testing.T) {
	roots := rootWords()
	if len(roots) < 3000 {
		t.Errorf("root dictionary has %d words, want at least 3000", len(roots))
	}
	for w := range roots {
		if !stemLetters(w) {
			t.Errorf("root %q is not lower-case ASCII letters", w)
			continue
		}
		if got, want := stem(w), canonicalRoot(w); got != want {
			t.Errorf("root %q stems to %q, want %q", w, got, want)
		}
	}
	for variant, standard := range rootAliases {
		if !isRootWord(standard) || len(standard) > len(variant) || canonicalRoot(standard) != standard {
			t.Errorf("alias %q → %q: the standard form must be a root, no longer, not itself an alias", variant, standard)
		}
	}
	for form, root := range irregularStems {
		if !isRootWord(root) || len(root) >= len(form) || stem(form) != root {
			t.Errorf("irregular %q → %q: the root must be in the dictionary, shorter, and the stem", form, root)
		}
	}
}

// TestStemProperties stems affixed forms of dictionary roots, real or not, and checks
// what FuzzStem checks on random input.
func TestStemProperties(t *testing.T) {
	prefixes := []string{"", "di", "ke", "se", "ber", "ter", "me", "mem", "men", "meng", "meny",
		"menge", "pe", "pem", "pen", "peng", "peny", "per", "memper", "diper", "keber", "ng", "ny"}
	suffixes := []string{"", "kan", "an", "i", "nya", "lah", "in", "kannya", "ku", "pun"}
	roots := make([]string, 0, len(rootWords()))
	for r := range rootWords() {
		roots = append(roots, r)
	}
	slices.Sort(roots)
	for i := 0; i < len(roots); i += 5 {
		for _, p := range prefixes {
			for _, s := range suffixes {
				w := p + roots[i] + s
				got := stem(w)
				if len(got) > len(w) || got == "" || stem(got) != got || (len(got) < 3 && got != w) {
					t.Fatalf("stem(%q) = %q, stem of that %q", w, got, stem(got))
				}
			}
		}
	}
}

// FuzzStem checks that stem never panics, never lengthens a word, never empties one,
// and is idempotent.
func FuzzStem(f *testing.F) {
	for _, c := range stemCases {
		f.Add(c.word)
	}
	for _, w := range []string{"", "a", "mem", "menge", "pengeng", "nyny", "di-di", "ber-", "17"} {
		f.Add(w)
	}
	f.Fuzz(func(t *testing.T, w string) {
		s := stem(w)
		if len(s) > len(w) {
			t.Fatalf("stem(%q) = %q is longer than the word", w, s)
		}
		if w != "" && s == "" {
			t.Fatalf("stem(%q) is empty", w)
		}
		if again := stem(s); again != s {
			t.Fatalf("stem(%q) = %q but stem(%q) = %q", w, s, s, again)
		}
		if stemLetters(w) && !strings.Contains(w, "-") && len(s) < 3 && s != w {
			t.Fatalf("stem(%q) = %q is shorter than three letters", w, s)
		}
	})
}

// BenchmarkStem stems a mix of typical words: roots, affixed forms, unknown words.
func BenchmarkStem(b *testing.B) {
	words := []string{
		"cara", "membuat", "ktp", "yang", "hilang", "pendaftaran", "perpanjangan",
		"sim", "syaratnya", "apa", "saja", "pembayaran", "pajak", "kendaraan", "bermotor",
		"diperlukan", "surat", "keterangan", "kehilangan", "dari", "kepolisian",
		"mengurus", "akta", "kelahiran", "anak", "dikoordinir", "sukamaju", "ngurusin",
	}
	rootWords()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		stem(words[i%len(words)])
	}
}
