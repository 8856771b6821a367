package knowledge

import "strings"

// Loket's Indonesian stemmer: Enhanced Confix Stripping (the Nazief–Adriani family,
// as in the Sastrawi stemmer) over a root dictionary (stem_roots*.go), with a
// conservative fallback for words whose root is not in the dictionary.
//
// It runs at index time and at query time, so the aim is consistency: the forms of
// one word share a stem, and different words do not. Every affix removal that is
// kept either reaches a dictionary root or is one of the fallback's unambiguous
// removals; a word that only looks affixed ("pajak", "kantor", "berita") is in the
// dictionary and so is left whole.

// stem returns the root of an Indonesian word (lower-case ASCII letters; digits and
// mixed tokens are returned unchanged). A reduplicated word ("anak-anak",
// "membuang-buang") gets the stem its halves share. stem is idempotent:
// stem(stem(w)) == stem(w).
func stem(word string) string {
	if !stemLetters(word) {
		return stemReduplicated(word)
	}
	// Passes until a fixed point: a pass that changes a word shortens it or yields a
	// canonical root, which is stable, so len(word) passes always suffice (in
	// practice two do).
	for range len(word) {
		next := stemPass(word)
		if next == word {
			break
		}
		word = next
	}
	return word
}

// stemLetters reports whether w is non-empty and only lower-case ASCII letters.
func stemLetters(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// stemReduplicated stems a hyphenated reduplication ("anak-anak", "buku-bukunya",
// "membuang-buang") to the stem its two halves share; any other token comes back
// unchanged.
func stemReduplicated(w string) string {
	left, right, ok := strings.Cut(w, "-")
	if !ok || !stemLetters(left) || !stemLetters(right) {
		return w
	}
	if l := stem(left); l == stem(right) {
		return l
	}
	return w
}

// stemPass makes one stemming pass over a word of lower-case letters.
func stemPass(w string) string {
	if len(w) <= 3 {
		return w
	}
	if r, ok := stemKnown(w); ok {
		return r
	}
	if r, ok := stemByDictionary(w); ok {
		return canonicalRoot(r)
	}
	return stemFallback(w)
}

// stemSuffixed is a word with its derivational suffix removed: the suffix, "" for
// none, is kept for the rule that forbids some prefix–suffix pairs.
type stemSuffixed struct {
	word, suffix string
}

// stemByDictionary strips affixes in ECS order and returns the first dictionary root
// it reaches:
//
//  1. inflectional particles (-lah, -kah, -tah, -pun), then possessives (-ku, -mu,
//     -nya), checking the dictionary after each;
//  2. for a word that meets the precedence adjustment (be-…-lah, be-…-an,
//     me-/di-/pe-/ter-…-i), prefixes before the derivational suffix;
//  3. derivational suffixes (-kan, -an, -i), checking the dictionary;
//  4. up to three prefixes on what is left (stemPrefixes);
//  5. "loop last return": the suffixes put back one by one, prefixes again;
//  6. the informal suffix -in and the suffixes -wan, -wati, only where they lead to
//     a root.
func stemByDictionary(w string) (string, bool) {
	s1 := stemTrimSuffix(w, "lah", "kah", "tah", "pun")
	if r, ok := stemKnown(s1); ok && s1 != w {
		return r, true
	}
	if strings.HasSuffix(w, "tah") {
		// -tah is archaic: only taken when it leaves a root, never to strip prefixes
		// further ("membantah" is not mem-ban-tah).
		s1 = w
	}
	s2 := stemTrimSuffix(s1, "ku", "mu", "nya")
	if r, ok := stemKnown(s2); ok && s2 != s1 {
		return r, true
	}
	// The inflected forms, innermost first: the order in which ECS restores them.
	var inflected [3]string
	n := 0
	for _, s := range [3]string{s2, s1, w} {
		if n == 0 || inflected[n-1] != s {
			inflected[n] = s
			n++
		}
	}
	tried := false
	if stemPrecedence(w) || stemPrecedence(s2) {
		// As in ECS, the whole word first ("bermasalah" is ber-masalah, not
		// ber-masa-lah), then with its particle and possessive removed.
		tried = true
		for i := n - 1; i >= 0; i-- {
			if r, ok := stemPrefixes(inflected[i], "", 0, 0); ok {
				return r, true
			}
		}
	}
	var buf [3]stemSuffixed
	derived := stemDerivational(s2, buf[:0])
	for _, d := range derived {
		if isRootWord(d.word) {
			return d.word, true
		}
	}
	for _, d := range derived {
		if r, ok := stemPrefixes(d.word, d.suffix, 0, 0); ok {
			return r, true
		}
	}
	if !tried {
		for _, s := range inflected[:n] {
			if r, ok := stemPrefixes(s, "", 0, 0); ok {
				return r, true
			}
		}
	}
	// Last of all, suffixes that only count when they lead to a root: informal -in
	// ("bayarin", "dibayarin", "ngurusin"), and -wan, -wati ("wisatawan").
	if base, ok := strings.CutSuffix(s2, "in"); ok && len(base) >= 3 {
		if isRootWord(base) {
			return base, true
		}
		if r, ok := stemPrefixes(base, "in", 0, 0); ok {
			return r, true
		}
	}
	for _, suffix := range [...]string{"wan", "wati"} {
		if base, ok := strings.CutSuffix(s2, suffix); ok && len(base) >= 3 && isRootWord(base) {
			return base, true
		}
	}
	return "", false
}

// stemKnown returns the root of a word that is a root itself (in canonical spelling)
// or an irregular form.
func stemKnown(w string) (string, bool) {
	if isRootWord(w) {
		return canonicalRoot(w), true
	}
	r, ok := irregularStems[w]
	return r, ok
}

// stemTrimSuffix removes the first of the suffixes that w ends with, if at least
// three letters remain; otherwise it returns w.
func stemTrimSuffix(w string, suffixes ...string) string {
	for _, s := range suffixes {
		if base, ok := strings.CutSuffix(w, s); ok && len(base) >= 3 {
			return base
		}
	}
	return w
}

// stemDerivational appends to out the ways of removing a derivational suffix from w,
// most likely first: for a word ending in -kan, -an after a root ending in k first
// ("masakan" is masak-an, "penarikan" is pe-tarik-an, "kerusakan" is ke-rusak-an),
// then -kan ("tanyakan"; me-, di- and ter- words never take -an, so for them only
// -kan is left); -an; or -i. At least three letters must remain.
func stemDerivational(w string, out []stemSuffixed) []stemSuffixed {
	switch {
	case strings.HasSuffix(w, "kan") && len(w) >= 6:
		out = append(out, stemSuffixed{w[:len(w)-2], "an"}, stemSuffixed{w[:len(w)-3], "kan"})
	case strings.HasSuffix(w, "an") && len(w) >= 5:
		out = append(out, stemSuffixed{w[:len(w)-2], "an"})
	case strings.HasSuffix(w, "i") && len(w) >= 4:
		out = append(out, stemSuffixed{w[:len(w)-1], "i"})
	}
	return out
}

// stemPrecedence reports whether ECS's precedence adjustment applies to w: for
// be-…-lah, be-…-an (not -kan) and me-/di-/pe-/ter-…-i the prefix is removed before
// the suffix ("berjalan" → "jalan", not "berjal"; "menilai" → "nilai", not "nila").
func stemPrecedence(w string) bool {
	if strings.HasPrefix(w, "be") {
		// Not -kan: ber- and -kan go together ("berdasarkan"), and "berikan" is
		// beri-kan, not ber-ikan.
		return strings.HasSuffix(w, "lah") || strings.HasSuffix(w, "an") && !strings.HasSuffix(w, "kan")
	}
	if !strings.HasSuffix(w, "i") {
		return false
	}
	return strings.HasPrefix(w, "me") || strings.HasPrefix(w, "di") ||
		strings.HasPrefix(w, "pe") || strings.HasPrefix(w, "ter")
}

// stemPrefixes removes up to three prefixes from w (depth counts those already
// removed; used is the set of their kinds) and returns the first dictionary root it
// reaches. At each level every way of removing the next prefix is checked against
// the dictionary before any is followed further, in the disambiguation rules' order
// of preference.
func stemPrefixes(w, suffix string, depth int, used stemKinds) (string, bool) {
	if depth == 3 {
		return "", false
	}
	var buf [6]stemCandidate
	cands := stemPrefixCandidates(w, depth == 0, buf[:0])
	j := 0
	for _, c := range cands {
		if used.has(c.kind) || (depth > 0 && c.kind.outermost()) ||
			(depth == 0 && stemForbiddenPair(c.kind, suffix)) {
			continue
		}
		if c.kind == kindInformal && suffix != "" && suffix != "in" {
			// Colloquial prefixes go with no suffix or with colloquial -in.
			continue
		}
		if isRootWord(c.rest) {
			return c.rest, true
		}
		cands[j] = c
		j++
	}
	for _, c := range cands[:j] {
		if r, ok := stemPrefixes(c.rest, suffix, depth+1, used.with(c.kind)); ok {
			return r, true
		}
	}
	return "", false
}

// stemForbiddenPair reports whether a word's outermost prefix and its derivational
// suffix never go together (be-…-i, di-…-an, ke-…-i, ke-…-kan, me-…-an, se-…-i,
// se-…-kan, te-…-an).
func stemForbiddenPair(k stemKind, suffix string) bool {
	switch suffix {
	case "i":
		return k == kindBer || k == kindKe || k == kindSe
	case "kan":
		return k == kindKe || k == kindSe
	case "an":
		return k == kindDi || k == kindMe || k == kindInformal || k == kindTer
	}
	return false
}
