package knowledge

// The stemmer's prefix rules (the ECS disambiguation rules, with the sound-change
// recodings) and its fallback for words whose root is not in the dictionary.

// stemKind is the kind of a derivation prefix, whatever its sound-change form:
// kindMe covers me-, mem-, men-, meng-, meny- and menge-.
type stemKind uint8

// The prefix kinds.
const (
	kindDi stemKind = iota + 1
	kindKe
	kindSe
	kindBer      // be-, ber-, bel-
	kindTer      // te-, ter-
	kindMe       // me-, mem-, men-, meng-, meny-, menge-
	kindPe       // pe-, pem-, pen-, peng-, peny-, penge-, per-, pel-
	kindInformal // nge-, ng-, ny- ("ngurus", "nyari", "ngecek")
)

// outermost reports whether a prefix of this kind only ever comes first: nothing is
// put before di-, me- or the informal nasal prefixes.
func (k stemKind) outermost() bool {
	return k == kindDi || k == kindMe || k == kindInformal
}

// stemKinds is a set of prefix kinds.
type stemKinds uint16

// has reports whether k is in the set.
func (s stemKinds) has(k stemKind) bool { return s&(1<<k) != 0 }

// with returns the set with k added.
func (s stemKinds) with(k stemKind) stemKinds { return s | 1<<k }

// stemCandidate is one way of removing a prefix: what remains, the prefix's kind,
// and whether the fallback takes this way when no dictionary root is found (it takes
// only the usual reading of an ambiguous prefix: mem+V → p, men+V → t, meng+V → V,
// per+V → pe-rV, ber+V → ber-V).
type stemCandidate struct {
	rest     string
	kind     stemKind
	fallback bool
}

// stemVowel reports whether b is a vowel.
func stemVowel(b byte) bool {
	return b == 'a' || b == 'e' || b == 'i' || b == 'o' || b == 'u'
}

// stemIn reports whether b is one of the letters in set.
func stemIn(b byte, set string) bool {
	for i := 0; i < len(set); i++ {
		if set[i] == b {
			return true
		}
	}
	return false
}

// stemAdd appends a candidate if at least three letters remain.
func stemAdd(out []stemCandidate, rest string, k stemKind, fallback bool) []stemCandidate {
	if len(rest) < 3 {
		return out
	}
	return append(out, stemCandidate{rest, k, fallback})
}

// stemPrefixCandidates appends to out the ways of removing one prefix from w, in the
// disambiguation rules' order of preference; outer allows the informal prefixes,
// which only come first.
func stemPrefixCandidates(w string, outer bool, out []stemCandidate) []stemCandidate {
	if len(w) < 5 {
		return out
	}
	switch w[:2] {
	case "di":
		out = stemAdd(out, w[2:], kindDi, true)
	case "ke":
		out = stemAdd(out, w[2:], kindKe, true)
	case "se":
		out = stemAdd(out, w[2:], kindSe, true)
	case "be":
		out = stemBerTer(w, kindBer, out)
	case "te":
		out = stemBerTer(w, kindTer, out)
	case "me":
		out = stemMe(w, out)
	case "pe":
		out = stemPe(w, out)
	}
	if outer {
		out = stemInformalPrefix(w, out)
	}
	return out
}

// stemBerTer handles ber- and ter- (w starts with "be" or "te"):
// berV → ber-V | be-rV; berC → ber-C (C ≠ r); belajar → bel-ajar;
// beC1erC2 → be-C1erC2 (C1 ≠ r, l); and the same for ter-.
func stemBerTer(w string, k stemKind, out []stemCandidate) []stemCandidate {
	c := w[2]
	switch {
	case c == 'r' && stemVowel(w[3]):
		out = stemAdd(out, w[3:], k, true)
		out = stemAdd(out, w[2:], k, false)
	case c == 'r' && w[3] != 'r':
		out = stemAdd(out, w[3:], k, true)
	case k == kindBer && c == 'l' && len(w) >= 7 && w[3:7] == "ajar":
		out = stemAdd(out, w[3:], k, true)
	case !stemVowel(c) && c != 'r' && c != 'l' && len(w) >= 6 && w[3:5] == "er" && !stemVowel(w[5]):
		out = stemAdd(out, w[2:], k, false)
	}
	return out
}

