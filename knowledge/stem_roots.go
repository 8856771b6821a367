package knowledge

import (
	"strings"
	"sync"
)

// The stemmer's root dictionary. A word in it is a root: the stemmer returns it as it
// is and stops stripping when it reaches it. It is kept in several word lists
// (stem_roots*.go), each a string of words separated by white space.
//
// What belongs here: common Indonesian roots (verbs, nouns, adjectives), the
// vocabulary of public services, words that look affixed but are roots ("pajak",
// "kantor", "berita", "pergi", "selesai": these must be listed, or they would be
// stripped), loans and abbreviations common in public services ("aplikasi", "ktp").
// What does not: derived forms that should stem to their root ("layanan" → "layan",
// "pelajaran" → "ajar", "penduduk" → "duduk"), and short words that would catch
// stripped forms of other words ("las" would catch "kelas", so "kelas" is listed).

// rootWords is the root dictionary, built on first use.
var rootWords = sync.OnceValue(func() map[string]struct{} {
	lists := []string{
		rootsServices, rootsServicesMore, rootsVerbs, rootsVerbsMore,
		rootsNouns, rootsNounsMore, rootsAdjectives, rootsLookAffixed, rootsLoans,
		rootsExtra, rootsExtraMore, rootsExtraEveryday,
	}
	set := make(map[string]struct{}, 6000)
	for _, list := range lists {
		for _, w := range strings.Fields(list) {
			set[w] = struct{}{}
		}
	}
	for variant := range rootAliases {
		set[variant] = struct{}{}
	}
	return set
})

// isRootWord reports whether w is in the root dictionary.
func isRootWord(w string) bool {
	_, ok := rootWords()[w]
	return ok
}

// canonicalRoot returns the standard spelling of a root that has a common variant
// spelling ("ijin" → "izin"), or the root itself.
func canonicalRoot(w string) string {
	if c, ok := rootAliases[w]; ok {
		return c
	}
	return w
}

// rootAliases maps a variant or common misspelling of a root to its standard
// spelling, so that "antri", "antrian" and "antrean" share the stem "antre". Each
// variant is at least as long as its standard form (a stem is never longer than
// its word).
var rootAliases = map[string]string{
	"antri": "antre", "ijin": "izin", "nomer": "nomor", "resiko": "risiko",
	"jaman": "zaman", "praktek": "praktik", "apotik": "apotek", "kwitansi": "kuitansi",
	"sertipikat": "sertifikat", "hutang": "utang", "ekstrim": "ekstrem",
	"sekedar": "sekadar", "kwalitas": "kualitas", "hapal": "hafal", "umroh": "umrah",
	"akte": "akta", "himbau": "imbau", "propinsi": "provinsi", "nasehat": "nasihat",
	"fotocopy": "fotokopi", "serem": "seram", "ambulans": "ambulan", "pasport": "paspor",
	"passport": "paspor",
}

// irregularStems are words that the rules get wrong, with their roots.
var irregularStems = map[string]string{
	// ke-…-i is a forbidden pair, except in this one word.
	"ketahui": "tahu",
	// meng+V prefers a vowel-initial root, but "emas" (gold) is another word.
	"mengemas": "kemas", "pengemas": "kemas", "pengemasan": "kemas",
	"mengawal": "kawal", "pengawal": "kawal", "pengawalan": "kawal",
	"mengarang": "karang", "pengarang": "karang",
	// Suffix-only readings that reach the wrong root.
	"keretakan": "retak", "memangku": "pangku",
	// -an after an inserted n.
	"tatanan": "tata",
	// mem+V prefers an m- root, but here it is p-; "merubah" is a common misspelling.
	"memadukan": "padu", "merubah": "ubah",
}
