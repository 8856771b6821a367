package knowledge

// The analysis chain's word knowledge: the slang lexicon and the stemmer.

// slangFor returns the standard words for a slang token (none: drop it).
func slangFor(tok string) ([]string, bool) { return lookupSlang(tok) }

// stemFor returns a word's stem.
func stemFor(word string) string { return stem(word) }

// known reports whether a word is a root word or in the lexicon: such a word is
// never "corrected" as a typo.
func known(word string) bool {
	if isRootWord(word) {
		return true
	}
	_, ok := lookupSlang(word)
	return ok
}