// stemMe handles me- and its nasal forms (w starts with "me"):
// me{l,r,w,y}V → me-; mem{b,f,v,p} → mem-; memV → me-mV | me-pV;
// meng{g,h,k,q} → meng-; mengV → meng-V | meng-kV | menge- | me-ngV;
// menyV → meny-sV | me-nyV | meny-syV; men{c,d,j,s,z} → men-; mentC → men-tC (loans: mentransfer);
// menV → me-nV | me-tV.
func stemMe(w string, out []stemCandidate) []stemCandidate {
	c, d := w[2], w[3]
	switch {
	case stemIn(c, "lrwy") && stemVowel(d):
		out = stemAdd(out, w[2:], kindMe, true)
	case c == 'm' && stemIn(d, "bfvp"):
		out = stemAdd(out, w[3:], kindMe, true)
	case c == 'm' && stemVowel(d):
		out = stemAdd(out, w[2:], kindMe, false)
		out = stemAdd(out, "p"+w[3:], kindMe, true)
	case c == 'n' && d == 'g':
		out = stemNasalG(w, kindMe, true, out)
	case c == 'n' && d == 'y' && stemVowel(w[4]):
		out = stemAdd(out, "s"+w[4:], kindMe, true)
		out = stemAdd(out, w[2:], kindMe, false)
		out = stemAdd(out, "sy"+w[4:], kindMe, false)
	case c == 'n' && stemIn(d, "cdjsz"), c == 'n' && d == 't' && !stemVowel(w[4]):
		out = stemAdd(out, w[3:], kindMe, true)
	case c == 'n' && stemVowel(d):
		out = stemAdd(out, w[2:], kindMe, false)
		out = stemAdd(out, "t"+w[3:], kindMe, true)
	}
	return out
}

// stemNasalG handles meng- and peng- (w starts with "meng" or "peng"); withNg adds
// the me-ngV reading, which pe- has not.
func stemNasalG(w string, k stemKind, withNg bool, out []stemCandidate) []stemCandidate {
	e := w[4]
	switch {
	case stemIn(e, "ghkq"):
		out = stemAdd(out, w[4:], k, true)
	case stemIn(e, "lr"):
		// Irregular and loans: "penglihatan", "pengrajin".
		out = stemAdd(out, w[4:], k, false)
	case stemVowel(e):
		out = stemAdd(out, w[4:], k, true)
		out = stemAdd(out, "k"+w[4:], k, false)
		if e == 'e' {
			out = stemAdd(out, w[5:], k, false)
		}
		if withNg {
			out = stemAdd(out, w[2:], k, false)
		}
	}
	return out
}

// stemPe handles pe- and its forms (w starts with "pe"):
// pe{w,y}V → pe-; perV → per-V | pe-rV; perC → per- (C ≠ r); pem{b,f,v} → pem-;
// pemV → pe-mV | pe-pV; pemrV → pe-prV; peng… as meng…;
// penyV → peny-sV | pe-nyV | peny-syV ("penyair");
// pen{c,d,j,z} → pen-; penV → pe-nV | pe-tV; pelajar → pel-ajar; pelV → pe-lV;
// peC → pe-C (C ≠ r, w, y, l, m, n).
func stemPe(w string, out []stemCandidate) []stemCandidate {
	c, d := w[2], w[3]
	switch {
	case stemIn(c, "wy") && stemVowel(d):
		out = stemAdd(out, w[2:], kindPe, true)
	case c == 'r' && stemVowel(d):
		out = stemAdd(out, w[3:], kindPe, false)
		out = stemAdd(out, w[2:], kindPe, true)
	case c == 'r' && d != 'r':
		out = stemAdd(out, w[3:], kindPe, true)
	case c == 'm' && stemIn(d, "bfv"):
		out = stemAdd(out, w[3:], kindPe, true)
	case c == 'm' && stemVowel(d):
		out = stemAdd(out, w[2:], kindPe, false)
		out = stemAdd(out, "p"+w[3:], kindPe, true)
	case c == 'm' && d == 'r' && stemVowel(w[4]):
		out = stemAdd(out, "p"+w[3:], kindPe, true)
	case c == 'n' && d == 'g':
		out = stemNasalG(w, kindPe, false, out)
	case c == 'n' && d == 'y' && stemVowel(w[4]):
		out = stemAdd(out, "s"+w[4:], kindPe, true)
		out = stemAdd(out, w[2:], kindPe, false)
		out = stemAdd(out, "sy"+w[4:], kindPe, false)
	case c == 'n' && stemIn(d, "cdjz"):
		out = stemAdd(out, w[3:], kindPe, true)
	case c == 'n' && stemVowel(d):
		out = stemAdd(out, w[2:], kindPe, false)
		out = stemAdd(out, "t"+w[3:], kindPe, true)
	case c == 'l' && len(w) >= 7 && w[3:7] == "ajar":
		out = stemAdd(out, w[3:], kindPe, true)
	case c == 'l' && stemVowel(d):
		out = stemAdd(out, w[2:], kindPe, true)
	case !stemVowel(c) && !stemIn(c, "rwylmn"):
		out = stemAdd(out, w[2:], kindPe, true)
	}
	return out
}

// stemInformalPrefix handles the colloquial nasal prefixes, which the dictionary
// must confirm: ngV → V | kV ("ngurus", "ngirim"); ngeC → C ("ngecek",
// "ngedaftar"); nyV → cV | sV ("nyari", "nyewa"); nV → tV ("nunggak", "nanya").
func stemInformalPrefix(w string, out []stemCandidate) []stemCandidate {
	if w[0] == 'n' && stemVowel(w[1]) {
		return stemAdd(out, "t"+w[1:], kindInformal, false)
	}
	switch w[:2] {
	case "ng":
		if stemVowel(w[2]) {
			out = stemAdd(out, w[2:], kindInformal, false)
			out = stemAdd(out, "k"+w[2:], kindInformal, false)
		}
		if w[2] == 'e' && !stemVowel(w[3]) {
			out = stemAdd(out, w[3:], kindInformal, false)
		}
	case "ny":
		if stemVowel(w[2]) {
			out = stemAdd(out, "c"+w[2:], kindInformal, false)
			out = stemAdd(out, "s"+w[2:], kindInformal, false)
		}
	}
	return out
}

// stemFallback stems a word whose root is not in the dictionary, removing only what
// is unambiguous: particles and possessives, then -kan or -an, then up to three
// prefixes in their usual reading. Each removal must leave at least two syllables
// and three letters; a removed suffix must leave a plausible Indonesian word end
// (stemPlausibleEnd: "relevan" is kept), and a removed prefix a plausible word start
// (a vowel, or a consonant then a vowel: "distribusi" is kept). -i is never removed
// here: too many loans end in it ("validasi", "teknologi").
func stemFallback(w string) string {
	x := stemFallbackTrim(w, "lah", "kah", "tah", "pun")
	x = stemFallbackTrim(x, "ku", "mu", "nya")
	if y := stemFallbackTrim(x, "kan", "an"); stemPlausibleEnd(y) {
		x = y
	}
	var used stemKinds
	var buf [6]stemCandidate
	for depth := 0; depth < 3; depth++ {
		next := ""
		for _, c := range stemPrefixCandidates(x, false, buf[:0]) {
			if !c.fallback || used.has(c.kind) || (depth > 0 && c.kind.outermost()) {
				continue
			}
			if stemLongEnough(c.rest) && stemPlausibleStart(c.rest) {
				next, used = c.rest, used.with(c.kind)
			}
			break
		}
		if next == "" {
			break
		}
		x = next
	}
	return x
}

// stemFallbackTrim removes the first of the suffixes that w ends with if what
// remains is long enough (stemLongEnough).
func stemFallbackTrim(w string, suffixes ...string) string {
	for _, s := range suffixes {
		if len(w) > len(s) && w[len(w)-len(s):] == s {
			if base := w[:len(w)-len(s)]; stemLongEnough(base) {
				return base
			}
			return w
		}
	}
	return w
}

// stemLongEnough reports whether w has at least three letters and two syllables.
func stemLongEnough(w string) bool {
	return len(w) >= 3 && stemSyllables(w) >= 2
}

// stemSyllables counts w's syllables as its vowels, the diphthongs ai, au and oi
// counting once.
func stemSyllables(w string) int {
	n := 0
	for i := 0; i < len(w); i++ {
		if !stemVowel(w[i]) {
			continue
		}
		if i > 0 && (w[i] == 'i' && (w[i-1] == 'a' || w[i-1] == 'o') || w[i] == 'u' && w[i-1] == 'a') {
			continue
		}
		n++
	}
	return n
}

// stemPlausibleEnd reports whether w ends as an Indonesian root can: with a vowel or
// one of k, t, p, s, h, n, m, l, r, d, b, or ng. It keeps "-an" on loans such as
// "relevan", "elegan", "wisatawan".
func stemPlausibleEnd(w string) bool {
	last := w[len(w)-1]
	if stemVowel(last) || stemIn(last, "ktpshnmlrdb") {
		return true
	}
	return last == 'g' && len(w) > 1 && w[len(w)-2] == 'n'
}

// stemPlausibleStart reports whether w starts as an Indonesian root does: with a
// vowel, a consonant and a vowel, or one of the digraphs ng, ny, sy, kh.
func stemPlausibleStart(w string) bool {
	if len(w) < 2 {
		return false
	}
	if stemVowel(w[0]) || stemVowel(w[1]) {
		return true
	}
	switch w[:2] {
	case "ng", "ny", "sy", "kh":
		return true
	}
	return false
}
